package io.incidentanalyzer.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselineTest {
    private static final long MINUTE = 60_000;
    private static final long T0 =
            1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, 86_400_000L);

    private final Baseline flat =
            new Baseline(new BaselineSettings(Duration.ofHours(1), 30, Duration.ZERO, 0, 0, 0.01));

    @Test
    void coldUntilWarmedUp() {
        BaselineState s = new BaselineState();
        for (int i = 0; i < 30; i++) {
            Score score = flat.update(s, T0 + i * MINUTE, 100);
            assertThat(score.warm()).as("sample %d", i).isFalse();
            assertThat(score.anomaly()).isZero();
        }
        assertThat(flat.update(s, T0 + 30 * MINUTE, 100).warm()).isTrue();
    }

    @Test
    void quietOnNoiseAndScoresASpike() {
        Random rng = new Random(7);
        BaselineState s = new BaselineState();
        double maxAnomaly = 0;
        for (int i = 0; i < 600; i++) {
            Score score = flat.update(s, T0 + i * MINUTE, 100 + 5 * rng.nextGaussian());
            if (score.warm()) maxAnomaly = Math.max(maxAnomaly, score.anomaly());
        }
        assertThat(maxAnomaly).as("gaussian noise never looks anomalous").isLessThan(0.5);
        Score spike = flat.update(s, T0 + 600 * MINUTE, 200);
        assertThat(spike.deviation()).isGreaterThan(10);
        assertThat(spike.anomaly()).isGreaterThan(0.9);
        assertThat(spike.expected()).isCloseTo(100, org.assertj.core.data.Offset.offset(2.0));
        assertThat(spike.ratio(200)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void aSpikeBarelyMovesTheBaselineButALastingShiftIsLearned() {
        Random rng = new Random(11);
        BaselineState s = new BaselineState();
        int i = 0;
        for (; i < 300; i++) flat.update(s, T0 + i * MINUTE, 50 + rng.nextGaussian());
        flat.update(s, T0 + i++ * MINUTE, 5000);
        assertThat(s.level).as("one outlier is clipped").isLessThan(55);
        for (int k = 0; k < 600; k++, i++) flat.update(s, T0 + i * MINUTE, 80 + rng.nextGaussian());
        Score after = flat.update(s, T0 + i * MINUTE, 80);
        assertThat(after.expected())
                .as("ten half-lives later")
                .isCloseTo(80, org.assertj.core.data.Offset.offset(2.0));
        assertThat(Math.abs(after.deviation())).isLessThan(3);
    }

    @Test
    void learnsADailyShapeOnlyWhenItPredictsBetter() {
        Baseline seasonal = new Baseline(BaselineSettings.DEFAULTS);
        BaselineState s = new BaselineState();
        Random rng = new Random(3);
        long step = 5 * MINUTE;
        int perDay = 288;
        for (int i = 0; i < 4 * perDay; i++) {
            long ts = T0 + i * step;
            seasonal.update(s, ts, dailyShape(ts) + rng.nextGaussian());
        }
        // 03:00 is quiet and 15:00 busy: the seasonal baseline expects each.
        long night = T0 + 4 * 86_400_000L + 3 * 3_600_000L;
        long afternoon = T0 + 4 * 86_400_000L + 15 * 3_600_000L;
        assertThat(seasonal.score(s, night, dailyShape(night)).expected())
                .isCloseTo(dailyShape(night), org.assertj.core.data.Offset.offset(10.0));
        assertThat(Math.abs(seasonal.score(s, afternoon, dailyShape(afternoon)).deviation()))
                .isLessThan(3);
        // The afternoon level at night is an anomaly the flat baseline would have missed.
        assertThat(seasonal.score(s, night, dailyShape(afternoon)).anomaly()).isGreaterThan(0.9);
    }

    @Test
    void stateSizeDoesNotGrowWithHistory() {
        Baseline seasonal = new Baseline(BaselineSettings.DEFAULTS);
        BaselineState s = new BaselineState();
        seasonal.update(s, T0, 1);
        long early = s.approximateBytes();
        for (int i = 1; i < 10_000; i++) seasonal.update(s, T0 + i * MINUTE, i % 7);
        assertThat(s.approximateBytes()).isEqualTo(early);
    }

    @Test
    void ignoresValuesThatAreNotNumbers() {
        BaselineState s = new BaselineState();
        for (int i = 0; i < 40; i++) flat.update(s, T0 + i * MINUTE, 10);
        long before = s.samples;
        assertThat(flat.update(s, T0 + 41 * MINUTE, Double.NaN).warm()).isFalse();
        assertThat(s.samples).isEqualTo(before);
    }

    /** 100 at night, 400 in the afternoon. */
    private static double dailyShape(long ts) {
        double hour = Math.floorMod(ts, 86_400_000L) / 3_600_000.0;
        return 250 - 150 * Math.cos(2 * Math.PI * (hour - 3) / 24);
    }
}
