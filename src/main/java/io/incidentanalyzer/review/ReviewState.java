package io.incidentanalyzer.review;

import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the review service knows: each incident's latest event (with its drafts) from the incidents
 * topic, and what engineers did from the reviews topic. Rebuilt by replaying both topics; applying
 * the same record twice changes nothing. Thread-safe.
 */
public final class ReviewState {
    private final Map<String, IncidentEvent> incidents = new LinkedHashMap<>();
    private final Map<String, List<ReviewEvent>> reviews = new LinkedHashMap<>();
    private final Set<String> reviewIds = new HashSet<>();
    private final Set<String> notified = new HashSet<>();

    /** Takes an incident event; the latest one of an incident (by event time) is kept. */
    public synchronized void apply(IncidentEvent e) {
        IncidentEvent known = incidents.get(e.incidentId());
        if (known == null || e.ts() >= known.ts()) incidents.put(e.incidentId(), e);
    }

    /** Takes a review event; returns false when it was already applied. */
    public synchronized boolean apply(ReviewEvent r) {
        if (!reviewIds.add(r.id())) return false;
        if (r.action() == ReviewEvent.Action.NOTIFIED) {
            // Kept apart: thousands of them must not slow down the pages' lookups.
            notified.add(r.notified());
            return true;
        }
        reviews.computeIfAbsent(r.incidentId(), k -> new ArrayList<>()).add(r);
        return true;
    }

    /** The incidents, open ones first, each group newest first. */
    public synchronized List<IncidentEvent> incidents() {
        List<IncidentEvent> out = new ArrayList<>(incidents.values());
        out.sort(
                Comparator.comparing((IncidentEvent e) -> e.status() == IncidentStatus.RESOLVED)
                        .thenComparing(Comparator.comparingLong(IncidentEvent::openedAt).reversed())
                        .thenComparing(IncidentEvent::incidentId));
        return out;
    }

    public synchronized IncidentEvent incident(String id) {
        return incidents.get(id);
    }

    public synchronized int size() {
        return incidents.size();
    }

    /** What engineers did on an incident, in the order it happened. */
    public synchronized List<ReviewEvent> reviews(String incidentId) {
        return List.copyOf(reviews.getOrDefault(incidentId, List.of()));
    }

    /** The published updates of an incident, oldest first. */
    public synchronized List<ReviewEvent> publishedUpdates(String incidentId) {
        List<ReviewEvent> out = new ArrayList<>();
        for (ReviewEvent r : reviews.getOrDefault(incidentId, List.of()))
            if (r.action() == ReviewEvent.Action.PUBLISH_UPDATE) out.add(r);
        return out;
    }

    /** The public title of an incident: that of its latest published update, or null. */
    public synchronized String publicTitle(String incidentId) {
        List<ReviewEvent> updates = publishedUpdates(incidentId);
        return updates.isEmpty() ? null : updates.get(updates.size() - 1).title();
    }

    /** The PUSHED record of a published update, or null when it has not been pushed. */
    public synchronized ReviewEvent pushed(String updateId) {
        for (List<ReviewEvent> rs : reviews.values())
            for (ReviewEvent r : rs)
                if (r.action() == ReviewEvent.Action.PUSHED && updateId.equals(r.pushedUpdate()))
                    return r;
        return null;
    }

    /** The incident's id on the external status page, once its first update was pushed. */
    public synchronized String remoteIncident(String incidentId) {
        for (ReviewEvent r : reviews.getOrDefault(incidentId, List.of()))
            if (r.action() == ReviewEvent.Action.PUSHED && r.remoteIncident() != null)
                return r.remoteIncident();
        return null;
    }

    /** Whether the notification {@code key} was claimed for {@code channel} (sent or given up). */
    public synchronized boolean notified(String channel, String key) {
        return notified.contains(channel + " " + key);
    }

    /** The last published postmortem of an incident, or null. */
    public synchronized ReviewEvent postmortem(String incidentId) {
        ReviewEvent last = null;
        for (ReviewEvent r : reviews.getOrDefault(incidentId, List.of()))
            if (r.action() == ReviewEvent.Action.PUBLISH_POSTMORTEM) last = r;
        return last;
    }

    /** A root cause as the incident stands: an engineer's decision, else the analyzer's top. */
    public record Decision(CauseKind kind, String service, String by, boolean confirmed) {}

    public synchronized Decision rootCause(String incidentId) {
        ReviewEvent last = null;
        for (ReviewEvent r : reviews.getOrDefault(incidentId, List.of())) {
            if (r.action() == ReviewEvent.Action.CONFIRM_ROOT_CAUSE
                    || r.action() == ReviewEvent.Action.OVERRIDE_ROOT_CAUSE) last = r;
        }
        if (last != null) {
            return new Decision(last.causeKind(), last.causeService(), last.by(), true);
        }
        IncidentEvent e = incidents.get(incidentId);
        RootCause top = e == null ? null : e.topCause();
        return top == null ? null : new Decision(top.kind(), top.service(), null, false);
    }
}
