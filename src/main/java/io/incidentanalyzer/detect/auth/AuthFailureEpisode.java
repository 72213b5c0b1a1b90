package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.detect.sketch.SpaceSaving;

/**
 * The auth-failure detector's state for one caller and failure type while a spike is pending or
 * open; none otherwise. Counts are failures per bucket. Times are event time, epoch milliseconds;
 * -1 is unset. A mutable Flink POJO.
 */
public class AuthFailureEpisode {
    /** Start of the first spiking bucket. */
    public long onset = -1;

    public boolean open;
    public String signalId;

    public long buckets;
    public long failures;
    public double expected;

    public long peak;
    public long peakTs = -1;
    public long reportedPeak;

    /** Bucket end of the last OPEN or UPDATE: an open spike reports at least every reportEvery. */
    public long reportedAt = -1;

    /** The latest bucket: end, count, expectation, deviation and whether the baseline was warm. */
    public long lastEnd = -1;

    public long last;
    public double lastExpected;
    public double lastDeviation;
    public boolean lastWarm;

    public long calmSince = -1;

    /** Error texts and callees of the episode's failures. */
    public SpaceSaving errors;

    public SpaceSaving callees;

    public AuthFailureEpisode() {}
}
