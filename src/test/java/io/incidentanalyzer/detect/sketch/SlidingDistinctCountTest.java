package io.incidentanalyzer.detect.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class SlidingDistinctCountTest {
    private static final long T0 = 1_708_068_000_000L;
    private static final long MINUTE = 60_000;

    @Test
    void estimatesSmallAndLargeCountsWithinAFewPercent() {
        for (int n : new int[] {100, 2_000, 30_000, 1_000_000}) {
            SlidingDistinctCount c = new SlidingDistinctCount(Duration.ofMinutes(15), 4);
            for (int i = 0; i < n; i++) {
                c.add(T0 + i * (10 * MINUTE) / n, "s-" + i);
            }
            assertThat(c.estimate(T0 + 10 * MINUTE)).as("%d ids", n).isCloseTo(n, within(n * 0.06));
        }
    }

    @Test
    void repeatsCountOnce() {
        SlidingDistinctCount c = new SlidingDistinctCount(Duration.ofMinutes(15), 4);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 500; i++) c.add(T0 + round * 10_000 + i, "s-" + i);
        }
        assertThat(c.estimate(T0 + 5 * MINUTE)).isCloseTo(500, within(15.0));
    }

    @Test
    void forgetsIdsOlderThanTheWindowAndOnePane() {
        SlidingDistinctCount c = new SlidingDistinctCount(Duration.ofMinutes(15), 4);
        for (int i = 0; i < 1000; i++) c.add(T0 + i, "old-" + i);
        for (int i = 0; i < 200; i++) c.add(T0 + 16 * MINUTE + i, "new-" + i);

        assertThat(c.estimate(T0 + 16 * MINUTE)).as("both in the window").isGreaterThan(1100);
        assertThat(c.estimate(T0 + 20 * MINUTE + 1))
                .as("the old pane left the window")
                .isCloseTo(200, within(10.0));
    }

    @Test
    void estimateIsExactlyTheRegisterByRegisterFormula() {
        Random rnd = new Random(3);
        SlidingDistinctCount c = new SlidingDistinctCount(Duration.ofMinutes(15), 4);
        long ts = T0;
        for (int i = 0; i < 200_000; i++) {
            ts += rnd.nextInt(120);
            c.add(ts, "s-" + rnd.nextInt(1 + i / 10));
            if (i % 997 == 0) {
                long now = ts + rnd.nextInt(30) * MINUTE;
                assertThat(c.estimate(now)).as("at %d", now).isEqualTo(reference(c, now));
            }
        }
    }

    /** The estimate as first written: per register, the maximum over the panes in the window. */
    private static double reference(SlidingDistinctCount c, long now) {
        int registers = SlidingDistinctCount.REGISTERS;
        long current = Math.floorDiv(now, c.paneMillis) * c.paneMillis;
        long oldest = current - (c.panes - 1) * c.paneMillis;
        double sum = 0;
        int zeros = 0;
        for (int r = 0; r < registers; r++) {
            int max = 0;
            for (int slot = 0; slot < c.panes; slot++) {
                long start = c.paneStart[slot];
                if (start >= oldest && start <= current) {
                    max = Math.max(max, c.registers[slot * registers + r]);
                }
            }
            if (max == 0) zeros++;
            sum += Math.scalb(1.0, -max);
        }
        double alpha = 0.7213 / (1 + 1.079 / registers);
        double raw = alpha * registers * (double) registers / sum;
        if (raw <= 2.5 * registers && zeros > 0) {
            return registers * Math.log((double) registers / zeros);
        }
        return raw;
    }

    @Test
    void isAFlinkPojo() {
        assertThat(TypeInformation.of(SlidingDistinctCount.class)).isInstanceOf(PojoTypeInfo.class);
    }
}
