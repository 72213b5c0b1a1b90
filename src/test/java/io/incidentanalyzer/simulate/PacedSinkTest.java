package io.incidentanalyzer.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.testing.RecordingSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacing on a fake clock: the sink waits in tick until wall time catches up with event time. */
class PacedSinkTest {
    private static final long T0 = 1_708_068_000_000L;

    /** A wall clock that only moves when the sink sleeps. */
    private static final class FakeClock {
        long now = 5_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        void sleep(long nanos) {
            sleeps.add(nanos);
            now += nanos;
        }
    }

    private static PacedSink paced(RecordingSink inner, double speed, FakeClock clock) {
        return new PacedSink(inner, speed, T0, () -> clock.now, clock::sleep);
    }

    @Test
    void waitsUntilTheWallClockReachesTheScaledEventTime() throws IOException {
        FakeClock clock = new FakeClock();
        RecordingSink inner = new RecordingSink();
        try (PacedSink sink = paced(inner, 60, clock)) {
            sink.tick(T0);
            sink.emit(StreamKind.METRICS, T0, "db", "{}");
            sink.tick(T0 + 600_000); // ten minutes of event time at 60× = ten seconds
            sink.tick(T0 + 600_000);
        }

        assertThat(clock.sleeps).containsExactly(10_000_000_000L);
        assertThat(inner.ticks()).containsExactly(T0, T0 + 600_000, T0 + 600_000);
        assertThat(inner.records(StreamKind.METRICS)).hasSize(1);
        assertThat(inner.closed()).isTrue();
    }

    @Test
    void doesNotWaitWhenTheWriterIsBehind() throws IOException {
        FakeClock clock = new FakeClock();
        PacedSink sink = paced(new RecordingSink(), 1, clock);
        sink.tick(T0);
        clock.now += 20_000_000_000L; // writing took 20 s of wall time
        sink.tick(T0 + 10_000);

        assertThat(clock.sleeps).isEmpty();
    }

    @Test
    void zeroOrInfiniteSpeedMeansNoPacing() throws IOException {
        for (double speed : new double[] {0, -1, Double.POSITIVE_INFINITY}) {
            FakeClock clock = new FakeClock();
            PacedSink sink = paced(new RecordingSink(), speed, clock);
            sink.tick(T0);
            sink.tick(T0 + 3_600_000);
            assertThat(clock.sleeps).as("speed " + speed).isEmpty();
            assertThat(PacedSink.paces(speed)).isFalse();
        }
        assertThat(PacedSink.paces(0.5)).isTrue();
    }
}
