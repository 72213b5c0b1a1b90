package io.incidentanalyzer.review;

import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.IncidentStatus;
import java.util.List;

/**
 * What an engineer did in the review service, one record on the reviews topic (keyed by incident
 * id). The topic is the service's only store: its state is these events replayed.
 *
 * @param id unique, given when the engineer acts; applying an event twice changes nothing
 * @param at wall-clock time the engineer acted, epoch ms
 * @param causeKind for a root-cause confirmation or override: the cause
 * @param causeService and the service it sits on
 * @param status for a published update: its step
 * @param body the published update's or postmortem's text, as the engineer edited it; for a
 *     root-cause decision, an optional note
 * @param components for a published update: every component's state as the update states it
 * @param pushedUpdate for PUSHED: the id of the published update that was pushed
 * @param remoteIncident for PUSHED: the incident's id on the Statuspage-compatible API
 */
public record ReviewEvent(
        String id,
        String incidentId,
        Action action,
        String actor,
        long at,
        CauseKind causeKind,
        String causeService,
        IncidentStatus status,
        String body,
        List<ComponentChange> components,
        String pushedUpdate,
        String remoteIncident) {

    public ReviewEvent {
        components = components == null ? List.of() : List.copyOf(components);
    }

    /** The record that {@code update} reached the external status page as {@code remote}. */
    static ReviewEvent pushed(ReviewEvent update, String remote) {
        return new ReviewEvent(
                "pushed-" + update.id(),
                update.incidentId(),
                Action.PUSHED,
                "statuspage-push",
                System.currentTimeMillis(),
                null,
                null,
                null,
                null,
                List.of(),
                update.id(),
                remote);
    }

    /** The kinds of review action. */
    public enum Action {
        CONFIRM_ROOT_CAUSE,
        OVERRIDE_ROOT_CAUSE,
        PUBLISH_UPDATE,
        PUBLISH_POSTMORTEM,
        /** A published update reached the external status page (the push, not a person). */
        PUSHED
    }
}
