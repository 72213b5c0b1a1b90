package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the token-refresh storm detector ({@code detectors.refreshStorm}); every field has a
 * default, so a job file without the section works. docs/detectors.md#token-refresh-storm explains
 * each choice.
 *
 * <p>A bucket is stormy when its refreshes are far above their own baseline ({@code minDeviation}
 * robust z-scores and {@code minRatio} times the expected count) <em>and</em> above what the token
 * lifetime allows: active sessions / {@code tokenLifetime} × {@code slack} per unit of time. It is
 * calm when at or below {@code clearRatio} times the baseline, or within the lifetime's allowance
 * without slack.
 *
 * @param bucket the event-time bucket refreshes are counted in
 * @param tokenLifetime how long an access token lives: a session needs about one refresh per
 *     lifetime, and sessions are counted over the last lifetime
 * @param slack how many refreshes per session and lifetime still count as normal
 * @param sustain how long buckets must stay stormy before the signal opens
 * @param clearAfter how long buckets must stay calm before an open signal clears
 * @param noDataAfter an open (or pending) storm clears when the token service logs nothing at all
 *     for this long
 * @param heavyHitters Space-Saving counters per dimension (client id, version, user, address)
 * @param reference the rolling reference window the heavy hitters' usual share is taken from
 * @param reportEvery an open storm reports its current rate (UPDATE) at least this often, so the
 *     effect of a change on it can be measured
 * @param creep the sequential test that opens a slowly growing storm before a bucket is stormy
 *     (docs/detectors.md#slow-onsets)
 */
public record RefreshStormSettings(
        Duration bucket,
        Duration tokenLifetime,
        Double slack,
        Double minDeviation,
        Double minRatio,
        Double clearRatio,
        Duration sustain,
        Duration clearAfter,
        Duration noDataAfter,
        Integer heavyHitters,
        Duration reference,
        Severity severity,
        Duration reportEvery,
        CreepSettings creep)
        implements EpisodeSettings, Serializable {

    public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(15);
    public static final double DEFAULT_SLACK = 2.0;
    public static final double DEFAULT_MIN_DEVIATION = 6.0;
    public static final double DEFAULT_MIN_RATIO = 2.0;
    public static final double DEFAULT_CLEAR_RATIO = 1.5;
    public static final Duration DEFAULT_SUSTAIN = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CLEAR_AFTER = Duration.ofSeconds(60);
    public static final Duration DEFAULT_NO_DATA_AFTER = Duration.ofMinutes(5);
    public static final int DEFAULT_HEAVY_HITTERS = 64;
    public static final Duration DEFAULT_REFERENCE = Duration.ofMinutes(30);

    public RefreshStormSettings {
        bucket = bucket == null ? DEFAULT_BUCKET : bucket;
        tokenLifetime = tokenLifetime == null ? DEFAULT_TOKEN_LIFETIME : tokenLifetime;
        slack = slack == null ? DEFAULT_SLACK : slack;
        minDeviation = minDeviation == null ? DEFAULT_MIN_DEVIATION : minDeviation;
        minRatio = minRatio == null ? DEFAULT_MIN_RATIO : minRatio;
        clearRatio = clearRatio == null ? DEFAULT_CLEAR_RATIO : clearRatio;
        sustain = sustain == null ? DEFAULT_SUSTAIN : sustain;
        clearAfter = clearAfter == null ? DEFAULT_CLEAR_AFTER : clearAfter;
        noDataAfter = noDataAfter == null ? DEFAULT_NO_DATA_AFTER : noDataAfter;
        heavyHitters = heavyHitters == null ? DEFAULT_HEAVY_HITTERS : heavyHitters;
        reference = reference == null ? DEFAULT_REFERENCE : reference;
        severity = severity == null ? Severity.CRITICAL : severity;
        reportEvery = reportEvery == null ? Duration.ofMinutes(1) : reportEvery;
        creep = creep == null ? CreepSettings.defaults() : creep;
    }

    public static RefreshStormSettings defaults() {
        return new RefreshStormSettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
