package io.incidentanalyzer.model;

import java.util.List;

/**
 * A drafted status-page update for one lifecycle step.
 *
 * @param ts event time of the step, epoch ms
 * @param status the step
 * @param body the text, in a status page's plain voice
 * @param affectedComponents components whose state changed since the previous update
 */
public record StatusUpdate(
        long ts, IncidentStatus status, String body, List<ComponentChange> affectedComponents) {
    public StatusUpdate {
        affectedComponents = List.copyOf(affectedComponents);
    }
}
