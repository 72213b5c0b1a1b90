package io.incidentanalyzer.simulate;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.ingest.StreamKind;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes each stream to its input topic of the job file, record key = service, value = the JSON
 * line. The Kafka record timestamp is left to the producer (wall time): event time is in the
 * payload, and a replay of 2024 stamped with its event time would be deleted at once by the
 * broker's time-based retention.
 *
 * <p>One idempotent producer with {@code acks=all} (the client's defaults), batching and lz4: a
 * send failure is remembered and thrown by the next {@link #emit} or by {@link #close}, so a run
 * that lost records never ends as a success.
 */
public final class KafkaSink implements SimulationSink {
    private final KafkaProducer<String, String> producer;
    private final Map<StreamKind, String> topics = new EnumMap<>(StreamKind.class);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback onSent =
            (meta, e) -> {
                if (e != null) failure.compareAndSet(null, e);
            };

    public KafkaSink(JobConfig job, String bootstrap) {
        topics.put(StreamKind.METRICS, job.topics().metrics().name());
        topics.put(StreamKind.AUTH, job.topics().auth().name());
        topics.put(StreamKind.LOGS, job.topics().logs().name());
        topics.put(StreamKind.CHANGES, job.topics().changes().name());
        Properties p = new Properties();
        p.putAll(job.kafka().properties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "simulate-" + job.environment());
        producer = new KafkaProducer<>(p);
    }

    @Override
    public void emit(StreamKind stream, long ts, String key, String json) throws IOException {
        failIfSendFailed();
        try {
            producer.send(new ProducerRecord<>(topics.get(stream), key, json), onSent);
        } catch (KafkaException e) {
            throw new IOException(
                    "cannot send to " + topics.get(stream) + ": " + e.getMessage(), e);
        }
    }

    private void failIfSendFailed() throws IOException {
        Exception e = failure.get();
        if (e != null) {
            throw new IOException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }

    /** Sends everything buffered and waits for the broker's acknowledgements. */
    @Override
    public void close() throws IOException {
        try {
            producer.flush();
        } finally {
            producer.close();
        }
        failIfSendFailed();
    }
}
