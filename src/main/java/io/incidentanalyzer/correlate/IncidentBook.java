package io.incidentanalyzer.correlate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The environment's open or MONITORING incidents, by id: one per concurrent outage. Visits them in
 * one order whatever the state backend's, and keeps the timers they share.
 */
final class IncidentBook {
    /** The order open incidents are visited in: oldest first, whatever the state backend's. */
    private static final Comparator<OpenIncident> BY_OPENING =
            Comparator.comparingLong((OpenIncident o) -> o.openedAt)
                    .thenComparing(o -> o.incidentId);

    private final StateMap<String, OpenIncident> incidents;

    /**
     * Incidents open on this subtask, for the gauge. Rebuilt after a restore as incidents are
     * saved: until an incident's next event it is not counted.
     */
    private final Set<String> openIds = new HashSet<>();

    IncidentBook(StateMap<String, OpenIncident> incidents) {
        this.incidents = incidents;
    }

    OpenIncident get(String id) throws Exception {
        return incidents.get(id);
    }

    boolean contains(String id) throws Exception {
        return incidents.contains(id);
    }

    void save(OpenIncident open) throws Exception {
        incidents.put(open.incidentId, open);
        openIds.add(open.incidentId);
    }

    void remove(OpenIncident open) throws Exception {
        incidents.remove(open.incidentId);
        openIds.remove(open.incidentId);
    }

    /** The open incidents, oldest first. */
    List<OpenIncident> open() throws Exception {
        List<OpenIncident> list = new ArrayList<>();
        for (OpenIncident o : incidents.values()) list.add(o);
        list.sort(BY_OPENING);
        return list;
    }

    /** How many incidents were saved on this subtask since its start and are not closed. */
    int openCount() {
        return openIds.size();
    }

    /**
     * Deletes a timer of one incident, unless another open incident waits for the same instant
     * (Flink keeps one timer per key and timestamp).
     */
    void dropTimer(Timers timers, long timestamp, OpenIncident of) throws Exception {
        for (OpenIncident o : incidents.values()) {
            if (o.incidentId.equals(of.incidentId)) continue;
            if (o.identifyCheck == timestamp || o.resolveAt == timestamp) return;
            for (OpenIncident.PendingEffect p : o.pendingEffects) if (p.due == timestamp) return;
        }
        timers.delete(timestamp);
    }
}
