package io.incidentanalyzer.review;

import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;

/**
 * One thing the {@link Notifier} tells people: facts only, built from an incident event or an
 * engineer's root-cause decision; each channel renders its own message from it.
 *
 * @param key the same for the same event whenever it is read again (after a restart): the incident,
 *     the kind and the event's time (an incident event) or the decision's id
 * @param title the analyzer's title: notifications go to engineers, not to the public
 * @param causeKind the root cause the message names, or null before the first ranking
 * @param confidence the analyzer's confidence in that cause, or NaN for an engineer's decision
 * @param actor the engineer who decided the root cause, or null
 * @param at when it happened, epoch ms: event time for an incident event, wall-clock time for a
 *     decision
 */
record Notification(
        String key,
        Kind kind,
        String incidentId,
        String environment,
        IncidentStatus status,
        String title,
        CauseKind causeKind,
        String causeService,
        double confidence,
        String actor,
        long at) {

    /** What happened. */
    enum Kind {
        OPENED,
        IDENTIFIED,
        ROOT_CAUSE_CHANGED,
        /** An engineer confirmed or overrode the root cause: someone is working on it. */
        ROOT_CAUSE_DECIDED,
        RESOLVED
    }

    /** The notification of an incident event, or null for a kind nobody is told of. */
    static Notification of(IncidentEvent e) {
        Kind kind =
                switch (e.type()) {
                    case OPENED -> Kind.OPENED;
                    case IDENTIFIED -> Kind.IDENTIFIED;
                    case ROOT_CAUSE_CHANGED -> Kind.ROOT_CAUSE_CHANGED;
                    case CLOSED -> Kind.RESOLVED;
                    default -> null;
                };
        if (kind == null) return null;
        RootCause top = e.topCause();
        String key = e.incidentId() + "/" + kind + "/" + e.ts();
        // Two changes of the top cause at one event time are two notifications.
        if (kind == Kind.ROOT_CAUSE_CHANGED && top != null)
            key += "/" + top.kind() + "/" + top.service();
        return new Notification(
                key,
                kind,
                e.incidentId(),
                e.environment(),
                e.status(),
                e.title(),
                top == null ? null : top.kind(),
                top == null ? null : top.service(),
                top == null ? Double.NaN : top.confidence(),
                null,
                e.ts());
    }

    /**
     * The notification of an engineer's root-cause decision, or null for any other action; {@code
     * incident} is the incident as known now, or null when its events were not read yet.
     */
    static Notification of(ReviewEvent r, IncidentEvent incident, String environment) {
        if (r.action() != ReviewEvent.Action.CONFIRM_ROOT_CAUSE
                && r.action() != ReviewEvent.Action.OVERRIDE_ROOT_CAUSE) return null;
        return new Notification(
                r.incidentId() + "/" + Kind.ROOT_CAUSE_DECIDED + "/" + r.id(),
                Kind.ROOT_CAUSE_DECIDED,
                r.incidentId(),
                incident == null ? environment : incident.environment(),
                incident == null ? null : incident.status(),
                incident == null ? r.incidentId() : incident.title(),
                r.causeKind(),
                r.causeService(),
                Double.NaN,
                r.actor(),
                r.at());
    }
}
