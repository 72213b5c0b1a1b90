package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/** Settings of every detector; a detector with no rules watches nothing. */
public record DetectorSettings(List<SaturationRule> saturation) implements Serializable {
    public DetectorSettings {
        saturation = saturation == null ? List.of() : List.copyOf(saturation);
    }

    static DetectorSettings defaults() {
        return new DetectorSettings(null);
    }
}
