package io.incidentanalyzer.ingest;

import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.model.Decoded;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KafkaSource} of one input topic that also records how far each of its partitions has
 * been read against the partition's end ({@link PartitionTails}), so that its watermarks ({@link
 * #watermarks}) let a partition with nothing to read stop holding event time back at once instead
 * of after the idle timeout. Everything else (splits, offsets, checkpoints, the enumerator) is the
 * Kafka source's own: its state and uid are unchanged, so savepoints taken before still restore.
 *
 * <p>Each reader looks up the end offsets (last stable offsets: the job reads committed records) of
 * its partitions once a second with a Kafka {@link Admin} client on a thread of its own, and the
 * starting offset of each partition the source's markers leave open (earliest, latest, or the
 * group's committed offset, else the earliest as the source resets to).
 */
public final class TailTrackingSource
        implements Source<Decoded, KafkaPartitionSplit, KafkaSourceEnumState>,
                ResultTypeQueryable<Decoded> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TailTrackingSource.class);
    private static final Duration LOOKUP_PERIOD = Duration.ofSeconds(1);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaSource<Decoded> kafka;
    private final PartitionTails tails;
    private final String topic;
    private final String groupId;
    private final Properties adminProperties;

    /**
     * @param kafka the source, built with a {@link TrackingDeserializer} on the same {@code tails}
     * @param adminProperties bootstrap servers and the client settings (security) of the job
     */
    public TailTrackingSource(
            KafkaSource<Decoded> kafka,
            PartitionTails tails,
            String topic,
            String groupId,
            Properties adminProperties) {
        this.kafka = kafka;
        this.tails = tails;
        this.topic = topic;
        this.groupId = groupId;
        this.adminProperties = adminProperties;
    }

    /** This source's watermarks; they must come from here to share its {@link PartitionTails}. */
    public WatermarkStrategy<Decoded> watermarks(Watermarks settings) {
        return InputWatermarks.forKafka(settings, tails);
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state)
            throws Exception {
        return kafka.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return kafka.getProducedType();
    }

    @Override
    public SourceReader<Decoded, KafkaPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        Properties admin = new Properties();
        admin.putAll(adminProperties);
        admin.put(
                AdminClientConfig.CLIENT_ID_CONFIG,
                groupId + "-end-offsets-" + topic + "-" + context.getIndexOfSubtask());
        return new Reader(kafka.createReader(context), new EndOffsetLookup(admin));
    }

    /** The Kafka reader, telling {@link PartitionTails} which partitions it was assigned. */
    private final class Reader implements SourceReader<Decoded, KafkaPartitionSplit> {
        private final SourceReader<Decoded, KafkaPartitionSplit> kafkaReader;
        private final EndOffsetLookup lookup;

        Reader(SourceReader<Decoded, KafkaPartitionSplit> kafkaReader, EndOffsetLookup lookup) {
            this.kafkaReader = kafkaReader;
            this.lookup = lookup;
        }

        @Override
        public void start() {
            kafkaReader.start();
            lookup.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<Decoded> output) throws Exception {
            return kafkaReader.pollNext(output);
        }

        @Override
        public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
            return kafkaReader.snapshotState(checkpointId);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Void> isAvailable() {
            return kafkaReader.isAvailable();
        }

        @Override
        public void addSplits(List<KafkaPartitionSplit> splits) {
            for (KafkaPartitionSplit split : splits) {
                tails.assigned(split.getPartition(), split.getStartingOffset());
            }
            kafkaReader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            kafkaReader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent event) {
            kafkaReader.handleSourceEvents(event);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            kafkaReader.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            kafkaReader.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void pauseOrResumeSplits(
                java.util.Collection<String> toPause, java.util.Collection<String> toResume) {
            kafkaReader.pauseOrResumeSplits(toPause, toResume);
        }

        @Override
        public void close() throws Exception {
            try {
                lookup.close();
            } finally {
                kafkaReader.close();
            }
        }
    }

    /**
     * Looks up the end offsets of the reader's partitions once a second, on a thread of its own
     * (Admin calls block). A failed look-up keeps the last answers and logs one warning until a
     * look-up succeeds again; partitions whose end was never known go idle by Flink's rule only.
     */
    private final class EndOffsetLookup implements AutoCloseable {
        private final Properties properties;
        private ScheduledExecutorService thread;
        private Admin admin;
        private boolean failing;

        EndOffsetLookup(Properties properties) {
            this.properties = properties;
        }

        void start() {
            thread =
                    Executors.newSingleThreadScheduledExecutor(
                            r -> {
                                Thread t = new Thread(r, "end offsets of " + topic);
                                t.setDaemon(true);
                                return t;
                            });
            thread.scheduleWithFixedDelay(
                    this::lookUp, 0, LOOKUP_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void lookUp() {
            Map<Integer, Long> starts = tails.assignedStarts();
            if (starts.isEmpty()) return;
            try {
                if (admin == null) admin = Admin.create(properties);
                // Stamped before asking: an answer covers only records read before this moment.
                long asked = System.nanoTime();
                Map<Integer, Long> ends = offsets(starts, OffsetSpec.latest());
                resolveStarts(starts, ends);
                ends.forEach((p, end) -> tails.observedEnd(p, end, asked));
                if (failing) LOG.info("end offsets of {} are known again", topic);
                failing = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                if (!failing) {
                    LOG.warn(
                            "cannot look up the end offsets of {} ({}); its partitions without"
                                    + " records go idle after watermarks.idleTimeout only",
                            topic,
                            e.toString());
                }
                failing = true;
            }
        }

        private void resolveStarts(Map<Integer, Long> starts, Map<Integer, Long> ends)
                throws Exception {
            Map<Integer, Long> committed = null;
            Map<Integer, Long> earliest = null;
            for (Map.Entry<Integer, Long> e : starts.entrySet()) {
                int p = e.getKey();
                if (!tails.startUnresolved(p)) continue;
                long marker = e.getValue();
                Long from = null;
                if (marker == KafkaPartitionSplit.LATEST_OFFSET) {
                    from = ends.get(p);
                } else if (marker == KafkaPartitionSplit.EARLIEST_OFFSET) {
                    if (earliest == null) earliest = offsets(starts, OffsetSpec.earliest());
                    from = earliest.get(p);
                } else if (marker == KafkaPartitionSplit.COMMITTED_OFFSET) {
                    if (committed == null) committed = committedOffsets();
                    if (earliest == null) earliest = offsets(starts, OffsetSpec.earliest());
                    // No committed offset: the source resets to the earliest (KafkaConnectors).
                    from = committed.getOrDefault(p, earliest.get(p));
                }
                if (from != null) tails.resolvedStart(p, from);
            }
        }

        private Map<Integer, Long> offsets(Map<Integer, Long> partitions, OffsetSpec spec)
                throws Exception {
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            for (int p : partitions.keySet()) ask.put(new TopicPartition(topic, p), spec);
            Map<TopicPartition, ListOffsetsResultInfo> answer =
                    admin.listOffsets(ask, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all()
                            .get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, Long> byPartition = new HashMap<>();
            answer.forEach((tp, info) -> byPartition.put(tp.partition(), info.offset()));
            return byPartition;
        }

        private Map<Integer, Long> committedOffsets() throws Exception {
            Map<TopicPartition, OffsetAndMetadata> answer =
                    admin.listConsumerGroupOffsets(groupId)
                            .partitionsToOffsetAndMetadata()
                            .get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<Integer, Long> byPartition = new HashMap<>();
            answer.forEach(
                    (tp, om) -> {
                        if (tp.topic().equals(topic) && om != null) {
                            byPartition.put(tp.partition(), om.offset());
                        }
                    });
            return byPartition;
        }

        @Override
        public void close() {
            if (thread != null) thread.shutdownNow();
            try {
                if (thread != null)
                    thread.awaitTermination(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (admin != null) admin.close(Duration.ofSeconds(1));
        }
    }

    /**
     * The source's deserializer, telling {@link PartitionTails} each record's partition and offset
     * before handing it on: the watermark generator that receives the record learns from it which
     * partition it serves.
     */
    public static final class TrackingDeserializer
            implements KafkaRecordDeserializationSchema<Decoded> {
        private static final long serialVersionUID = 1L;

        private final KafkaRecordDeserializationSchema<Decoded> decoding;
        private final PartitionTails tails;

        public TrackingDeserializer(
                KafkaRecordDeserializationSchema<Decoded> decoding, PartitionTails tails) {
            this.decoding = decoding;
            this.tails = tails;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            decoding.open(context);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out)
                throws java.io.IOException {
            tails.reading(record.partition(), record.offset());
            decoding.deserialize(record, out);
        }

        @Override
        public TypeInformation<Decoded> getProducedType() {
            return decoding.getProducedType();
        }
    }
}
