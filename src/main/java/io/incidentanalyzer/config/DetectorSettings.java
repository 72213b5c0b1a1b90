package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/**
 * Settings of every detector; a detector with no rules watches nothing. Each field is one
 * detector's section under {@code detectors:}; a missing section takes that detector's defaults.
 */
public record DetectorSettings(
        List<SaturationRule> saturation,
        DependencyDriftSettings dependencyDrift,
        ErrorPatternSettings errorPatterns)
        implements Serializable {
    public DetectorSettings {
        saturation = saturation == null ? List.of() : List.copyOf(saturation);
        dependencyDrift =
                dependencyDrift == null ? DependencyDriftSettings.defaults() : dependencyDrift;
        errorPatterns = errorPatterns == null ? ErrorPatternSettings.defaults() : errorPatterns;
    }

    static DetectorSettings defaults() {
        return new DetectorSettings(null, null, null);
    }
}
