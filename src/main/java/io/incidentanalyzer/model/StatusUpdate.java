package io.incidentanalyzer.model;

import java.util.List;

/**
 * A drafted status-page update: one per lifecycle step, and an intermediate one ("Update") when the
 * components' states change and stay changed while the incident stays in a step.
 *
 * @param ts event time of the step, epoch ms
 * @param status the step
 * @param body the text, in a status page's plain voice
 * @param affectedComponents components whose state changed since the previous update
 * @param update whether this is an intermediate update within the step {@code status} (false in
 *     records written before intermediate updates existed)
 */
public record StatusUpdate(
        long ts,
        IncidentStatus status,
        String body,
        List<ComponentChange> affectedComponents,
        boolean update) {
    public StatusUpdate {
        affectedComponents = List.copyOf(affectedComponents);
    }
}
