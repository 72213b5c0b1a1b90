package io.incidentanalyzer.detect.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        // 03:00 is quiet and 15:00 busy: the seasonal baseline expects each. T0 is a Tuesday, so
        // this is the first Saturday: without weekend history it borrows the weekdays' profile.
        long night = T0 + 4 * 86_400_000L + 3 * 3_600_000L;
        assertThat(Math.floorMod(Math.floorDiv(night, 86_400_000L), 7)).as("Saturday").isEqualTo(2);
        long afternoon = T0 + 4 * 86_400_000L + 15 * 3_600_000L;
        assertThat(seasonal.score(s, night, dailyShape(night)).expected())
                .isCloseTo(dailyShape(night), org.assertj.core.data.Offset.offset(10.0));
        assertThat(Math.abs(seasonal.score(s, afternoon, dailyShape(afternoon)).deviation()))
                .isLessThan(3);
        // The afternoon level at night is an anomaly the flat baseline would have missed. (Rarity,
        // not size, sets the anomaly: the first two days, before the slots were trusted, saw
        // deviations this large from the flat level, so it is rare but not unheard of.)
        Score nightAtAfternoonLevel = seasonal.score(s, night, dailyShape(afternoon));
        assertThat(nightAtAfternoonLevel.deviation()).isGreaterThan(20);
        assertThat(nightAtAfternoonLevel.anomaly()).isGreaterThan(0.5);
    }

    @Test
    void aLastingShiftScoresAtItsStartNotForAsLongAsItLasts() {
        Random rng = new Random(5);
        BaselineState s = new BaselineState();
        int i = 0;
        for (; i < 600; i++) flat.update(s, T0 + i * MINUTE, 100 + rng.nextGaussian());
        double first = flat.update(s, T0 + i++ * MINUTE, 130 + rng.nextGaussian()).anomaly();
        assertThat(first).as("the first sample at the new level").isGreaterThan(0.9);
        double later = 0;
        double laterDeviation = 0;
        for (int k = 1; k < 240; k++, i++) {
            Score score = flat.update(s, T0 + i * MINUTE, 130 + rng.nextGaussian());
            if (k >= 60) later = Math.max(later, score.anomaly());
            if (k >= 120) laterDeviation = Math.max(laterDeviation, Math.abs(score.deviation()));
        }
        assertThat(later).as("an hour on, the new level is no news").isLessThan(0.5);
        assertThat(laterDeviation).as("two hours on, it is the baseline").isLessThan(6);
        assertThat(s.level).isCloseTo(130, org.assertj.core.data.Offset.offset(2.0));
    }

    @Test
    void usualSpikesAreNotAnomalousButALargerOneIs() {
        Random rng = new Random(9);
        BaselineState s = new BaselineState();
        int i = 0;
        for (; i < 3 * 24 * 60; i++) {
            double spike = i % 60 == 30 ? 50 : 0;
            flat.update(s, T0 + i * MINUTE, 10 + 0.5 * rng.nextGaussian() + spike);
        }
        // the next spike, at its usual minute
        for (; i % 60 != 30; i++) flat.update(s, T0 + i * MINUTE, 10 + 0.5 * rng.nextGaussian());
        long ts = T0 + i * MINUTE;
        Score usual = flat.score(s, ts, 60);
        assertThat(usual.deviation()).as("a spike is far from the level").isGreaterThan(20);
        assertThat(usual.anomaly()).as("but it happens every hour").isLessThan(0.5);
        assertThat(flat.score(s, ts, 210).anomaly()).as("four times as large").isGreaterThan(0.9);
        assertThat(flat.score(s, ts, -40).anomaly())
                .as("as large, downwards: never seen")
                .isGreaterThan(0.9);
    }

    @Test
    void aBurstOfUsualSpikesIsNewsAsAWholeAndScoresOnce() {
        Random rng = new Random(13);
        BaselineState s = new BaselineState();
        int i = 0;
        for (; i < 3 * 24 * 60; i++) {
            double spike = i % 60 == 30 ? 50 : 0;
            flat.update(s, T0 + i * MINUTE, 10 + 0.5 * rng.nextGaussian() + spike);
        }
        // For an hour the same spike comes every other minute instead of every hour: no sample is
        // larger than usual, but the last minutes' mean is far from anything seen.
        double first = 0;
        double most = 0;
        int scored = 0;
        for (int k = 0; k < 60; k++, i++) {
            double spike = k % 2 == 0 ? 50 : 0;
            Score score = flat.update(s, T0 + i * MINUTE, 10 + 0.5 * rng.nextGaussian() + spike);
            if (k == 0) first = score.anomaly();
            most = Math.max(most, score.anomaly());
            if (score.anomaly() > 0.2) scored++;
        }
        assertThat(first).as("the first spike of the burst is a usual spike").isLessThan(0.5);
        assertThat(most).as("the burst as a whole is rare").isGreaterThan(0.5);
        assertThat(scored)
                .as("and it is reported a few times, not for the whole hour")
                .isLessThan(6);
    }

    @Test
    void anOscillationOfUsualSizesIsNewsAsAWhole() {
        Random rng = new Random(21);
        BaselineState s = new BaselineState();
        int i = 0;
        for (; i < 3 * 24 * 60; i++) {
            // a spike of 5 every hour, up and down in turn: deviations of 5 are usual both ways
            double spike = i % 60 == 30 ? ((i / 60) % 2 == 0 ? 5 : -5) : 0;
            flat.update(s, T0 + i * MINUTE, 10 + 0.5 * rng.nextGaussian() + spike);
        }
        // The series starts to swing 2.5 above and below its level at every sample: no sample is
        // larger than usual and the recent mean does not move, but the swing is new.
        double first = 0;
        double most = 0;
        double mean = 0;
        for (int k = 0; k < 60; k++, i++) {
            double swing = k % 2 == 0 ? 2.5 : -2.5;
            Score score = flat.update(s, T0 + i * MINUTE, 10 + 0.5 * rng.nextGaussian() + swing);
            if (k < 2) first = Math.max(first, score.anomaly());
            most = Math.max(most, score.anomaly());
        }
        assertThat(first).as("its first samples are of a usual size").isLessThan(0.2);
        assertThat(Math.abs(s.burst)).as("the recent mean stays near the level").isLessThan(1);
        assertThat(most).as("the oscillation as a whole is rare").isGreaterThan(0.3);
    }

    @Test
    void sixSettingsConstructorKeepsTheNewSettingsAtTheirDefaults() {
        BaselineSettings s =
                new BaselineSettings(Duration.ofHours(1), 30, Duration.ZERO, 0, 0, 0.01);
        assertThat(s.tailMemory()).isEqualTo(Duration.ofDays(5));
        assertThat(s.shiftConfirm()).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.burstWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(s.seasonal()).isFalse();
        assertThat(BaselineSettings.DEFAULTS.seasonal()).isTrue();
        BaselineSettings blanks =
                new BaselineSettings(null, 0, null, 0, 0, 0.02, Duration.ZERO, null);
        assertThat(blanks).isEqualTo(BaselineSettings.DEFAULTS);
        assertThat(blanks.withShiftConfirm(Duration.ofHours(1)).shiftConfirm())
                .isEqualTo(Duration.ofHours(1));
        assertThat(new BaselineSettings(null, 0, null, 0, 0, 0.02, null, null, Duration.ZERO, true))
                .isEqualTo(BaselineSettings.DEFAULTS);
        assertThat(BaselineSettings.DEFAULTS.withRelativeFloor(0.05).relativeFloor())
                .isEqualTo(0.05);
        assertThat(BaselineSettings.DEFAULTS.withSeason(Duration.ZERO).seasonal()).isFalse();
        assertThat(blanks.withBurstWindow(Duration.ofHours(2)).burstWindow())
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void stateIsAFlinkPojo() {
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(BaselineState.class))
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo(BaselineState.class);
    }

    @Test
    void normalDistributionFunction() {
        assertThat(Baseline.normalCdf(0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(Baseline.normalCdf(1.959964))
                .isCloseTo(0.975, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Baseline.normalCdf(-3))
                .isCloseTo(0.0013499, org.assertj.core.data.Offset.offset(1e-6));
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

    /**
     * NAB's machine_temperature file falls back an hour and repeats it (twelve 5-minute rows): the
     * repeat is scored without throwing, the state's clock stays at the latest row, and afterwards
     * the state judges like one that never saw the repeat.
     */
    @Test
    void timeGoingBackCountsAsNoTimePassedAndCorruptsNothing() {
        Baseline nab = new Baseline(BaselineSettings.DEFAULTS);
        BaselineState repeated = new BaselineState();
        BaselineState inOrder = new BaselineState();
        Random rng = new Random(3);
        long step = 5 * MINUTE;
        int day = 288;
        for (int i = 0; i < 3 * day; i++) {
            double v = 50 + rng.nextGaussian();
            nab.update(repeated, T0 + i * step, v);
            nab.update(inOrder, T0 + i * step, v);
        }
        long latest = repeated.lastTs;
        for (int k = 0; k < 12; k++) {
            Score score =
                    nab.update(repeated, latest - 11 * step + k * step, 50 + rng.nextGaussian());
            assertThat(score.anomaly()).as("repeated row %d", k).isBetween(0.0, 0.5);
            assertThat(repeated.lastTs).isEqualTo(latest);
        }
        for (int i = 3 * day; i < 4 * day; i++) {
            double v = 50 + rng.nextGaussian();
            nab.update(repeated, T0 + i * step, v);
            nab.update(inOrder, T0 + i * step, v);
        }
        assertThat(repeated.level)
                .isCloseTo(inOrder.level, org.assertj.core.data.Offset.offset(0.1));
        assertThat(repeated.spread)
                .isCloseTo(inOrder.spread, org.assertj.core.data.Offset.offset(0.1));
        long next = T0 + 4 * day * step;
        assertThat(nab.update(repeated, next, 80).anomaly())
                .isCloseTo(
                        nab.update(inOrder, next, 80).anomaly(),
                        org.assertj.core.data.Offset.offset(0.05))
                .isGreaterThan(0.9);
    }

    /**
     * One finite but absurd sample, learned like any other (NAB and the rate detectors learn every
     * sample), must not blind the baseline: an hour later a latency three times the usual is still
     * flagged by the Watermelon latency rule (6 spreads, a fifth, 2 ms, for 20 s) within its
     * sustain time and a minute. Learning the series' magnitude from the raw value made the scale's
     * floor as large as the outlier for days.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1e12, 1e300, Double.MAX_VALUE})
    void aSingleAbsurdValueDoesNotHideALaterShift(double absurd) {
        Baseline job =
                new Baseline(
                        new BaselineSettings(
                                Duration.ofHours(1), 30, Duration.ofDays(1), 24, 2, 0.02));
        Random rng = new Random(17);
        BaselineState s = new BaselineState();
        long step = 10_000;
        long ts = T0;
        for (; ts < T0 + 6 * 60 * MINUTE; ts += step)
            job.update(s, ts, 100 + 5 * rng.nextGaussian());
        job.update(s, ts, absurd);
        ts += step;
        long shiftAt = ts + 60 * MINUTE;
        for (; ts < shiftAt; ts += step) job.update(s, ts, 100 + 5 * rng.nextGaussian());
        long shiftedSince = -1;
        long flaggedAt = -1;
        for (; ts < shiftAt + 10 * MINUTE && flaggedAt < 0; ts += step) {
            double v = 300 + 15 * rng.nextGaussian();
            Score score = job.score(s, ts, v);
            boolean shifted =
                    score.warm()
                            && score.deviation() >= 6
                            && v - score.expected() >= 0.2 * score.expected()
                            && v - score.expected() >= 2;
            if (!shifted) {
                // as the detector does: only samples within the margins are learned
                shiftedSince = -1;
                job.update(s, ts, v);
            } else if (shiftedSince < 0) {
                shiftedSince = ts;
            } else if (ts - shiftedSince >= 20_000) {
                flaggedAt = ts;
            }
        }
        assertThat(flaggedAt).as("the shift is flagged").isPositive();
        assertThat(flaggedAt - shiftAt).as("within sustain + 60 s").isLessThanOrEqualTo(80_000);
    }

    /**
     * The job's case (docs/detectors.md#baseline-shift): a database's request rate every 10 s on a
     * morning ramp (share of the daily peak as the simulator draws it, 3 % noise). With a day of
     * history the hour's slot predicts the ramp; the spread is the noise, not the lag, so a rise of
     * 59 % is far beyond 6 spreads and the usual value is not.
     */
    @Test
    void aDayOfHistoryLetsTheProfileReadAMorningRampFairly() {
        Baseline job = new Baseline(BaselineSettings.DEFAULTS);
        BaselineState s = new BaselineState();
        Random rng = new Random(3);
        long step = 10_000;
        long eleven = T0 + 2 * 86_400_000L + 11 * 3_600_000L;
        for (long ts = eleven - 86_400_000L - 90 * MINUTE; ts < eleven; ts += step) {
            job.update(s, ts, 2000 * loadShare(ts) * (1 + 0.03 * rng.nextGaussian()));
        }
        double usual = 2000 * loadShare(eleven);
        Score rise = job.score(s, eleven, 1.59 * usual);
        assertThat(rise.scale() / rise.expected()).as("the spread is the noise").isLessThan(0.06);
        assertThat(rise.deviation()).isGreaterThan(6);
        assertThat(Math.abs(job.score(s, eleven, usual).deviation())).isLessThan(3);
    }

    /**
     * Without any daily history the level lags a ramp; its trend does not, and once the trend's
     * error is clearly the smaller it is used: the spread is the noise, not the lag.
     */
    @Test
    void onARampWithoutHistoryTheTrendReadsTheSeriesNotItsLag() {
        Baseline job = new Baseline(BaselineSettings.DEFAULTS);
        BaselineState s = new BaselineState();
        Random rng = new Random(4);
        long step = 10_000;
        long start = T0 + 6 * 3_600_000L;
        long end = start + 4 * 3_600_000L;
        for (long ts = start; ts < end; ts += step) {
            job.update(
                    s,
                    ts,
                    1000 * (1 + 0.5 * (ts - start) / 3_600_000.0) + 100 * rng.nextGaussian());
        }
        double now = 1000 * (1 + 0.5 * 4);
        Score usual = job.score(s, end, now);
        assertThat(s.trendError).isLessThan(Baseline.TREND_MARGIN * s.levelError);
        assertThat(Math.abs(usual.deviation())).isLessThan(3);
        // the flat level lags this ramp by about 1,400 (its slope times 2.9 h)
        assertThat(usual.scale()).as("about the noise (100), not the lag").isLessThan(150);
        assertThat(job.score(s, end, 1.3 * now).deviation()).isGreaterThan(6);
    }

    @Test
    void onNoiseTheTrendIsNotUsed() {
        Baseline nab = new Baseline(BaselineSettings.DEFAULTS);
        BaselineState s = new BaselineState();
        Random rng = new Random(6);
        for (int i = 0; i < 2000; i++) nab.update(s, T0 + i * 5 * MINUTE, 50 + rng.nextGaussian());
        assertThat(s.trendError).isGreaterThan(Baseline.TREND_MARGIN * s.levelError);
    }

    /**
     * A square wave (20 at night, 80 from 09:00 to 18:00), then one day whose plateau is 60: the
     * profile's deviations have their own history, so this day is news even though the flat level's
     * errors on the first days were larger than 20 every day.
     */
    @Test
    void aDayOffItsProfileIsNewsThoughTheFlatLevelOnceErredMore() {
        Baseline nab = new Baseline(BaselineSettings.DEFAULTS);
        BaselineState s = new BaselineState();
        Random rng = new Random(1);
        long step = 5 * MINUTE;
        double lowered = 0;
        double elsewhere = 0;
        for (long ts = T0; ts < T0 + 12 * 86_400_000L; ts += step) {
            double hour = Math.floorMod(ts, 86_400_000L) / 3_600_000.0;
            boolean high = hour >= 9 && hour < 18;
            boolean odd = ts >= T0 + 10 * 86_400_000L && ts < T0 + 11 * 86_400_000L;
            double v = (high ? (odd ? 60 : 80) : 20) + 3 * rng.nextGaussian();
            double anomaly = nab.update(s, ts, v).anomaly();
            if (odd) lowered = Math.max(lowered, anomaly);
            else if (ts >= T0 + 3 * 86_400_000L) elsewhere = Math.max(elsewhere, anomaly);
        }
        assertThat(lowered).isGreaterThan(0.5);
        assertThat(elsewhere).isLessThan(0.5);
    }

    /** The share of the daily peak load at ts (the simulator's: 20 % at 02:00, all at 14:00). */
    private static double loadShare(long ts) {
        double hour = Math.floorMod(ts, 86_400_000L) / 3_600_000.0;
        return 0.2 + 0.8 * (1 + Math.cos(2 * Math.PI * (hour - 14) / 24)) / 2;
    }

    /** 100 at night, 400 in the afternoon. */
    private static double dailyShape(long ts) {
        double hour = Math.floorMod(ts, 86_400_000L) / 3_600_000.0;
        return 250 - 150 * Math.cos(2 * Math.PI * (hour - 3) / 24);
    }
}
