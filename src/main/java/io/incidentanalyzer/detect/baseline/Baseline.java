package io.incidentanalyzer.detect.baseline;

import java.io.Serializable;

/**
 * A robust, seasonal streaming baseline for one series at a time: the shared core of the baseline
 * shift detector, of the rate detectors (refresh storm, auth failures, error patterns) and of
 * {@code evaluate nab}. Stateless itself; each series' memory is a {@link BaselineState} the caller
 * keeps (in Flink keyed state), so one instance serves every key.
 *
 * <p>{@link #update} first scores the sample against what the state expected, then learns it. The
 * level and spread are exponentially weighted Huber estimates: a residual counts at most {@value
 * #CLIP} spreads, so a spike moves the baseline little and a lasting shift moves it within a few
 * half-lives. With a seasonal period, each slot of the period keeps its own level and spread; a
 * slot is used once it has {@code seasonMinPeriods} periods of history and predicts better than the
 * flat level (lower weighted absolute error), so series without a daily shape stay flat.
 *
 * <p>Time-aware: the learning rate of a sample follows the event time since the previous one, so
 * irregular sampling weighs history by time, not by sample count.
 */
public final class Baseline implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A residual counts at most this many spreads when learning. */
    static final double CLIP = 3.0;

    /** The median absolute deviation of a normal distribution is 0.6745 σ. */
    private static final double MAD_TO_SIGMA = 1.4826;

    private final BaselineSettings settings;
    private final double halfLifeMs;
    private final long seasonMs;

    public Baseline(BaselineSettings settings) {
        this.settings = settings;
        this.halfLifeMs = settings.halfLife().toMillis();
        this.seasonMs = settings.seasonal() ? settings.season().toMillis() : 0;
    }

    public BaselineSettings settings() {
        return settings;
    }

    /** Scores {@code value} at event time {@code ts} against the state, then learns it. */
    public Score update(BaselineState s, long ts, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Score.cold(value);
        }
        if (s.samples == 0) {
            s.level = value;
            s.spread = 0;
            s.lastTs = ts;
            s.samples = 1;
            if (seasonMs > 0) initSeason(s);
            learnSeason(s, ts, value, 1.0);
            return Score.cold(value);
        }
        Score score = score(s, ts, value);
        long dt = Math.max(1, ts - s.lastTs);
        // Weight of the new sample: 1 - 2^(-dt/halfLife); at least 1/samples while young, so
        // the first samples average instead of being swamped by the seed value.
        double alpha = 1 - Math.pow(2, -dt / halfLifeMs);
        alpha = Math.max(alpha, 1.0 / (s.samples + 1));
        double flatResidual = value - s.level;
        if (seasonMs > 0) {
            double seasonal = seasonalExpected(s, ts);
            if (!Double.isNaN(seasonal)) {
                s.seasonError += alpha * (Math.abs(value - seasonal) - s.seasonError);
                s.flatError += alpha * (Math.abs(flatResidual) - s.flatError);
            }
        }
        learn(s, value, alpha);
        if (seasonMs > 0) learnSeason(s, ts, value, alpha);
        s.lastTs = Math.max(s.lastTs, ts);
        s.samples++;
        return score;
    }

    /** Scores without learning: what {@link #update} would return. */
    public Score score(BaselineState s, long ts, double value) {
        if (s.samples < settings.warmup()) {
            return new Score(s.samples == 0 ? value : s.level, s.spread, 0, 0, false);
        }
        double expected = s.level;
        double spread = s.spread;
        double seasonal = seasonMs > 0 ? seasonalExpected(s, ts) : Double.NaN;
        if (!Double.isNaN(seasonal) && s.seasonError < s.flatError) {
            int b = bin(ts);
            expected = seasonal;
            spread = s.seasonSpread[b];
        }
        double scale =
                Math.max(
                        MAD_TO_SIGMA * spread,
                        Math.max(settings.relativeFloor() * Math.abs(expected), Double.MIN_NORMAL));
        double deviation = (value - expected) / scale;
        return new Score(expected, scale, deviation, anomaly(deviation), true);
    }

    /** Maps |z| to [0, 1]: 0 up to 2 spreads, 0.5 at 4.5, approaching 1 beyond 10. */
    static double anomaly(double deviation) {
        double z = Math.abs(deviation);
        if (z <= 2) return 0;
        return 1 - Math.exp(-(z - 2) / 3.6);
    }

    private static void learn(BaselineState s, double value, double alpha) {
        double r = value - s.level;
        double limit = CLIP * Math.max(s.spread, 1e-12);
        double clipped = s.spread == 0 ? r : Math.max(-limit, Math.min(limit, r));
        s.level += alpha * clipped;
        double dev = Math.abs(r);
        double devClipped = s.spread == 0 ? dev : Math.min(dev, CLIP * s.spread);
        s.spread += alpha * (devClipped - s.spread);
    }

    private void initSeason(BaselineState s) {
        int n = settings.seasonBins();
        s.seasonLevel = new double[n];
        s.seasonSpread = new double[n];
        s.seasonSince = new long[n];
        java.util.Arrays.fill(s.seasonSince, -1);
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
        // A slot sees 1/bins of the samples: it learns bins times faster per sample it gets.
        double a = Math.min(1, alpha * settings.seasonBins());
        double r = value - s.seasonLevel[b];
        double spread = s.seasonSpread[b];
        double limit = CLIP * Math.max(spread, 1e-12);
        s.seasonLevel[b] += a * (spread == 0 ? r : Math.max(-limit, Math.min(limit, r)));
        double dev = Math.abs(r);
        s.seasonSpread[b] += a * ((spread == 0 ? dev : Math.min(dev, CLIP * spread)) - spread);
    }

    /** The seasonal slot's level, or NaN while the slot has too little history. */
    private double seasonalExpected(BaselineState s, long ts) {
        if (s.seasonLevel == null) return Double.NaN;
        int b = bin(ts);
        long since = s.seasonSince[b];
        if (since < 0
                || ts - since < (long) settings.seasonMinPeriods() * seasonMs - seasonMs / 2) {
            return Double.NaN;
        }
        return s.seasonLevel[b];
    }

    private int bin(long ts) {
        long inSeason = Math.floorMod(ts, seasonMs);
        return (int) (inSeason * settings.seasonBins() / seasonMs);
    }
}
