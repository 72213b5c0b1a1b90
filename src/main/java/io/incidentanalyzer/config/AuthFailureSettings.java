package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the auth-failure detector ({@code detectors.authFailures}): spikes of MISSING_TOKEN
 * and VERIFY_ERROR per calling service. Every field has a default, so a job file without the
 * section works; docs/detectors.md#auth-failures explains each choice.
 *
 * <p>A bucket spikes when it holds at least {@code minCount} failures of one type and, once the
 * series has a baseline, is {@code minDeviation} robust z-scores and {@code minRatio} times above
 * it. It is calm at or below {@code clearBelow} failures, or at or below {@code clearRatio} times
 * the baseline.
 *
 * @param bucket the event-time bucket failures are counted in
 * @param minCount the fewest failures in a bucket that can be a spike, so that 0 → 3 is not one
 * @param sustain how long buckets must keep spiking before the signal opens
 * @param clearAfter how long buckets must stay calm before an open signal clears
 * @param topErrors Space-Saving counters for the error texts (and callees) of an episode
 * @param forgetAfter a caller without failures for this long loses its state (callers come and go;
 *     a caller's state must not outlive it)
 * @param reportEvery an open spike reports its current rate (UPDATE) at least this often, so the
 *     effect of a change on it can be measured
 */
public record AuthFailureSettings(
        Duration bucket,
        Integer minCount,
        Double minDeviation,
        Double minRatio,
        Integer clearBelow,
        Double clearRatio,
        Duration sustain,
        Duration clearAfter,
        Integer topErrors,
        Duration forgetAfter,
        Severity severity,
        Duration reportEvery)
        implements EpisodeSettings, Serializable {

    public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(10);
    public static final int DEFAULT_MIN_COUNT = 10;
    public static final double DEFAULT_MIN_DEVIATION = 6.0;
    public static final double DEFAULT_MIN_RATIO = 3.0;
    public static final int DEFAULT_CLEAR_BELOW = 3;
    public static final double DEFAULT_CLEAR_RATIO = 1.5;
    public static final Duration DEFAULT_SUSTAIN = Duration.ofSeconds(20);
    public static final Duration DEFAULT_CLEAR_AFTER = Duration.ofSeconds(60);
    public static final int DEFAULT_TOP_ERRORS = 8;
    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofDays(2);

    public AuthFailureSettings {
        bucket = bucket == null ? DEFAULT_BUCKET : bucket;
        minCount = minCount == null ? DEFAULT_MIN_COUNT : minCount;
        minDeviation = minDeviation == null ? DEFAULT_MIN_DEVIATION : minDeviation;
        minRatio = minRatio == null ? DEFAULT_MIN_RATIO : minRatio;
        clearBelow = clearBelow == null ? DEFAULT_CLEAR_BELOW : clearBelow;
        clearRatio = clearRatio == null ? DEFAULT_CLEAR_RATIO : clearRatio;
        sustain = sustain == null ? DEFAULT_SUSTAIN : sustain;
        clearAfter = clearAfter == null ? DEFAULT_CLEAR_AFTER : clearAfter;
        topErrors = topErrors == null ? DEFAULT_TOP_ERRORS : topErrors;
        forgetAfter = forgetAfter == null ? DEFAULT_FORGET_AFTER : forgetAfter;
        severity = severity == null ? Severity.MAJOR : severity;
        reportEvery = reportEvery == null ? Duration.ofMinutes(1) : reportEvery;
    }

    public static AuthFailureSettings defaults() {
        return new AuthFailureSettings(
                null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
