package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.detect.sketch.SpaceSaving;

/**
 * One episode of an auth detector while it is pending (abnormal buckets, sustain not reached) or
 * open: a refresh storm of a token service, or a failure spike of one caller and failure type. No
 * episode, no state. {@link EpisodeMachine} moves it from pending to open to cleared; the detector
 * fills in its own evidence. Counts are events per bucket (refreshes or failures). Times are event
 * time, epoch milliseconds; -1 is unset. A mutable Flink POJO.
 *
 * <p>The last group of fields is evidence of one kind only and stays null (or zero) for the other.
 */
public class AuthEpisode {
    /** Start of the first abnormal bucket. */
    public long onset = -1;

    public boolean open;
    public String signalId;

    /** Whether the slow-onset test opened it (it then stays open while the test holds). */
    public boolean creepOpened;

    /** Buckets (with data) since the onset, their events and the baseline's expectation. */
    public long buckets;

    public long events;
    public double expected;

    public long peak;
    public long peakTs = -1;

    /** The peak in the last OPEN or UPDATE; an UPDATE needs a clearly higher one. */
    public long reportedPeak;

    /**
     * Bucket end of the last OPEN or UPDATE: an open episode reports at least every reportEvery.
     */
    public long reportedAt = -1;

    /** The latest bucket: its end, events, expectation and deviation. */
    public long lastEnd = -1;

    public long last;
    public double lastExpected;
    public double lastDeviation;

    /** Start of the current run of calm buckets while open, or -1. */
    public long calmSince = -1;

    /** Auth failures: whether the latest bucket's baseline was warm. */
    public boolean lastWarm;

    /** Auth failures: error texts and callees of the episode's failures. */
    public SpaceSaving errors;

    public SpaceSaving callees;

    /** Refresh storm: the latest bucket's active sessions and refresh allowance. */
    public double lastSessions;

    public double lastAllowed;

    /** Refresh storm: heavy hitters of the episode's refreshes. */
    public HeavyHitters hitters;

    public AuthEpisode() {}
}
