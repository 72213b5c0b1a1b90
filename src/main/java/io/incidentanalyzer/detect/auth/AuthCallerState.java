package io.incidentanalyzer.detect.auth;

/**
 * What the auth-failure detector remembers of one calling service: the bucket being counted and one
 * series per failure type. Fixed size. Times are event time, epoch milliseconds; -1 is unset. A
 * mutable Flink POJO.
 */
public class AuthCallerState {
    /** The caller, or for events without one the service that logged them. */
    public String service;

    /** False for the series of events that named no caller. */
    public boolean callerKnown;

    /** Start of the bucket being counted, or -1. */
    public long bucketStart = -1;

    /** Start of the bucket after the last one judged: the empty buckets since were zeros. */
    public long nextBucket = -1;

    /** The forget timer registered while the caller is quiet, or -1. */
    public long forgetTimer = -1;

    public AuthFailureSeries missingToken;
    public AuthFailureSeries verifyError;

    public AuthCallerState() {}
}
