package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.sketch.SlidingDistinctCount;

/**
 * What the refresh-storm detector remembers of one token service all the time: the baseline of
 * refreshes per bucket, the bucket being counted, the active-session count and the heavy hitters of
 * the bucket and of the rolling reference. Fixed size: the sketches do not grow with the number of
 * sessions, clients, users or addresses. Times are event time, epoch milliseconds; -1 is unset. A
 * mutable Flink POJO.
 */
public class RefreshStormState {
    public String service;
    public BaselineState baseline;

    /** Start of the bucket being counted, or -1 when no event has arrived since the last one. */
    public long bucketStart = -1;

    /** REFRESH and REFRESH_ERROR events in the bucket. */
    public long bucketRefreshes;

    /** The last event of any watched type (LOGIN, REFRESH, REFRESH_ERROR). */
    public long lastSeen = -1;

    /** The no-data timer of the episode (pending or open storm), or -1 when there is none. */
    public long noDataTimer = -1;

    /** Distinct sessions that got, renewed or gave up a token in the last token lifetime. */
    public SlidingDistinctCount sessions;

    /**
     * Distinct sessions that logged out in the last token lifetime: not active any more. Null in a
     * state restored from before logouts were counted, until the first one.
     */
    public SlidingDistinctCount loggedOut;

    /** The bucket's refreshes, folded into the reference or an episode when it closes. */
    public HeavyHitters bucket;

    /** The reference window being filled with calm buckets, and the one before it. */
    public HeavyHitters reference;

    public HeavyHitters previousReference;
    public long referenceBuckets;
    public long previousReferenceBuckets;

    /**
     * The slow-onset test's statistic over the buckets' deviations, in spreads, and the start of
     * the bucket where its current positive run began (-1 when it is zero).
     */
    public double creep;

    /** The first bucket its baseline learned from: the slow-onset test waits for a seasoned one. */
    public long firstSeen = -1;

    public long creepSince = -1;

    public RefreshStormState() {}
}
