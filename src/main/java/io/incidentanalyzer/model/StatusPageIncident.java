package io.incidentanalyzer.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An incident in the shape of Statuspage's incident object (snake_case field names, ISO-8601 UTC
 * times, component states by Statuspage's names), written to {@code topics.statusUpdates} at each
 * lifecycle step. Its updates are the analyzer's drafts: a review step decides what is published.
 *
 * @param impact {@code none}, {@code minor}, {@code major} or {@code critical}, from the worst
 *     component state so far
 * @param incidentUpdates newest first, as Statuspage lists them
 * @param components the components the incident touched, with their state now
 */
public record StatusPageIncident(
        String id,
        String name,
        String status,
        String impact,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt,
        @JsonProperty("monitoring_at") String monitoringAt,
        @JsonProperty("resolved_at") String resolvedAt,
        @JsonProperty("incident_updates") List<Update> incidentUpdates,
        List<Component> components) {

    /** One incident update, with the components whose state it changes. */
    public record Update(
            String id,
            String status,
            String body,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("affected_components") List<AffectedComponent> affectedComponents) {}

    /** A component's state before and after an update. */
    public record AffectedComponent(
            String code,
            String name,
            @JsonProperty("old_status") ComponentState oldStatus,
            @JsonProperty("new_status") ComponentState newStatus) {}

    /** A component as the page shows it. */
    public record Component(String id, String name, String group, ComponentState status) {}
}
