package io.incidentanalyzer.detect.baseline;

import java.io.Serializable;
import java.time.Duration;

/**
 * Settings of the streaming baseline (see {@link Baseline}); one setting serves every series of a
 * detector. Defaults are the ones the NAB corpus and the scenario suite were scored with
 * (docs/detectors.md#baseline-shift).
 *
 * @param halfLife how fast the baseline forgets: a sample's weight halves after this much event
 *     time
 * @param warmup samples a series needs before it is scored at all
 * @param season the seasonal period (a day); {@link Duration#ZERO} switches seasonality off
 * @param seasonBins slots the period is cut into; each learns its own level and spread
 * @param seasonMinPeriods whole periods of history a slot needs before it is trusted
 * @param relativeFloor the spread never counts as smaller than this share of the level, so a flat
 *     series does not make every wiggle an anomaly
 */
public record BaselineSettings(
        Duration halfLife,
        int warmup,
        Duration season,
        int seasonBins,
        int seasonMinPeriods,
        double relativeFloor)
        implements Serializable {

    public static final BaselineSettings DEFAULTS =
            new BaselineSettings(Duration.ofHours(2), 30, Duration.ofDays(1), 24, 2, 0.02);

    public BaselineSettings {
        halfLife = halfLife == null ? Duration.ofHours(2) : halfLife;
        season = season == null ? Duration.ofDays(1) : season;
        if (warmup <= 0) warmup = 30;
        if (seasonBins <= 0) seasonBins = 24;
        if (seasonMinPeriods <= 0) seasonMinPeriods = 2;
        if (relativeFloor < 0) relativeFloor = 0;
    }

    /** Whether the baseline learns a daily (or other) profile at all. */
    public boolean seasonal() {
        return !season.isZero() && seasonBins > 1;
    }
}
