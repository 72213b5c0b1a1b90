package io.incidentanalyzer.detect.auth;

/**
 * The refresh-storm detector's state for one token service while a storm is pending (stormy
 * buckets, sustain not reached) or open; no episode, no state. Counts are refreshes per bucket.
 * Times are event time, epoch milliseconds; -1 is unset. A mutable Flink POJO.
 */
public class RefreshStormEpisode {
    /** Start of the first stormy bucket. */
    public long onset = -1;

    public boolean open;
    public String signalId;

    /** Buckets (with data) since the onset, their refreshes and the baseline's expectation. */
    public long buckets;

    public long refreshes;
    public double expected;

    public long peak;
    public long peakTs = -1;

    /** The peak in the last OPEN or UPDATE; an UPDATE needs a clearly higher one. */
    public long reportedPeak;

    /** Bucket end of the last OPEN or UPDATE: an open storm reports at least every reportEvery. */
    public long reportedAt = -1;

    /** The latest bucket: its end, refreshes, expectation, deviation and session allowance. */
    public long lastEnd = -1;

    public long last;
    public double lastExpected;
    public double lastDeviation;
    public double lastSessions;
    public double lastAllowed;

    /** Start of the current run of calm buckets while open, or -1. */
    public long calmSince = -1;

    /** Heavy hitters of the episode's refreshes. */
    public HeavyHitters hitters;

    public RefreshStormEpisode() {}
}
