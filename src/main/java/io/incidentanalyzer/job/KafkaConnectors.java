package io.incidentanalyzer.job;

import io.incidentanalyzer.config.DeliveryMode;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.KafkaSettings;
import io.incidentanalyzer.ingest.DecodingDeserializer;
import io.incidentanalyzer.ingest.FutureTimestamps;
import io.incidentanalyzer.ingest.PartitionTails;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.TailTrackingSource;
import io.incidentanalyzer.ingest.WallClock;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.IncidentAlert;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.StatusPageIncident;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Every Kafka source and sink of the job, built from the job file and one bootstrap address. */
public final class KafkaConnectors {
    private final JobConfig config;
    private final String bootstrap;
    private final boolean bounded;

    /**
     * @param bounded read each input up to its end offsets at start, then finish (benchmarks,
     *     replays); otherwise read forever
     */
    public KafkaConnectors(JobConfig config, String bootstrap, boolean bounded) {
        this.config = config;
        this.bootstrap = bootstrap;
        this.bounded = bounded;
    }

    public TailTrackingSource source(InputTopic topic, StreamKind kind) {
        return source(
                topic,
                kind.name().toLowerCase(),
                RecordDecoders.forTopic(topic, kind, config.limits()));
    }

    /** The optional externalAlerts topic: a team's own alerts, read as signals. */
    public TailTrackingSource externalAlertSource(InputTopic topic) {
        return source(
                topic, "external-alerts", RecordDecoders.forExternalAlerts(topic, config.limits()));
    }

    /** The optional traces topic: spans, paired into calls between services. */
    public TailTrackingSource traceSource(InputTopic topic) {
        return source(topic, "traces", RecordDecoders.forTraces(topic, config.limits()));
    }

    /**
     * The Kafka source of one input topic, with the partition tracking its watermarks need ({@link
     * TailTrackingSource#watermarks}).
     */
    private TailTrackingSource source(InputTopic topic, String stream, RecordDecoder decoder) {
        KafkaSettings k = config.kafka();
        PartitionTails tails = new PartitionTails();
        KafkaSourceBuilder<Decoded> b =
                KafkaSource.<Decoded>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(topic.name())
                        .setGroupId(k.groupId())
                        .setClientIdPrefix(k.groupId() + "-" + stream)
                        .setStartingOffsets(
                                switch (k.startingOffsets()) {
                                    case EARLIEST -> OffsetsInitializer.earliest();
                                    case LATEST -> OffsetsInitializer.latest();
                                    case COMMITTED ->
                                            OffsetsInitializer.committedOffsets(
                                                    OffsetResetStrategy.EARLIEST);
                                })
                        .setDeserializer(
                                new TailTrackingSource.TrackingDeserializer(
                                        new DecodingDeserializer(
                                                decoder,
                                                new FutureTimestamps(
                                                        config.limits().maxFuture(),
                                                        WallClock.SYSTEM)),
                                        tails))
                        // Exactly-once output is in transactions: read only committed input.
                        .setProperty("isolation.level", "read_committed")
                        .setProperties(clientProperties());
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        Properties admin = clientProperties();
        admin.put("bootstrap.servers", bootstrap);
        return new TailTrackingSource(b.build(), tails, topic.name(), k.groupId(), admin);
    }

    public KafkaSink<IncidentEvent> incidentSink() {
        return sink(
                config.topics().incidents(),
                new JsonRecordSerializer<IncidentEvent>(
                        config.topics().incidents(), IncidentEvent::incidentId));
    }

    /**
     * The alerts topic: incident events at least once, flushed as they come rather than committed
     * at a checkpoint, keyed {@code <incidentId>/<sequence>} on the partition that the incident id
     * alone would choose; the value is the incident event as on the incidents topic.
     */
    public KafkaSink<IncidentAlert> alertSink() {
        return KafkaSink.<IncidentAlert>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(
                        new JsonRecordSerializer<IncidentAlert>(
                                config.topics().alerts(),
                                IncidentAlert::key,
                                IncidentAlert::event,
                                // An incident's alerts on one partition, in order.
                                IncidentAlert::incidentId))
                .setKafkaProducerConfig(clientProperties())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    public KafkaSink<StatusPageIncident> statusUpdateSink() {
        return sink(
                config.topics().statusUpdates(),
                new JsonRecordSerializer<StatusPageIncident>(
                        config.topics().statusUpdates(), StatusPageIncident::id));
    }

    /**
     * Dead letters are written at least once, outside the checkpoints' transactions, so that a
     * missing or unwritable dead-letter topic never stalls the incident outputs ({@link
     * DeadLetterSink}).
     */
    public org.apache.flink.api.connector.sink2.Sink<DeadLetter> deadLetterSink() {
        return new DeadLetterSink(config.topics().deadLetter(), bootstrap, clientProperties());
    }

    private <T> KafkaSink<T> sink(String topic, JsonRecordSerializer<T> serializer) {
        KafkaSettings k = config.kafka();
        var b =
                KafkaSink.<T>builder()
                        .setBootstrapServers(bootstrap)
                        .setRecordSerializer(serializer)
                        .setKafkaProducerConfig(clientProperties());
        if (k.delivery() == DeliveryMode.EXACTLY_ONCE) {
            b.setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                    // One prefix per job and output topic: two jobs sharing one would fence
                    // each other's transactions.
                    .setTransactionalIdPrefix(k.groupId() + "-" + topic)
                    .setProperty(
                            "transaction.timeout.ms",
                            String.valueOf(k.transactionTimeout().toMillis()));
        } else {
            b.setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        }
        return b.build();
    }

    private Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(config.kafka().properties());
        return p;
    }
}
