package io.incidentanalyzer.ingest;

import static io.incidentanalyzer.testing.Fixtures.cpu;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.Decoded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a partition's watermark generator stops holding event time back: at once for a partition
 * with nothing to read, never for one with unread records, after the idle timeout for one read to
 * its end. Wall time is driven by hand; Flink's back-pressure-paused clock never moves here, as it
 * does not while a backlog back-pressures the source.
 */
class TailAwareWatermarksTest {
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final long SECOND = 1_000_000_000L;

    private final ManualClock pausedClock = new ManualClock();
    private final Output output = new Output();
    private PartitionTails tails;
    private long now;

    @BeforeEach
    void setUp() {
        tails = new PartitionTails();
        now = 1_000 * SECOND;
    }

    private TailAwareWatermarks generator() {
        return new TailAwareWatermarks(Duration.ofSeconds(5), IDLE, tails, pausedClock, () -> now);
    }

    /** A record of {@code partition} at {@code offset}, as the source hands it on. */
    private void read(TailAwareWatermarks g, int partition, long offset, long ts) {
        tails.reading(partition, offset);
        g.onEvent(Decoded.of(cpu("database", ts, 40)), ts, output);
    }

    @Test
    void emptyPartitionsGoIdleAtOnceOnceEveryUnreadPartitionIsAtItsEnd() {
        tails.assigned(0, 0);
        tails.assigned(1, 0);
        TailAwareWatermarks busy = generator();
        TailAwareWatermarks empty = generator();

        empty.onPeriodicEmit(output);
        assertThat(output.idle).as("ends not known yet").isFalse();

        tails.observedEnd(0, 1_000, now);
        tails.observedEnd(1, 0, now);
        empty.onPeriodicEmit(output);
        assertThat(output.idle).as("partition 0 has yielded nothing yet but has records").isFalse();

        read(busy, 0, 0, t(0));
        empty.onPeriodicEmit(output);
        assertThat(output.idle).isTrue();
    }

    @Test
    void anEmptyPartitionStaysIdleWhenRecordsAreWrittenToItLater() {
        tails.assigned(0, 0);
        TailAwareWatermarks empty = generator();
        tails.observedEnd(0, 0, now);
        empty.onPeriodicEmit(output);
        assertThat(output.idle).isTrue();

        tails.observedEnd(0, 3, now + SECOND);
        empty.onPeriodicEmit(output);

        assertThat(output.idle).isTrue();
        assertThat(output.emitted).isEmpty();
    }

    @Test
    void aPartitionWithUnreadRecordsNeverGoesIdleHoweverLongItIsSilent() {
        tails.assigned(0, 0);
        TailAwareWatermarks g = generator();
        read(g, 0, 0, t(0));
        now += 10 * IDLE.toNanos();
        tails.observedEnd(0, 500, now);

        g.onPeriodicEmit(output);

        assertThat(output.idle).isFalse();
        assertThat(output.last).isEqualTo(t(0) - 5_000 - 1);
    }

    @Test
    void aPartitionReadToItsEndGoesIdleAfterTheTimeoutEvenWhileBackPressured() {
        tails.assigned(0, 0);
        TailAwareWatermarks g = generator();
        read(g, 0, 0, t(0));
        read(g, 0, 1, t(1));

        now += IDLE.toNanos() - SECOND;
        tails.observedEnd(0, 2, now);
        g.onPeriodicEmit(output);
        assertThat(output.idle).as("silent for less than the timeout").isFalse();

        now += SECOND;
        g.onPeriodicEmit(output);
        assertThat(output.idle).isTrue();

        read(g, 0, 2, t(40));
        g.onPeriodicEmit(output);
        assertThat(output.idle).as("a new record makes it active again").isFalse();
        assertThat(output.last).isEqualTo(t(40) - 5_000 - 1);
    }

    @Test
    void anEndLookedUpBeforeTheLastRecordDoesNotCount() {
        tails.assigned(0, 0);
        TailAwareWatermarks g = generator();
        tails.observedEnd(0, 1, now - SECOND);
        read(g, 0, 0, t(0));

        now += 2 * IDLE.toNanos();
        g.onPeriodicEmit(output);

        assertThat(output.idle).isFalse();
    }

    @Test
    void aCommittedOffsetAtTheEndCountsAsNothingToRead() {
        tails.assigned(0, KafkaMarkers.COMMITTED);
        TailAwareWatermarks g = generator();
        tails.observedEnd(0, 7, now);
        g.onPeriodicEmit(output);
        assertThat(output.idle).as("start not resolved yet").isFalse();

        tails.resolvedStart(0, 7);
        g.onPeriodicEmit(output);
        assertThat(output.idle).isTrue();
    }

    @Test
    void withoutEndOffsetsFlinksOwnIdlenessStillApplies() {
        tails.assigned(0, 0);
        TailAwareWatermarks g = generator();
        pausedClock.advanceTime(Duration.ofSeconds(1));
        read(g, 0, 0, t(0));
        g.onPeriodicEmit(output); // Flink's timer sees the record
        g.onPeriodicEmit(output); // and starts counting the silence
        assertThat(output.idle).isFalse();
        pausedClock.advanceTime(IDLE.plusSeconds(1));

        g.onPeriodicEmit(output);

        assertThat(output.idle).isTrue();
    }

    /** The source's starting-offset markers, spelled as the Kafka connector does. */
    private static final class KafkaMarkers {
        static final long COMMITTED =
                org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit.COMMITTED_OFFSET;
    }

    private static final class Output implements WatermarkOutput {
        boolean idle;
        long last = Long.MIN_VALUE;
        final List<Long> emitted = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            idle = false;
            last = watermark.getTimestamp();
            emitted.add(last);
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
