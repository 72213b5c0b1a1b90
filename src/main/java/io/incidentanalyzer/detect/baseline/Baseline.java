package io.incidentanalyzer.detect.baseline;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A robust, seasonal streaming baseline for one series at a time: the shared core of the baseline
 * shift detector, of the rate detectors (refresh storm, auth failures, error patterns) and of
 * {@code evaluate nab}. Stateless itself; each series' memory is a {@link BaselineState} the caller
 * keeps (in Flink keyed state), so one instance serves every key.
 *
 * <p>{@link #update} first scores the sample against what the state expected, then learns it. Six
 * parts (docs/detectors.md#baseline-shift):
 *
 * <ol>
 *   <li><b>Expectation.</b> Three predictors compete: the flat level (an exponentially weighted
 *       Huber estimate: a residual counts at most {@value #CLIP} spreads, so a spike moves it
 *       little), the level with its trend (double exponential smoothing, so a daily ramp is not
 *       followed with a lag), and a daily profile (a slot per hour, Saturday and Sunday apart, each
 *       with its own level and spread, used once it has {@code seasonMinPeriods} periods of
 *       history). Each is used only where it predicts clearly better than the simpler one, judged
 *       by its mean absolute error over a day: the trend below {@value #TREND_MARGIN} of the flat
 *       level's, the profile below {@value #SEASON_MARGIN} of the other's. Series without a ramp or
 *       a daily shape stay flat. {@link Score#deviation} is the robust z-score against it.
 *   <li><b>Rarity.</b> Every deviation is counted, in the series' own units, in a decayed histogram
 *       of logarithmic bins (one per direction, forgetting with {@code tailMemory}); the daily
 *       profile's deviations have a histogram of their own, so the errors the flat level made on a
 *       daily shape do not make the profile's deviations look commonplace. A sample's rarity is how
 *       rare a deviation at least this large has been: the decayed share P of past deviations that
 *       reached it, extrapolated beyond the largest one seen as {@code (largest /
 *       deviation)^}{@value #TAIL_POWER}. A series that spikes every hour does not alarm on its
 *       usual spikes; a spike larger than any seen for days does.
 *   <li><b>Burst.</b> The same rarity, with its own histogram, for the recent mean deviation (an
 *       exponentially weighted mean with the {@code burstWindow} half-life) once it is at least
 *       {@value #BURST_FLOOR} scale from the expectation: a cluster of spikes, or a level that has
 *       crept away, is rare as a whole even when each sample is commonplace for the series.
 *   <li><b>Volatility.</b> The same rarity, with a one-sided histogram of its own, for the recent
 *       volatility: the mean absolute change from one sample to the next (the {@code burstWindow}
 *       half-life, each change clipped at {@value #SWING_CLIP} scales) once it is at least {@value
 *       #BURST_FLOOR} scale. An oscillation onset is rare as a whole even when no sample is larger
 *       than usual and the recent mean does not move.
 *   <li><b>News.</b> The anomaly is the largest of the three rarities beyond one in a thousand,
 *       less the largest of the recent samples (fading with {@code shiftConfirm}): a drop that
 *       takes five samples, or a burst that grows for an hour, scores once, at its start.
 *   <li><b>New level.</b> When nearly all recent samples ({@value #SHIFT_SHARE} of a {@code
 *       shiftConfirm} half-life) lie more than {@value #SHIFT_Z} scales on one side, the series has
 *       moved: the level jumps to the new value (and the recent mean deviation restarts), so a
 *       shift is not reported for as long as the slow level takes to follow it.
 * </ol>
 *
 * <p>Time-aware: every half-life is event time, so the weight of a sample follows the time since
 * the previous one and irregular sampling weighs history by time, not by sample count; a half-life
 * never spans fewer than {@value #MIN_HALF_LIFE_SAMPLES} sampling intervals (the burst window
 * {@value #MIN_BURST_SAMPLES}), so a series sampled every hour still averages enough samples.
 */
public final class Baseline implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A residual counts at most this many spreads when learning the level and spread. */
    static final double CLIP = 2.0;

    /** The daily profile is used only when its error is below this share of the other's. */
    static final double SEASON_MARGIN = 0.8;

    /**
     * The trend is used only when its error is below this share of the flat level's: a trend
     * follows noise and overshoots level shifts, so it must earn its place clearly (a daily ramp
     * makes the flat level's error several times the trend's).
     */
    static final double TREND_MARGIN = 0.5;

    /**
     * Half-life of the predictors' errors that decide which one is used: a day, every hour in it.
     */
    private static final double ERROR_HALF_LIFE_MS = 86_400_000.0;

    /** A predictor's error counts a residual at most this many of its Huber limits. */
    private static final double ERROR_CLIP = 8.0;

    /**
     * The level and spread's half-life spans at least this many sampling intervals: an
     * exponentially weighted spread of fewer samples is mostly noise (two hours of NAB's 5-minute
     * samples; a day of hourly ones).
     */
    static final int MIN_HALF_LIFE_SAMPLES = 24;

    /** The recent mean and volatility average at least this many sampling intervals. */
    static final int MIN_BURST_SAMPLES = 4;

    /** Weight of a new time step in the typical sampling interval. */
    private static final double INTERVAL_WEIGHT = 0.05;

    /** Deviations smaller than this many scales are never anomalous. */
    static final double TAIL_FLOOR = 2.0;

    /** Beyond the largest deviation seen, rarity falls with this power of the ratio. */
    static final double TAIL_POWER = 12.0;

    /** Deviation bins per doubling of the deviation. */
    static final int BINS_PER_OCTAVE = 4;

    /** Deviation bins per direction: 12 octaves below the largest deviation seen. */
    static final int TAIL_BINS = 48;

    /** A sample counts towards a new level when it lies this many scales from the expectation. */
    static final double SHIFT_Z = 3.0;

    /** Share of recent samples on one side that confirms a new level. */
    static final double SHIFT_SHARE = 0.85;

    /** The recent mean deviation is judged only when it is at least this many scales. */
    static final double BURST_FLOOR = 1.0;

    /**
     * A change between successive samples counts at most this many scales towards the recent
     * volatility, so one spike (two large changes) moves it little while a sustained swing does.
     */
    static final double SWING_CLIP = 6.0;

    /**
     * A sample is learned as if it lay at most this many times the largest deviation seen from the
     * expectation (or this many times {@value #TAIL_FLOOR} scales): four octaves, far beyond
     * anything a series does by itself from one sample to the next, and little enough that the
     * deviation bins (twelve octaves) still resolve the usual deviations afterwards.
     */
    static final double OUTLIER_RATIO = 16.0;

    /** While warming up, residuals count at most this many spreads (wide: the spread is young). */
    static final double WARMUP_CLIP = 10.0;

    /** Rarity (−log10 P) below which a sample scores 0: rarer than one in a thousand. */
    static final double SURPRISE_ONSET = 3.0;

    /** Half-life of {@link BaselineState#magnitude}, the order of magnitude of the series. */
    private static final double MAGNITUDE_HALF_LIFE_MS = 86_400_000.0;

    /** The median absolute deviation of a normal distribution is 0.6745 σ. */
    private static final double MAD_TO_SIGMA = 1.4826;

    private static final double BIN_RATIO = Math.pow(2, 1.0 / BINS_PER_OCTAVE);

    private static final long DAY_MS = 86_400_000L;

    private final BaselineSettings settings;
    private final double halfLifeMs;
    private final double tailMemoryMs;
    private final double shiftConfirmMs;
    private final double burstMs;
    private final long seasonMs;

    public Baseline(BaselineSettings settings) {
        this.settings = settings;
        this.halfLifeMs = settings.halfLife().toMillis();
        this.tailMemoryMs = settings.tailMemory().toMillis();
        this.shiftConfirmMs = settings.shiftConfirm().toMillis();
        this.burstMs = settings.burstWindow().toMillis();
        this.seasonMs = settings.seasonal() ? settings.season().toMillis() : 0;
    }

    public BaselineSettings settings() {
        return settings;
    }

    /** What the predictors expect at one instant, before the sample is learned. */
    private record Predictions(double level, double trend, double flat, double seasonal) {}

    private Predictions predict(BaselineState s, long ts) {
        double trend = trendExpected(s, ts);
        double flat = trendChosen(s) ? trend : s.level;
        return new Predictions(
                s.level, trend, flat, seasonMs > 0 ? seasonalExpected(s, ts) : Double.NaN);
    }

    /** Scores {@code value} at event time {@code ts} against the state, then learns it. */
    public Score update(BaselineState s, long ts, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Score.cold(value);
        }
        if (s.samples == 0) {
            s.level = value;
            s.spread = 0;
            s.magnitude = Math.abs(value);
            s.lastTs = ts;
            s.samples = 1;
            s.tailUp = new double[TAIL_BINS];
            s.tailDown = new double[TAIL_BINS];
            s.burstUp = new double[TAIL_BINS];
            s.burstDown = new double[TAIL_BINS];
            s.swingCounts = new double[TAIL_BINS];
            s.lastValue = value;
            if (seasonMs > 0) {
                initSeason(s);
                s.seasonTailUp = new double[TAIL_BINS];
                s.seasonTailDown = new double[TAIL_BINS];
            }
            learnSeason(s, ts, value, 1.0);
            return Score.cold(value);
        }
        Predictions before = predict(s, ts);
        Assessed assessed = assess(s, ts, value, before);
        Score score = assessed.score();
        long dt = Math.max(1, ts - s.lastTs);
        if (ts > s.lastTs) {
            // the typical sampling interval; a gap counts at most four intervals
            s.interval =
                    s.interval <= 0
                            ? dt
                            : s.interval
                                    + INTERVAL_WEIGHT * (Math.min(dt, 4 * s.interval) - s.interval);
        }
        // Weight of the new sample: 1 - 2^(-dt/halfLife); at least 1/samples while young, so
        // the first samples average instead of being swamped by the seed value.
        double alpha = Math.max(forget(dt, halfLife(s)), 1.0 / (s.samples + 1));
        double errorAlpha = Math.max(forget(dt, ERROR_HALF_LIFE_MS), 1.0 / (s.samples + 1));
        // Everything below learns from the sample moved to within a bounded distance of what was
        // expected, so one absurd but finite value (1e12 in a latency series) is a large
        // deviation once, not a magnitude, an error or a mean that takes days to forget.
        double expected = score.warm() ? score.expected() : before.flat();
        double bound = learningBound(s, score);
        double learned = expected + clamp(value - expected, bound);
        if (!Double.isNaN(before.seasonal())) {
            s.seasonError += errorAlpha * (Math.abs(learned - before.seasonal()) - s.seasonError);
            s.flatError += errorAlpha * (Math.abs(learned - before.flat()) - s.flatError);
        }
        double magnitudeAlpha = Math.max(forget(dt, MAGNITUDE_HALF_LIFE_MS), 1.0 / (s.samples + 1));
        s.magnitude += magnitudeAlpha * (Math.abs(learned) - s.magnitude);
        learn(s, value, Math.max(0, ts - s.lastTs), alpha, errorAlpha, before);
        if (seasonMs > 0) learnSeason(s, ts, value, alpha);
        // the recent volatility is learned from the second sample on, averaging while young
        double recentWeight = forget(dt, burstWindow(s));
        double swing =
                swingMean(
                        s, recentWeight, value, score.warm() ? score.scale() : warmupSwingScale(s));
        s.swing = Math.max(swing, 0);
        if (score.warm()) {
            double residual = learned - score.expected();
            double burst = burstMean(s, recentWeight, residual);
            s.recentExcess = Math.max(recentExcess(s, ts), assessed.excess());
            double keep = 1 - forget(dt, tailMemoryMs);
            boolean fresh = s.tailCount == 0;
            s.tailAnchor =
                    countDeviation(
                            s.tailUp,
                            s.tailDown,
                            fresh,
                            s.tailAnchor,
                            keep,
                            score.scale(),
                            clamp(value - before.flat(), bound));
            s.tailCount = (fresh ? settings.warmup() : s.tailCount) * keep + 1;
            if (!Double.isNaN(before.seasonal())) {
                // the profile's own deviations, counted whether or not it is in use, so that it
                // has a history of its own by the time it predicts better
                if (s.seasonTailUp == null) {
                    // a state checkpointed before the profile's own histogram existed
                    s.seasonTailUp = new double[TAIL_BINS];
                    s.seasonTailDown = new double[TAIL_BINS];
                }
                fresh = s.seasonTailCount == 0;
                s.seasonTailAnchor =
                        countDeviation(
                                s.seasonTailUp,
                                s.seasonTailDown,
                                fresh,
                                s.seasonTailAnchor,
                                keep,
                                score.scale(),
                                clamp(value - before.seasonal(), bound));
                s.seasonTailCount = (fresh ? settings.warmup() : s.seasonTailCount) * keep + 1;
            }
            if (s.burstUp == null) {
                // a state checkpointed before the burst histogram existed
                s.burstUp = new double[TAIL_BINS];
                s.burstDown = new double[TAIL_BINS];
            }
            if (s.burstCount == 0) {
                // an exponentially weighted mean of independent deviations with weight a has
                // a/(2 - a) of their variance
                double a = forget(dt, burstWindow(s));
                double scale = score.scale() * Math.sqrt(a / (2 - a));
                s.burstAnchor = seed(s.burstUp, s.burstDown, scale, settings.warmup());
                s.burstCount = settings.warmup();
            }
            s.burst = burst;
            s.burstCount = s.burstCount * keep + 1;
            s.burstAnchor = count(s.burstUp, s.burstDown, keep, s.burstAnchor, burst);
            if (s.swingCounts == null) {
                // a state checkpointed before the volatility histogram existed
                s.swingCounts = new double[TAIL_BINS];
            }
            if (s.swingCount == 0) {
                // the prior: the mean absolute change between successive independent normal
                // deviations of this scale (mean 2/√π, spread √(2 − 4/π) of the scale per change),
                // averaged with weight a
                double a = forget(dt, burstWindow(s));
                double mean = 2 / Math.sqrt(Math.PI) * score.scale();
                double sd = Math.sqrt((2 - 4 / Math.PI) * a / (2 - a)) * score.scale();
                s.swingAnchor = seedAround(s.swingCounts, mean, sd, settings.warmup());
                s.swingCount = settings.warmup();
            }
            s.swingCount = s.swingCount * keep + 1;
            s.swingAnchor = count(s.swingCounts, null, keep, s.swingAnchor, swing);
            double side =
                    Math.abs(score.deviation()) > SHIFT_Z ? Math.signum(score.deviation()) : 0;
            s.shift += forget(dt, shiftConfirmMs) * (side - s.shift);
            if (Math.abs(s.shift) > SHIFT_SHARE) newLevel(s, value);
        }
        s.lastTs = Math.max(s.lastTs, ts);
        s.lastValue = value;
        s.samples++;
        return score;
    }

    /** Scores without learning: what {@link #update} would return. */
    public Score score(BaselineState s, long ts, double value) {
        return assess(s, ts, value, predict(s, ts)).score();
    }

    /** A score and the largest excess behind it (what {@link #update} remembers as reported). */
    private record Assessed(Score score, double excess) {}

    private Assessed assess(BaselineState s, long ts, double value, Predictions p) {
        if (s.samples < settings.warmup()) {
            return new Assessed(
                    new Score(s.samples == 0 ? value : p.flat(), s.spread, 0, 0, false),
                    -SURPRISE_ONSET);
        }
        boolean seasonal =
                !Double.isNaN(p.seasonal()) && s.seasonError < SEASON_MARGIN * s.flatError;
        double expected = seasonal ? p.seasonal() : p.flat();
        double spread =
                seasonal
                        ? s.seasonSpread[usableSlot(s, ts)]
                        : trendChosen(s) ? s.trendSpread : s.spread;
        double floor = settings.relativeFloor() * Math.max(Math.abs(expected), s.magnitude);
        double scale = Math.max(MAD_TO_SIGMA * spread, Math.max(floor, Double.MIN_NORMAL));
        double deviation = (value - expected) / scale;
        double excess;
        if (Math.abs(deviation) < TAIL_FLOOR) {
            excess = -SURPRISE_ONSET;
        } else if (seasonal && s.seasonTailCount > 0 && expected != p.flat()) {
            excess =
                    rarity(
                                    s.seasonTailUp,
                                    s.seasonTailDown,
                                    s.seasonTailAnchor,
                                    s.seasonTailCount,
                                    value - expected)
                            - SURPRISE_ONSET;
        } else {
            excess = surprise(s, value - expected) - SURPRISE_ONSET;
        }
        // the weight of this sample in the recent mean deviation and the recent volatility
        double recentWeight = forget(Math.max(1, ts - s.lastTs), burstWindow(s));
        if (s.burstCount > 0) {
            double burst = burstMean(s, recentWeight, value - expected);
            excess = Math.max(excess, burstExcess(s, burst, scale));
        }
        if (s.swingCount > 0) {
            double swing = swingMean(s, recentWeight, value, scale);
            excess = Math.max(excess, swingExcess(s, swing, scale));
        }
        double news = excess - recentExcess(s, ts);
        return new Assessed(new Score(expected, scale, deviation, anomaly(news), true), excess);
    }

    /** The recent mean deviation after one more {@code residual} of the given weight. */
    private static double burstMean(BaselineState s, double weight, double residual) {
        return s.burst + weight * (residual - s.burst);
    }

    /**
     * How far the rarity of a recent mean deviation goes beyond one in a thousand; negative when it
     * is commoner, or smaller than {@value #BURST_FLOOR} scale.
     */
    private static double burstExcess(BaselineState s, double burst, double scale) {
        if (s.burstCount <= 0 || Math.abs(burst) < BURST_FLOOR * scale) return -SURPRISE_ONSET;
        return rarity(s.burstUp, s.burstDown, s.burstAnchor, s.burstCount, burst) - SURPRISE_ONSET;
    }

    /**
     * The recent volatility after one more sample of the given weight: an exponentially weighted
     * mean (the {@code burstWindow} half-life, at least 1/samples while young) of the absolute
     * change from the previous sample, each change clipped at {@value #SWING_CLIP} scales ({@code
     * scale} NaN: not clipped, while warming up). A level shift is one change; an oscillation is a
     * change at every sample.
     */
    private static double swingMean(BaselineState s, double weight, double value, double scale) {
        double change = Math.abs(value - s.lastValue);
        if (!Double.isNaN(scale)) change = Math.min(change, SWING_CLIP * scale);
        double a = Math.max(weight, 1.0 / s.samples);
        return s.swing + a * (change - s.swing);
    }

    /**
     * How far the rarity of the recent volatility goes beyond one in a thousand; negative when it
     * is commoner, or below {@value #BURST_FLOOR} scale.
     */
    private static double swingExcess(BaselineState s, double swing, double scale) {
        if (s.swingCount <= 0 || swing < BURST_FLOOR * scale) return -SURPRISE_ONSET;
        return rarity(s.swingCounts, s.swingCounts, s.swingAnchor, s.swingCount, swing)
                - SURPRISE_ONSET;
    }

    /** The largest excess of the recent samples, fading with the shift confirmation half-life. */
    private double recentExcess(BaselineState s, long ts) {
        long dt = Math.max(0, ts - s.lastTs);
        return Math.max(0, s.recentExcess) * (1 - forget(dt, shiftConfirmMs));
    }

    /**
     * Maps the news of a sample (its rarity beyond one in a thousand, less that of the recent
     * samples) to [0, 1]: 0 when none, 0.5 at 1.4 decades (P near 1e-4.4 after a quiet spell), 0.9
     * at 4.6 decades (1e-7.6).
     */
    static double anomaly(double news) {
        return news <= 0 ? 0 : 1 - Math.exp(-news / 2);
    }

    /**
     * −log10 of the decayed share of past deviations on the same side at least as large as {@code
     * residual}; beyond the largest one seen, half a sample scaled down by a power law of how much
     * larger it is.
     */
    static double surprise(BaselineState s, double residual) {
        return rarity(s.tailUp, s.tailDown, s.tailAnchor, s.tailCount, residual);
    }

    /**
     * −log10 of the decayed share of the counts ({@code up} or {@code down} by the sign, {@code
     * total} in all, bin 0 starting at {@code anchor}) at least as large as {@code residual}.
     */
    static double rarity(double[] up, double[] down, double anchor, double total, double residual) {
        if (up == null || total <= 0) return 0;
        double[] counts = residual < 0 ? down : up;
        double size = Math.abs(residual);
        double position = position(anchor, size);
        int b = (int) position;
        // the share of its own bin above it, as if the bin's counts were spread evenly in log
        double atLeast = b < TAIL_BINS ? (1 - (position - b)) * counts[b] : 0;
        for (int i = b + 1; i < TAIL_BINS; i++) atLeast += counts[i];
        double largest = largestSeen(counts, anchor);
        double beyond = 0.5 * Math.pow(Math.min(1, largest / size), TAIL_POWER);
        double p = Math.max(atLeast, beyond) / total;
        return -Math.log10(Math.max(p, Double.MIN_NORMAL));
    }

    /** The upper edge of the highest bin that, with the bins above it, holds half a count. */
    private static double largestSeen(double[] counts, double anchor) {
        int top = TAIL_BINS - 1;
        for (double seen = counts[top]; top > 0 && seen < 0.5; seen += counts[--top]) {}
        return anchor * Math.pow(BIN_RATIO, top + 1);
    }

    /** Where a deviation size falls in the bins, fractional: 3.5 is the middle of bin 3. */
    private static double position(double anchor, double size) {
        if (anchor <= 0) return 0;
        double position = Math.log(size / anchor) / Math.log(BIN_RATIO);
        return position > 0 ? Math.min(position, 2.0 * TAIL_BINS) : 0;
    }

    /**
     * The prior of a histogram that has just warmed up: {@code weight} deviations spread as a
     * normal distribution of {@code scale} would spread them. Until real deviations outweigh it,
     * rarity is judged like a z-score; it fades with the tail memory. Returns the anchor.
     */
    private static double seed(double[] up, double[] down, double scale, double weight) {
        double anchor = scale / Math.pow(2, TAIL_BINS / BINS_PER_OCTAVE / 2);
        double below = normalCdf(anchor / scale) - 0.5;
        for (int i = 0; i < TAIL_BINS; i++) {
            double above = normalCdf(anchor * Math.pow(BIN_RATIO, i + 1) / scale) - 0.5;
            up[i] = weight * (above - below);
            down[i] = up[i];
            below = above;
        }
        up[0] += weight * (normalCdf(anchor / scale) - 0.5);
        down[0] = up[0];
        return anchor;
    }

    /**
     * The prior of a one-sided histogram that has just warmed up: {@code weight} values spread
     * normally around {@code mean} with standard deviation {@code sd}. Returns the anchor.
     */
    private static double seedAround(double[] counts, double mean, double sd, double weight) {
        double anchor = mean / Math.pow(2, TAIL_BINS / BINS_PER_OCTAVE / 2);
        double below = normalCdf((anchor - mean) / sd);
        counts[0] = weight * below;
        for (int i = 0; i < TAIL_BINS; i++) {
            double above = normalCdf((anchor * Math.pow(BIN_RATIO, i + 1) - mean) / sd);
            counts[i] += weight * (above - below);
            below = above;
        }
        return anchor;
    }

    /** The standard normal distribution function (Zelen and Severo, error below 1e-7). */
    static double normalCdf(double x) {
        double t = 1 / (1 + 0.2316419 * Math.abs(x));
        double poly =
                t
                        * (0.319381530
                                + t
                                        * (-0.356563782
                                                + t
                                                        * (1.781477937
                                                                + t
                                                                        * (-1.821255978
                                                                                + t
                                                                                        * 1.330274429))));
        double tail = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) * poly;
        return x >= 0 ? 1 - tail : tail;
    }

    /**
     * Multiplies the counts by {@code keep} and adds one at {@code residual}, moving the bins up if
     * it is the largest yet (the caller keeps the total). {@code down} is null for a one-sided
     * histogram (values never negative). Returns the new anchor.
     */
    private static double count(
            double[] up, double[] down, double keep, double anchor, double residual) {
        for (int i = 0; i < TAIL_BINS; i++) {
            up[i] *= keep;
            if (down != null) down[i] *= keep;
        }
        double size = Math.abs(residual);
        if (size > 0 && anchor <= 0) {
            // the first deviation sits two octaves below the top of the range
            anchor = size / Math.pow(2, TAIL_BINS / BINS_PER_OCTAVE - 2);
        }
        int b = (int) position(anchor, size);
        if (b >= TAIL_BINS) {
            int by = b - TAIL_BINS + 1;
            shiftBins(up, by);
            if (down != null) shiftBins(down, by);
            anchor *= Math.pow(BIN_RATIO, by);
            b = TAIL_BINS - 1;
        }
        (residual < 0 ? down : up)[b] += 1;
        return anchor;
    }

    /**
     * Counts a deviation in a two-sided histogram, first seeding it with the warm-up prior at
     * {@code scale} when it is {@code fresh}. Returns the new anchor; the caller keeps the total.
     */
    private double countDeviation(
            double[] up,
            double[] down,
            boolean fresh,
            double anchor,
            double keep,
            double scale,
            double residual) {
        double from = fresh ? seed(up, down, scale, settings.warmup()) : anchor;
        return count(up, down, keep, from, residual);
    }

    /** Moves every bin down by {@code by}; the lowest ones merge into bin 0. */
    private static void shiftBins(double[] counts, int by) {
        double merged = 0;
        for (int i = 0; i <= Math.min(by, TAIL_BINS - 1); i++) merged += counts[i];
        for (int i = 1; i < TAIL_BINS; i++) {
            counts[i] = i + by < TAIL_BINS ? counts[i + by] : 0;
        }
        counts[0] = merged;
    }

    /**
     * A confirmed move to a new level: start the level there and the recent mean deviation afresh.
     * The deviation counts are kept: the new regime is judged by the series' own history of sizes.
     */
    private static void newLevel(BaselineState s, double value) {
        s.level = value;
        s.trendAge = 0;
        s.trendVar = 0;
        s.trendCov = 0;
        s.shift = 0;
        s.burst = 0;
    }

    /** Whether the trend predicts clearly better than the flat level, over the last day. */
    private static boolean trendChosen(BaselineState s) {
        return s.trendError < TREND_MARGIN * s.levelError;
    }

    /**
     * The level with its trend at {@code ts}: an exponentially weighted linear regression of the
     * learned samples on time (the same weights as the level, so while young an ordinary least
     * squares fit), read at {@code ts}; beyond the last sample the line is followed for at most the
     * weights' time constant, fading, so a gap does not extrapolate a slope for hours.
     */
    private double trendExpected(BaselineState s, long ts) {
        if (s.samples < 2 || !(s.trendVar > 0)) return s.level;
        double slope = s.trendCov / s.trendVar;
        double timeConstant = halfLife(s) / Math.log(2);
        double ahead = Math.max(0, ts - s.lastTs);
        return s.level
                + slope * (s.trendAge + timeConstant * (1 - Math.exp(-ahead / timeConstant)));
    }

    /** The level's half-life: the setting, or the minimum number of sampling intervals. */
    private double halfLife(BaselineState s) {
        return Math.max(halfLifeMs, MIN_HALF_LIFE_SAMPLES * s.interval);
    }

    /** The recent mean's and volatility's half-life, likewise. */
    private double burstWindow(BaselineState s) {
        return Math.max(burstMs, MIN_BURST_SAMPLES * s.interval);
    }

    /** The weight of new information after {@code dt} ms with a half-life of {@code halfLife}. */
    private static double forget(long dt, double halfLifeMs) {
        return 1 - Math.pow(2, -dt / halfLifeMs);
    }

    /**
     * How far from the expectation a sample may lie when the baseline learns from it: {@value
     * #OUTLIER_RATIO} times the largest deviation the series has shown (so its usual spikes are
     * learned whole and one larger than ever counts as at most that much larger); while warming up,
     * {@value #WARMUP_CLIP} spreads from the third sample on (the first two set the spread).
     */
    private double learningBound(BaselineState s, Score score) {
        if (score.warm() && s.tailCount > 0) {
            double largest =
                    Math.max(
                            largestSeen(s.tailUp, s.tailAnchor),
                            largestSeen(s.tailDown, s.tailAnchor));
            return Math.max(OUTLIER_RATIO * largest, OUTLIER_RATIO * TAIL_FLOOR * score.scale());
        }
        if (score.warm()) return OUTLIER_RATIO * TAIL_FLOOR * score.scale();
        return s.samples >= 2 && s.spread > 0 ? WARMUP_CLIP * s.spread : Double.POSITIVE_INFINITY;
    }

    /** The clip of the volatility's changes while warming up (NaN: none yet). */
    private static double warmupSwingScale(BaselineState s) {
        return s.samples >= 2 && s.spread > 0 ? WARMUP_CLIP * s.spread / SWING_CLIP : Double.NaN;
    }

    private static double clamp(double r, double bound) {
        return Math.max(-bound, Math.min(bound, r));
    }

    /**
     * Learns the level (and its regression on time, for the trend), the spreads and the errors that
     * decide whether the trend is used; while warming up with a wide clip, so they start unbiased.
     * The level learns the sample moved to within the Huber limit of the prediction in use; the
     * flat spread and the trend's spread each learn their own predictor's residual, so the spread
     * of a series on a ramp is not its own lag.
     */
    private void learn(
            BaselineState s,
            double value,
            long dt,
            double alpha,
            double errorAlpha,
            Predictions p) {
        boolean warm = s.samples >= settings.warmup();
        boolean clip = s.spread > 0 && (warm || s.samples >= 2);
        double huber = warm ? CLIP : WARMUP_CLIP;
        boolean trend = trendChosen(s);
        double limit = huber * (trend ? s.trendSpread : s.spread);
        double r = value - p.flat();
        double clipped = clip ? clamp(r, limit) : r;
        double levelLimit = clip ? huber * s.spread : Double.POSITIVE_INFINITY;
        double trendLimit = clip && s.trendSpread > 0 ? huber * s.trendSpread : levelLimit;
        double levelResidual = Math.abs(value - p.level());
        double trendResidual = Math.abs(value - p.trend());
        s.levelError +=
                errorAlpha * (Math.min(levelResidual, ERROR_CLIP * levelLimit) - s.levelError);
        s.trendError +=
                errorAlpha * (Math.min(trendResidual, ERROR_CLIP * trendLimit) - s.trendError);
        s.trendSpread += alpha * (Math.min(trendResidual, trendLimit) - s.trendSpread);
        // the level is the weighted mean of the learned samples; the regression on time keeps
        // the weighted mean age of the samples and their weighted (co)variance with time
        double dx = p.flat() + clipped - s.level;
        double age = s.trendAge + dt;
        s.level += alpha * dx;
        s.trendCov = (1 - alpha) * (s.trendCov + alpha * age * dx);
        s.trendVar = (1 - alpha) * (s.trendVar + alpha * age * age);
        s.trendAge = (1 - alpha) * age;
        double dev = clip ? Math.min(levelResidual, huber * s.spread) : levelResidual;
        s.spread += alpha * (dev - s.spread);
    }

    private void initSeason(BaselineState s) {
        int n = settings.seasonBins() * (weekendSlots() ? 2 : 1);
        s.seasonLevel = new double[n];
        s.seasonSpread = new double[n];
        s.seasonSince = new long[n];
        Arrays.fill(s.seasonSince, -1);
    }

    private void learnSeason(BaselineState s, long ts, double value, double alpha) {
        if (s.seasonLevel == null) return;
        int b = bin(ts);
        if (s.seasonSince[b] < 0) {
            s.seasonSince[b] = ts;
            s.seasonLevel[b] = value;
            s.seasonSpread[b] = s.spread;
            return;
        }
        // A slot learns at the level's rate in its own time (the hours it covers), so it remembers
        // as many periods as the level remembers slot lengths: two days at the defaults. (It
        // used to learn bins times faster, which made a slot the last few samples of its hour.)
        double a = alpha;
        double r = value - s.seasonLevel[b];
        double spread = s.seasonSpread[b];
        double limit = CLIP * Math.max(spread, 1e-12);
        s.seasonLevel[b] += a * (spread == 0 ? r : Math.max(-limit, Math.min(limit, r)));
        double dev = Math.abs(r);
        s.seasonSpread[b] += a * ((spread == 0 ? dev : Math.min(dev, CLIP * spread)) - spread);
    }

    /**
     * The slot that predicts {@code ts}: its own once it has {@code seasonMinPeriods} periods of
     * history; a weekend slot without them borrows the weekday slot of the same hour (a weekday
     * profile is a better guess for the first Saturday than none); -1 while neither has.
     */
    private int usableSlot(BaselineState s, long ts) {
        if (s.seasonLevel == null) return -1;
        int b = bin(ts);
        if (usable(s, b, ts)) return b;
        int weekday = b % settings.seasonBins();
        return weekday != b && usable(s, weekday, ts) ? weekday : -1;
    }

    private boolean usable(BaselineState s, int slot, long ts) {
        long since = s.seasonSince[slot];
        return since >= 0
                && ts - since >= (long) settings.seasonMinPeriods() * seasonMs - seasonMs / 2;
    }

    /** The seasonal slot's level, or NaN while no slot has enough history. */
    private double seasonalExpected(BaselineState s, long ts) {
        int slot = usableSlot(s, ts);
        return slot < 0 ? Double.NaN : s.seasonLevel[slot];
    }

    /** Whether Saturday and Sunday get daily slots of their own (a daily season only). */
    private boolean weekendSlots() {
        return settings.weekend() && seasonMs == DAY_MS;
    }

    private int bin(long ts) {
        long inSeason = Math.floorMod(ts, seasonMs);
        int b = (int) (inSeason * settings.seasonBins() / seasonMs);
        if (weekendSlots()) {
            // 1970-01-01 (UTC) was a Thursday: days 2 and 3 of the week are Saturday and Sunday
            long weekday = Math.floorMod(Math.floorDiv(ts, DAY_MS), 7);
            if (weekday == 2 || weekday == 3) b += settings.seasonBins();
        }
        return b;
    }
}
