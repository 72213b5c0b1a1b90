package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A service of the modelled system and the services it calls.
 *
 * @param displayName how drafts name the service; defaults to its key
 * @param dependsOn keys of the services this one calls
 * @param hosts the hosts where this service is reachable, e.g. {@code [db-main.internal]}; a caller
 *     that reports another host for it is drifting (docs/detectors.md#dependency-drift). Empty: its
 *     callers are compared with each other instead
 * @param external a dependency outside the team's control (a vendor's API): when it is the root
 *     cause, the incident names an external dependency rather than a slow service of its own
 */
public record ServiceConfig(
        String displayName, List<String> dependsOn, List<String> hosts, Boolean external)
        implements Serializable {
    public ServiceConfig {
        external = external != null && external;
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        // Nulls are kept for the validator to report; List.copyOf would throw on them.
        hosts = hosts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(hosts));
    }
}
