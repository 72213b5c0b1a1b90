package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.List;

/**
 * A status-page component, the group it is shown in, and the services whose health decides its
 * state.
 */
public record ComponentConfig(String name, String group, List<String> services)
        implements Serializable {
    public ComponentConfig {
        services = services == null ? List.of() : List.copyOf(services);
    }
}
