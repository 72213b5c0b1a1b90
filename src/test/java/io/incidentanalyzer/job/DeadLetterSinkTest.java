package io.incidentanalyzer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.RejectReason;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter writer never blocks on an unwritable topic and counts every dead letter. The
 * producer is Kafka's own MockProducer, which can fail a send or complete it with an error; the
 * clock is driven by the test.
 */
class DeadLetterSinkTest {

    /** Records the counters and gauges the writer registers. */
    static final class Metrics extends UnregisteredMetricsGroup {
        final Map<String, Counter> counters = new HashMap<>();
        final Map<String, Gauge<?>> gauges = new HashMap<>();

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(name, n -> new SimpleCounter());
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(name, gauge);
            return gauge;
        }

        long count(String name) {
            return counters.get(name).getCount();
        }

        Object gauge(String name) {
            return gauges.get(name).getValue();
        }
    }

    /** Counts how often the writer calls send at all. */
    static final class CountingProducer extends MockProducer<byte[], byte[]> {
        final AtomicInteger sends = new AtomicInteger();

        CountingProducer(boolean autoComplete) {
            super(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized Future<RecordMetadata> send(
                ProducerRecord<byte[], byte[]> record, Callback callback) {
            sends.incrementAndGet();
            return super.send(record, callback);
        }
    }

    private final long[] now = {1_000_000};
    private final Metrics metrics = new Metrics();

    private static DeadLetter letter(long offset) {
        return new DeadLetter(
                RejectReason.NOT_JSON, "not json", "in.metrics", 0, offset, "x", "utf8");
    }

    private DeadLetterSink.Writer writer(CountingProducer producer) {
        return new DeadLetterSink.Writer("dead", producer, metrics, () -> now[0]);
    }

    @Test
    void writesEachDeadLetterAndCountsIt() throws Exception {
        CountingProducer producer = new CountingProducer(true);
        DeadLetterSink.Writer w = writer(producer);
        for (int i = 0; i < 3; i++) w.write(letter(i), null);
        w.flush(false);

        assertThat(producer.history()).hasSize(3);
        assertThat(producer.history().get(0).topic()).isEqualTo("dead");
        assertThat(new String(producer.history().get(0).value())).contains("\"offset\":0");
        assertThat(metrics.count("deadLettersWritten")).isEqualTo(3);
        assertThat(metrics.count("deadLettersUnwritten")).isZero();
        assertThat(metrics.gauge("deadLetterTopicWritable")).isEqualTo(1);
    }

    @Test
    void aTopicThatCannotBeWrittenIsNotTriedAgainForAWhileAndEveryLetterIsCounted()
            throws Exception {
        CountingProducer producer = new CountingProducer(true);
        // What send() throws when the topic does not exist: its metadata never arrives.
        producer.sendException = new TimeoutException("Topic dead not present in metadata");
        DeadLetterSink.Writer w = writer(producer);

        for (int i = 0; i < 100; i++) w.write(letter(i), null);
        w.flush(false);

        assertThat(producer.sends).as("one blocked send, then none").hasValue(1);
        assertThat(metrics.count("deadLettersUnwritten")).isEqualTo(100);
        assertThat(metrics.count("deadLettersWritten")).isZero();
        assertThat(metrics.gauge("deadLetterTopicWritable")).isEqualTo(0);

        // The topic is created; after the retry period the writer tries and succeeds again.
        producer.sendException = null;
        now[0] += DeadLetterSink.RETRY_AFTER_MS;
        w.write(letter(100), null);
        w.flush(false);
        assertThat(producer.sends).hasValue(2);
        assertThat(metrics.count("deadLettersWritten")).isEqualTo(1);
        assertThat(metrics.gauge("deadLetterTopicWritable")).isEqualTo(1);
    }

    @Test
    void aWriteThatFailsLaterCountsAsUnwrittenAndPausesTheWrites() throws Exception {
        CountingProducer producer = new CountingProducer(false);
        DeadLetterSink.Writer w = writer(producer);
        w.write(letter(0), null);
        producer.errorNext(new UnknownTopicOrPartitionException("dead"));

        w.write(letter(1), null);
        assertThat(producer.sends).as("paused after the failure").hasValue(1);
        assertThat(metrics.count("deadLettersUnwritten")).isEqualTo(2);
    }
}
