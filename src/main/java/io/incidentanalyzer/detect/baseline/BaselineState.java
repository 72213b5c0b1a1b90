package io.incidentanalyzer.detect.baseline;

/**
 * What {@link Baseline} remembers of one series: a few numbers, five small arrays of deviation
 * counts and, when seasonal, three small arrays of one slot per season bin and two more arrays of
 * the daily profile's deviation counts. A Flink POJO (public fields, no-argument constructor) so
 * keyed state can hold it and evolve it; its size does not grow with the series' length.
 */
public class BaselineState {
    /** Samples learned so far. */
    public long samples;

    /** Event time of the last sample learned, epoch milliseconds; -1 before the first. */
    public long lastTs = -1;

    /** Typical time between samples, ms (0 before the second sample); a gap counts at most 4. */
    public double interval;

    /** The robust level (location) of the whole series, ignoring the season. */
    public double level;

    /**
     * The trend: {@link #level} is the weighted mean of the learned samples; these are the weighted
     * mean age of those samples (ms before {@link #lastTs}), their weighted variance in time (ms²)
     * and their weighted covariance of time and value (value·ms). Slope = cov / var.
     */
    public double trendAge;

    public double trendVar;
    public double trendCov;

    /** The robust spread around {@link #level}, in the series' units. */
    public double spread;

    /** Exponentially weighted mean of |value| over a day: the series' order of magnitude. */
    public double magnitude;

    /**
     * Exponentially weighted share of recent samples that lay more than {@value Baseline#SHIFT_Z}
     * scales above (+) or below (−) the expectation; near ±1 means the series has moved to a new
     * level.
     */
    public double shift;

    /**
     * Decayed counts of past deviations above (up) and below (down) the expectation, in the series'
     * units, by logarithmic bin: bin {@code i} holds |deviation| in {@code [tailAnchor · 2^(i/4),
     * tailAnchor · 2^((i+1)/4))}, bin 0 also everything smaller. Null until warm.
     */
    public double[] tailUp;

    public double[] tailDown;

    /** Lower edge of the deviation bins; 0 until the first non-zero deviation. */
    public double tailAnchor;

    /** Decayed count of all deviations in {@link #tailUp} and {@link #tailDown}. */
    public double tailCount;

    /**
     * The largest rarity beyond one in a thousand (in decades) of the recent samples, as of {@link
     * #lastTs}: a new sample is news only by how much it exceeds this, faded by the time since.
     */
    public double recentExcess;

    /**
     * Exponentially weighted mean of the recent deviations from the expectation (half-life {@code
     * burstWindow}), in the series' units.
     */
    public double burst;

    /**
     * Decayed counts of past values of {@link #burst}, binned like {@link #tailUp}: how large the
     * recent mean deviation usually gets. Null until warm.
     */
    public double[] burstUp;

    public double[] burstDown;

    /** Lower edge of the {@link #burstUp} bins; 0 until the first non-zero value. */
    public double burstAnchor;

    /** Decayed count of all values in {@link #burstUp} and {@link #burstDown}. */
    public double burstCount;

    /** The last value learned (the volatility is the mean change from one sample to the next). */
    public double lastValue;

    /**
     * Exponentially weighted mean of the absolute change between successive samples (half-life
     * {@code burstWindow}, each change clipped at {@value Baseline#SWING_CLIP} scales once warm):
     * the recent volatility, in the series' units.
     */
    public double swing;

    /**
     * Decayed counts of past values of {@link #swing}, binned like {@link #tailUp} (one-sided): how
     * volatile the series usually is. Null until warm.
     */
    public double[] swingCounts;

    /** Lower edge of the {@link #swingCounts} bins. */
    public double swingAnchor;

    /** Decayed count of all values in {@link #swingCounts}. */
    public double swingCount;

    /**
     * Per season slot (the weekdays' slots, then Saturday's and Sunday's when they are kept apart):
     * level, spread, and the event time of the slot's first sample.
     */
    public double[] seasonLevel;

    public double[] seasonSpread;
    public long[] seasonSince;

    /**
     * Exponentially weighted absolute error (half-life a day) of the flat prediction (the level,
     * with its trend where that is used) and of the daily profile's.
     */
    public double flatError;

    public double seasonError;

    /**
     * Decayed counts of the daily profile's deviations, binned like {@link #tailUp}: its own
     * history of sizes, so the flat level's errors on a daily shape do not count against it. Null
     * until a slot is first usable.
     */
    public double[] seasonTailUp;

    public double[] seasonTailDown;

    /** Lower edge of the {@link #seasonTailUp} bins. */
    public double seasonTailAnchor;

    /** Decayed count of all values in {@link #seasonTailUp} and {@link #seasonTailDown}. */
    public double seasonTailCount;

    /**
     * Exponentially weighted absolute error (half-life a day) of the flat level and of the level
     * with its trend: the trend is used only where its error is clearly the smaller.
     */
    public double levelError;

    public double trendError;

    /** The robust spread of the samples around the level with its trend. */
    public double trendSpread;

    public transient double seasonalBefore;

    public BaselineState() {}

    /** Approximate bytes this state holds on the heap, for docs/benchmarks.md. */
    public long approximateBytes() {
        long bytes = 16 + 8 * 28;
        if (tailUp != null) {
            bytes += 2 * (16 + 8L * tailUp.length);
        }
        if (burstUp != null) {
            bytes += 2 * (16 + 8L * burstUp.length);
        }
        if (swingCounts != null) {
            bytes += 16 + 8L * swingCounts.length;
        }
        if (seasonLevel != null) {
            bytes += 3 * (16 + 8L * seasonLevel.length);
        }
        if (seasonTailUp != null) {
            bytes += 2 * (16 + 8L * seasonTailUp.length);
        }
        return bytes;
    }
}
