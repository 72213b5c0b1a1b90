package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/**
 * Settings of every detector; a detector with no rules watches nothing, one without a section runs
 * with its defaults.
 */
public record DetectorSettings(
        List<SaturationRule> saturation,
        RefreshStormSettings refreshStorm,
        AuthFailureSettings authFailures)
        implements Serializable {
    public DetectorSettings {
        saturation = saturation == null ? List.of() : List.copyOf(saturation);
        refreshStorm = refreshStorm == null ? RefreshStormSettings.defaults() : refreshStorm;
        authFailures = authFailures == null ? AuthFailureSettings.defaults() : authFailures;
    }

    static DetectorSettings defaults() {
        return new DetectorSettings(null, null, null);
    }
}
