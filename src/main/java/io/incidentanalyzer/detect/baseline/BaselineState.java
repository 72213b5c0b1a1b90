package io.incidentanalyzer.detect.baseline;

/**
 * What {@link Baseline} remembers of one series: a few numbers and, when seasonal, two small arrays
 * of one slot per season bin. A Flink POJO (public fields, no-argument constructor) so keyed state
 * can hold it and evolve it; its size does not grow with the series' length.
 */
public class BaselineState {
    /** Samples learned so far. */
    public long samples;

    /** Event time of the last sample learned, epoch milliseconds; -1 before the first. */
    public long lastTs = -1;

    /** The robust level (location) of the whole series, ignoring the season. */
    public double level;

    /** The robust spread around {@link #level}, in the series' units. */
    public double spread;

    /** Per season slot: level, spread, and the event time of the slot's first sample. */
    public double[] seasonLevel;

    public double[] seasonSpread;
    public long[] seasonSince;

    /** Exponentially weighted absolute error of the flat and of the seasonal prediction. */
    public double flatError;

    public double seasonError;

    public BaselineState() {}

    /** Approximate bytes this state holds on the heap, for docs/benchmarks.md. */
    public long approximateBytes() {
        long bytes = 16 + 8 * 6;
        if (seasonLevel != null) {
            bytes += 3 * (16 + 8L * seasonLevel.length);
        }
        return bytes;
    }
}
