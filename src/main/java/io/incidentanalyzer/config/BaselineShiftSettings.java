package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the baseline-shift detector: one baseline setting for every series, and the rules
 * that say which series are watched and how far they must move.
 *
 * @param forgetAfter a series that sends nothing for this long loses its baseline (a removed
 *     service must not hold state forever)
 * @param reportEvery an open shift reports its current value (UPDATE) at least this often, so the
 *     effect of a change on it can be measured
 * @param creep the sequential test that opens a slow onset before a single sample is far enough
 *     (docs/detectors.md#slow-onsets)
 */
public record BaselineShiftSettings(
        BaselineConfig baseline,
        Duration forgetAfter,
        List<BaselineShiftRule> rules,
        Duration reportEvery,
        CreepSettings creep)
        implements Serializable {

    public BaselineShiftSettings {
        baseline =
                baseline == null
                        ? new BaselineConfig(
                                null, null, null, null, null, null, null, null, null, null)
                        : baseline;
        forgetAfter = forgetAfter == null ? Duration.ofDays(2) : forgetAfter;
        rules = rules == null ? List.of() : List.copyOf(rules);
        reportEvery = reportEvery == null ? Duration.ofMinutes(1) : reportEvery;
        creep = creep == null ? CreepSettings.defaults() : creep;
    }

    static BaselineShiftSettings defaults() {
        return new BaselineShiftSettings(null, null, null, null, null);
    }

    /** The index of the first rule watching this series, or -1: the first match wins. */
    public int ruleFor(String service, String metric) {
        return MetricRule.indexOf(rules, service, metric);
    }
}
