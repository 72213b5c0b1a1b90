package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/**
 * Settings of every detector (docs/detectors.md); a detector with no rules watches nothing.
 *
 * @param backlog queues watched for growth
 */
public record DetectorSettings(
        List<SaturationRule> saturation,
        BaselineShiftSettings baselineShift,
        List<BacklogRule> backlog)
        implements Serializable {
    public DetectorSettings {
        saturation = saturation == null ? List.of() : List.copyOf(saturation);
        baselineShift = baselineShift == null ? BaselineShiftSettings.defaults() : baselineShift;
        backlog = backlog == null ? List.of() : List.copyOf(backlog);
    }

    static DetectorSettings defaults() {
        return new DetectorSettings(null, null, null);
    }
}
