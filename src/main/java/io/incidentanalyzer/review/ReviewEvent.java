package io.incidentanalyzer.review;

import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentWindow;
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
 * @param title for a published update: the incident's public title as the engineer published it
 *     (the latest one is the incident's name on the status page)
 * @param impacts for a published update: the affected components' outage windows as drafted when it
 *     was published; the public uptime bars are drawn from the latest published ones
 * @param notified for NOTIFIED: the channel and the notification's key ({@link
 *     Notification#key()}), as {@code <channel> <key>}
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
        String remoteIncident,
        String title,
        List<ComponentImpact> impacts,
        Auth auth,
        String notified) {

    public ReviewEvent {
        components = components == null ? List.of() : List.copyOf(components);
        impacts = impacts == null ? List.of() : List.copyOf(impacts);
    }

    /** Longest id, incident id or actor a record may carry. */
    static final int MAX_NAME = 200;

    /** Longest text (update, postmortem, note) a record may carry. */
    static final int MAX_BODY = 100_000;

    /** Longest public title. */
    static final int MAX_TITLE = 300;

    /** Longest {@code notified} value: a channel name and a key that holds an incident id. */
    static final int MAX_NOTIFIED = 600;

    /** Most components an update may state. */
    static final int MAX_COMPONENTS = 500;

    /**
     * What is wrong with this record for the review service (its schema: the fields its action
     * needs, sane sizes), or null when nothing is. The pages rely on it: a record read from the
     * topic is applied only when this is null.
     */
    String problem() {
        if (blank(id) || id.length() > MAX_NAME) return "id missing or too long";
        if (blank(incidentId) || incidentId.length() > MAX_NAME)
            return "incidentId missing or too long";
        if (action == null) return "no action";
        if (blank(actor) || actor.length() > MAX_NAME) return "actor missing or too long";
        if (at <= 0) return "no time";
        if (body != null && body.length() > MAX_BODY) return "body too long";
        if (components.size() > MAX_COMPONENTS) return "too many components";
        for (ComponentChange c : components) {
            if (c == null || blank(c.name()) || c.newStatus() == null)
                return "a component without name or state";
        }
        if (title != null && title.length() > MAX_TITLE) return "title too long";
        if (notified != null && notified.length() > MAX_NOTIFIED) return "notified too long";
        if (impacts.size() > MAX_COMPONENTS) return "too many components";
        for (ComponentImpact c : impacts) {
            if (c == null || blank(c.name()) || c.state() == null)
                return "a component without name or state";
            for (ComponentWindow w : c.windows())
                if (w == null || w.state() == null) return "a component window without state";
        }
        return switch (action) {
            case CONFIRM_ROOT_CAUSE, OVERRIDE_ROOT_CAUSE ->
                    causeKind == null || blank(causeService) ? "root cause incomplete" : null;
            case PUBLISH_UPDATE ->
                    status == null || blank(body) || blank(title) ? "update incomplete" : null;
            case PUBLISH_POSTMORTEM -> blank(body) ? "postmortem without text" : null;
            case PUSHED -> blank(pushedUpdate) || blank(remoteIncident) ? "push incomplete" : null;
            case NOTIFIED -> blank(notified) ? "notification incomplete" : null;
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
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
                remote,
                null,
                List.of(),
                Auth.SERVICE,
                null);
    }

    /**
     * The record that the notification {@code key} goes to {@code channel}: written before the
     * first attempt, so that no restart sends it twice.
     */
    static ReviewEvent notified(String incidentId, String channel, String key, long at) {
        String what = channel + " " + key;
        return new ReviewEvent(
                "notified-" + sha256(what),
                incidentId,
                Action.NOTIFIED,
                "notifier",
                at,
                null,
                null,
                null,
                null,
                List.of(),
                null,
                null,
                null,
                List.of(),
                Auth.SERVICE,
                what);
    }

    /** The hex SHA-256 of a text: a record id of fixed length for a key of any length. */
    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Who acted, as the engineer pages say it: the actor, and how far it was established. */
    String by() {
        if (auth == Auth.LOCAL) return actor + " (local user, not signed in)";
        if (auth == Auth.TOKEN) return actor + " (shared token)";
        return actor;
    }

    /** How the actor of a record was established. */
    public enum Auth {
        /** Signed in with a user name and password (users file). */
        PASSWORD,
        /** The shared token: the actor is {@code token}, not a name the client gave. */
        TOKEN,
        /** Loopback without sign-in configured: the local user, not authenticated. */
        LOCAL,
        /** The service itself (PUSHED, NOTIFIED). */
        SERVICE
    }

    /** The kinds of review action. */
    public enum Action {
        CONFIRM_ROOT_CAUSE,
        OVERRIDE_ROOT_CAUSE,
        PUBLISH_UPDATE,
        PUBLISH_POSTMORTEM,
        /** A published update reached the external status page (the push, not a person). */
        PUSHED,
        /** A notification was claimed for a channel, before it was sent (the notifier). */
        NOTIFIED
    }
}
