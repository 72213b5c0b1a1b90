package io.incidentanalyzer.detect.baseline;

import io.incidentanalyzer.config.BaselineConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the streaming baseline (see {@link Baseline}); one setting serves every series of a
 * detector. Every duration is event time, not a count of samples, so the same setting means the
 * same thing for the job's 10-second metrics and NAB's 5-minute ones. The defaults are the ones the
 * NAB corpus was scored with (docs/detectors.md#baseline-shift).
 *
 * @param halfLife how fast the level and spread forget: a sample's weight halves after this much
 *     event time (default 2 h)
 * @param warmup samples a series needs before it is scored at all (default 30)
 * @param season the seasonal period (a day); {@link Duration#ZERO} switches seasonality off
 * @param seasonBins slots the period is cut into; each learns its own level and spread (24)
 * @param seasonMinPeriods whole periods of history a slot needs before it is trusted (1: a slot
 *     helps from the second day on)
 * @param relativeFloor the scale never counts as smaller than this share of the level (or of the
 *     series' typical magnitude), so a flat series does not make every wiggle an anomaly (0.02)
 * @param tailMemory how long a deviation is remembered when judging how rare a new one is: counts
 *     halve after this much event time (default 5 days, so last week's daily spike is still "seen
 *     before")
 * @param shiftConfirm half-life of the share of samples on one side of the expectation that
 *     confirms a move to a new level, and of the memory of what was already reported (default 30
 *     min)
 * @param burstWindow half-life of the recent mean deviation and of the recent volatility (mean
 *     change between successive samples) whose rarities are judged besides each sample's: the time
 *     scale of a burst, a creeping change or an oscillation (default 1 h)
 * @param weekend with a daily season, whether Saturday and Sunday (UTC) keep daily slots of their
 *     own, apart from the weekdays' (default true: weekend traffic has its own shape)
 */
public record BaselineSettings(
        Duration halfLife,
        int warmup,
        Duration season,
        int seasonBins,
        int seasonMinPeriods,
        double relativeFloor,
        Duration tailMemory,
        Duration shiftConfirm,
        Duration burstWindow,
        boolean weekend)
        implements Serializable {

    public static final Duration DEFAULT_TAIL_MEMORY = Duration.ofDays(5);
    public static final Duration DEFAULT_SHIFT_CONFIRM = Duration.ofMinutes(30);
    public static final Duration DEFAULT_BURST_WINDOW = Duration.ofHours(1);

    public static final int DEFAULT_SEASON_MIN_PERIODS = 1;
    public static final boolean DEFAULT_WEEKEND = true;

    public static final BaselineSettings DEFAULTS =
            new BaselineSettings(
                    Duration.ofHours(2),
                    30,
                    Duration.ofDays(1),
                    24,
                    DEFAULT_SEASON_MIN_PERIODS,
                    0.02);

    public BaselineSettings {
        halfLife = positiveOr(halfLife, Duration.ofHours(2));
        season = season == null ? Duration.ofDays(1) : season;
        if (warmup <= 0) warmup = 30;
        if (seasonBins <= 0) seasonBins = 24;
        if (seasonMinPeriods <= 0) seasonMinPeriods = DEFAULT_SEASON_MIN_PERIODS;
        if (relativeFloor < 0) relativeFloor = 0;
        tailMemory = positiveOr(tailMemory, DEFAULT_TAIL_MEMORY);
        shiftConfirm = positiveOr(shiftConfirm, DEFAULT_SHIFT_CONFIRM);
        burstWindow = positiveOr(burstWindow, DEFAULT_BURST_WINDOW);
    }

    /** The first eight settings; the burst window and weekend slots at their defaults. */
    public BaselineSettings(
            Duration halfLife,
            int warmup,
            Duration season,
            int seasonBins,
            int seasonMinPeriods,
            double relativeFloor,
            Duration tailMemory,
            Duration shiftConfirm) {
        this(
                halfLife,
                warmup,
                season,
                seasonBins,
                seasonMinPeriods,
                relativeFloor,
                tailMemory,
                shiftConfirm,
                null,
                DEFAULT_WEEKEND);
    }

    /**
     * The first six settings; tail memory, shift confirmation, burst window and weekend slots at
     * their defaults.
     */
    public BaselineSettings(
            Duration halfLife,
            int warmup,
            Duration season,
            int seasonBins,
            int seasonMinPeriods,
            double relativeFloor) {
        this(
                halfLife,
                warmup,
                season,
                seasonBins,
                seasonMinPeriods,
                relativeFloor,
                null,
                null,
                null,
                DEFAULT_WEEKEND);
    }

    private static Duration positiveOr(Duration d, Duration fallback) {
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }

    /** Whether the baseline learns a daily (or other) profile at all. */
    public boolean seasonal() {
        return !season.isZero() && seasonBins > 1;
    }

    /** The same settings with another half-life (for sensitivity checks). */
    public BaselineSettings withHalfLife(Duration d) {
        return new BaselineSettings(
                d,
                warmup,
                season,
                seasonBins,
                seasonMinPeriods,
                relativeFloor,
                tailMemory,
                shiftConfirm,
                burstWindow,
                weekend);
    }

    /** The same settings with another tail memory. */
    public BaselineSettings withTailMemory(Duration d) {
        return new BaselineSettings(
                halfLife,
                warmup,
                season,
                seasonBins,
                seasonMinPeriods,
                relativeFloor,
                d,
                shiftConfirm,
                burstWindow,
                weekend);
    }

    /** The same settings with another shift confirmation half-life. */
    public BaselineSettings withShiftConfirm(Duration d) {
        return new BaselineSettings(
                halfLife,
                warmup,
                season,
                seasonBins,
                seasonMinPeriods,
                relativeFloor,
                tailMemory,
                d,
                burstWindow,
                weekend);
    }

    /** The same settings with another relative floor. */
    public BaselineSettings withRelativeFloor(double floor) {
        return new BaselineSettings(
                halfLife,
                warmup,
                season,
                seasonBins,
                seasonMinPeriods,
                floor,
                tailMemory,
                shiftConfirm,
                burstWindow,
                weekend);
    }

    /** The same settings with another season ({@link Duration#ZERO}: none). */
    public BaselineSettings withSeason(Duration d) {
        return new BaselineSettings(
                halfLife,
                warmup,
                d,
                seasonBins,
                seasonMinPeriods,
                relativeFloor,
                tailMemory,
                shiftConfirm,
                burstWindow,
                weekend);
    }

    /** The same settings with another burst window. */
    public BaselineSettings withBurstWindow(Duration d) {
        return new BaselineSettings(
                halfLife,
                warmup,
                season,
                seasonBins,
                seasonMinPeriods,
                relativeFloor,
                tailMemory,
                shiftConfirm,
                d,
                weekend);
    }

    /** The job file's {@code baseline:} block over these defaults: each field left out is ours. */
    public static BaselineSettings from(BaselineConfig c) {
        if (c == null) return DEFAULTS;
        BaselineSettings d = DEFAULTS;
        return new BaselineSettings(
                c.halfLife() == null ? d.halfLife() : c.halfLife(),
                c.warmup() == null ? d.warmup() : c.warmup(),
                c.season() == null ? d.season() : c.season(),
                c.seasonBins() == null ? d.seasonBins() : c.seasonBins(),
                c.seasonMinPeriods() == null ? d.seasonMinPeriods() : c.seasonMinPeriods(),
                c.relativeFloor() == null ? d.relativeFloor() : c.relativeFloor(),
                c.tailMemory() == null ? d.tailMemory() : c.tailMemory(),
                c.shiftConfirm() == null ? d.shiftConfirm() : c.shiftConfirm(),
                c.burstWindow() == null ? d.burstWindow() : c.burstWindow(),
                c.weekend() == null ? d.weekend() : c.weekend());
    }
}
