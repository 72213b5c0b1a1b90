package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/**
 * A service of the modelled system and the services it calls.
 *
 * @param displayName how drafts name the service; defaults to its key
 * @param dependsOn keys of the services this one calls
 */
public record ServiceConfig(String displayName, List<String> dependsOn) implements Serializable {
    public ServiceConfig {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
