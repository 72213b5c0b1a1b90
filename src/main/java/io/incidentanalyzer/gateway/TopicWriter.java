package io.incidentanalyzer.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The gateway's one Kafka producer: {@code acks=all} and idempotence, so a record the gateway
 * answers 2xx for is on every in-sync replica, and a retry inside the producer never writes it
 * twice. {@link #write} returns only after every record of a request is acknowledged, or says why
 * not: the producer's buffer is full ({@code max.block.ms} passed without room) or the broker did
 * not acknowledge within the ack wait, both answered 429 so the sender retries later.
 */
public final class TopicWriter implements AutoCloseable {
    /** A record of a request: topic, key (may be null) and value. */
    public record Out(String topic, byte[] key, byte[] value) {}

    /** Why a request's records were not all acknowledged. */
    public static final class Refused extends Exception {
        private final boolean busy;

        Refused(String message, boolean busy, Throwable cause) {
            super(message, cause);
            this.busy = busy;
        }

        /** Kafka is slow or the buffer full: retry later (429); otherwise a failed write (503). */
        public boolean busy() {
            return busy;
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final long ackWaitMs;

    /**
     * @param properties the job's extra client properties (security), applied first
     * @param maxRecordBytes the largest record the gateway writes (producer {@code
     *     max.request.size})
     * @param bufferBytes the producer's buffer ({@code buffer.memory}): more unacknowledged bytes
     *     than this make the next request 429
     * @param ackWaitMs how long a request waits for its acknowledgements before 429
     */
    public TopicWriter(
            String bootstrap,
            Map<String, String> properties,
            int maxRecordBytes,
            long bufferBytes,
            long ackWaitMs) {
        Properties p = new Properties();
        p.putAll(properties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "incident-analyzer-gateway");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // Room for the record plus its batch and request overhead.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(maxRecordBytes + 4096));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(bufferBytes));
        // A full buffer is answered 429 at once instead of holding the HTTP thread.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "200");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.ackWaitMs = ackWaitMs;
    }

    /**
     * Sends the records and waits for every acknowledgement. On {@link Refused} some records may
     * still be written (the producer keeps retrying them within its delivery timeout), so a sender
     * that retries can write them twice: at least once, never lost once answered 2xx.
     */
    public void write(List<Out> records) throws Refused {
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        try {
            for (Out r : records) {
                acks.add(producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value())));
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new Refused("the gateway's Kafka buffer is full; retry later", true, e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new Refused("Kafka refused the records: " + e.getMessage(), false, e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ackWaitMs);
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new Refused("Kafka did not acknowledge in time; retry later", true, e);
            } catch (ExecutionException e) {
                boolean busy =
                        e.getCause() instanceof org.apache.kafka.common.errors.RetriableException;
                throw new Refused(
                        busy
                                ? "Kafka is unavailable or slow ("
                                        + e.getCause().getMessage()
                                        + "); retry later"
                                : "Kafka did not take the records: " + e.getCause().getMessage(),
                        busy,
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Refused("interrupted while waiting for Kafka", true, e);
            }
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
