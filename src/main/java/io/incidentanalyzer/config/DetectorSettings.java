package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/**
 * Settings of every detector (docs/detectors.md); a detector with no rules watches nothing. Each
 * field is one detector's section under {@code detectors:}; a missing section takes that detector's
 * defaults.
 *
 * @param backlog queues watched for growth
 */
public record DetectorSettings(
        List<SaturationRule> saturation,
        BaselineShiftSettings baselineShift,
        List<BacklogRule> backlog,
        RefreshStormSettings refreshStorm,
        AuthFailureSettings authFailures,
        DependencyDriftSettings dependencyDrift,
        ErrorPatternSettings errorPatterns)
        implements Serializable {
    public DetectorSettings {
        saturation = saturation == null ? List.of() : List.copyOf(saturation);
        baselineShift = baselineShift == null ? BaselineShiftSettings.defaults() : baselineShift;
        backlog = backlog == null ? List.of() : List.copyOf(backlog);
        refreshStorm = refreshStorm == null ? RefreshStormSettings.defaults() : refreshStorm;
        authFailures = authFailures == null ? AuthFailureSettings.defaults() : authFailures;
        dependencyDrift =
                dependencyDrift == null ? DependencyDriftSettings.defaults() : dependencyDrift;
        errorPatterns = errorPatterns == null ? ErrorPatternSettings.defaults() : errorPatterns;
    }

    static DetectorSettings defaults() {
        return new DetectorSettings(null, null, null, null, null, null, null);
    }
}
