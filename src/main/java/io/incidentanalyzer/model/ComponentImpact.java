package io.incidentanalyzer.model;

import java.util.List;

/**
 * A status-page component during an incident.
 *
 * @param state its state at the incident event this belongs to
 * @param worst the worst state it reached
 * @param windows the periods it was not operational, in order
 */
public record ComponentImpact(
        String name,
        String group,
        ComponentState state,
        ComponentState worst,
        List<ComponentWindow> windows) {
    public ComponentImpact {
        windows = List.copyOf(windows);
    }
}
