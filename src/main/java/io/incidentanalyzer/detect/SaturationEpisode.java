package io.incidentanalyzer.detect;

/**
 * Keyed state of the saturation detector for one series while it is above its ceiling or open. A
 * healthy series has no state at all. Times are event time, epoch milliseconds; {@code -1} means
 * unset. A mutable Flink POJO: it is read, changed and written back for each sample.
 */
public class SaturationEpisode {
    /** Index of the rule in the job file that governs this series. */
    public int rule;

    public String service;
    public String metric;

    /** First sample of the current run at or above the ceiling. */
    public long aboveSince = -1;

    /** Whether the signal has opened (the run lasted the sustain time). */
    public boolean open;

    public String signalId;
    public long onset = -1;
    public double peak = Double.NEGATIVE_INFINITY;
    public long peakTs = -1;

    /** The peak in the last OPEN or UPDATE signal; a new UPDATE needs a higher one. */
    public double lastReportedPeak = Double.NEGATIVE_INFINITY;

    public double last;

    /** First sample of the current run at or below the clear level, while open. */
    public long belowSince = -1;

    public long lastSeen = -1;

    /** The no-data timer currently registered, so that it is registered once per episode. */
    public long noDataTimer = -1;

    public SaturationEpisode() {}
}
