package io.incidentanalyzer.job;

import io.incidentanalyzer.model.DeadLetter;
import java.io.IOException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to their topic without ever holding up the job. The incident outputs are
 * transactional and commit at each checkpoint; a dead-letter topic that is missing, not writable or
 * unreachable must not stall those checkpoints (with a transactional sink it did: one malformed
 * record and no output was ever committed again while the job showed RUNNING). So dead letters are
 * written at least once, outside the checkpoint's transaction:
 *
 * <ul>
 *   <li>each write is asynchronous; a checkpoint waits for the writes in flight at most the
 *       producer's delivery timeout;
 *   <li>when the topic cannot be written (missing, not authorized, broker unreachable), the writer
 *       stops trying for {@link #RETRY_AFTER_MS} and counts each dead letter of that time as
 *       unwritten instead of blocking on it, then tries again;
 *   <li>every dead letter is counted, written ({@code deadLettersWritten}) or not ({@code
 *       deadLettersUnwritten}), with a gauge {@code deadLetterTopicWritable} (1 or 0) and a warning
 *       in the TaskManager's log naming the topic, the cause, the first lost record and the fix.
 * </ul>
 *
 * The wall clock here paces retries of an I/O path only; it never touches detection.
 */
final class DeadLetterSink implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    static final long RETRY_AFTER_MS = 30_000;

    private final String topic;
    private final Properties producerProperties;

    DeadLetterSink(String topic, String bootstrap, Properties clientProperties) {
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A missing topic shows as a metadata wait inside send(): keep that wait short.
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producerProperties = p;
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(WriterInitContext context) throws IOException {
        return new Writer(
                topic,
                new KafkaProducer<>(producerProperties),
                context.metricGroup(),
                System::currentTimeMillis);
    }

    /** The writer; package-visible so that a test can drive it with its own producer and clock. */
    static final class Writer implements SinkWriter<DeadLetter> {
        private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

        private final String topic;
        private final org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer;
        private final JsonRecordSerializer<DeadLetter> serializer;
        private final java.util.function.LongSupplier clock;
        private final Counter written;
        private final Counter unwritten;
        private final AtomicLong lostSinceWarning = new AtomicLong();
        private volatile long nextWarning;
        private volatile long unavailableUntil;
        private volatile boolean writable = true;

        Writer(
                String topic,
                org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer,
                MetricGroup metrics,
                java.util.function.LongSupplier clock) {
            this.topic = topic;
            this.producer = producer;
            this.clock = clock;
            this.serializer = new JsonRecordSerializer<>(topic, DeadLetter::sourceTopic);
            this.serializer.open(null, null);
            this.written = metrics.counter("deadLettersWritten");
            this.unwritten = metrics.counter("deadLettersUnwritten");
            metrics.gauge("deadLetterTopicWritable", () -> writable ? 1 : 0);
        }

        @Override
        public void write(DeadLetter letter, Context context) {
            if (clock.getAsLong() < unavailableUntil) {
                lost(letter, null);
                return;
            }
            ProducerRecord<byte[], byte[]> record = serializer.serialize(letter, null, null);
            for (int attempt = 0; ; attempt++) {
                try {
                    producer.send(
                            record,
                            (meta, error) -> {
                                if (error == null) {
                                    written.inc();
                                    writable = true;
                                } else {
                                    if (unwritable(error)) markUnavailable();
                                    lost(letter, error);
                                }
                            });
                    return;
                } catch (BufferExhaustedException full) {
                    // A burst of dead letters, not a broken topic: let the buffer drain once.
                    if (attempt > 0) {
                        lost(letter, full);
                        return;
                    }
                    producer.flush();
                } catch (TimeoutException | AuthorizationException | InvalidTopicException e) {
                    markUnavailable();
                    lost(letter, e);
                    return;
                } catch (RecordTooLargeException e) {
                    lost(letter, e);
                    return;
                }
            }
        }

        private static boolean unwritable(Exception e) {
            return e instanceof UnknownTopicOrPartitionException
                    || e instanceof AuthorizationException
                    || e instanceof InvalidTopicException
                    || e instanceof TimeoutException;
        }

        private void markUnavailable() {
            writable = false;
            unavailableUntil = clock.getAsLong() + RETRY_AFTER_MS;
        }

        /** Counts a dead letter that could not be written; warns at most once per period. */
        private void lost(DeadLetter letter, Exception cause) {
            unwritten.inc();
            long lost = lostSinceWarning.incrementAndGet();
            long now = clock.getAsLong();
            if (now < nextWarning) return;
            nextWarning = now + RETRY_AFTER_MS;
            lostSinceWarning.addAndGet(-lost);
            LOG.warn(
                    "dead-letter topic {} cannot be written ({}): {} dead letter(s) counted in"
                            + " deadLettersUnwritten since the last warning, the last {} from {}"
                            + " partition {} offset {}; create the topic (bin/analyzer topics) or"
                            + " grant the job write access; the job goes on meanwhile",
                    topic,
                    cause == null ? "it failed less than 30 s ago" : cause.toString(),
                    lost,
                    letter.reason(),
                    letter.sourceTopic(),
                    letter.partition(),
                    letter.offset());
        }

        @Override
        public void flush(boolean endOfInput) {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
