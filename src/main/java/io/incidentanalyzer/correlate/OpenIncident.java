package io.incidentanalyzer.correlate;

import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import java.util.ArrayList;
import java.util.List;

/**
 * Keyed state of the correlator: one incident of an environment that is open or MONITORING (an
 * environment has one per concurrent unrelated outage, docs/architecture.md#correlator). Times are
 * event time, epoch milliseconds; -1 is unset.
 */
public class OpenIncident {
    public String incidentId;
    public long openedAt;
    public String title;

    /** The services of every signal that joined, sorted: what a new signal may be linked to. */
    public List<String> services = new ArrayList<>();

    /** How many of its signals are kept as evidence (at most the correlator's cap). */
    public int evidenceKept;

    /** When the last signal cleared, while MONITORING; -1 while signals are open. */
    public long monitoringSince = -1;

    /** The timer that resolves the incident at the end of the quiet period; -1 when none. */
    public long resolveAt = -1;

    /** The signal whose clearing started MONITORING: the cause of the CLOSED event. */
    public Signal lastCleared;

    /** Whether the top candidate has once been confident enough: IDENTIFIED. */
    public boolean identified;

    /** Event time the current top candidate became the top one; -1 before any ranking. */
    public long topSince = -1;

    /** The timer that identifies the top candidate once it has settled; -1 when none. */
    public long identifyCheck = -1;

    /** The ranked root-cause candidates, best first, after the last ranking. */
    public List<RootCause> rootCauses = new ArrayList<>();

    /** Contributing causes found so far, by onset. */
    public List<RootCause> contributing = new ArrayList<>();

    /** Effects measured so far, in the order of their changes. */
    public List<ChangeEffect> effects = new ArrayList<>();

    /** Changes whose effect is measured at {@code change.ts + effectWindow}. */
    public List<PendingEffect> pendingEffects = new ArrayList<>();

    public OpenIncident() {}

    OpenIncident(String incidentId, long openedAt, String title) {
        this.incidentId = incidentId;
        this.openedAt = openedAt;
        this.title = title;
    }

    /** Adds a service of a signal that joined, keeping the list sorted and distinct. */
    void addService(String service) {
        if (service == null) return;
        int at = java.util.Collections.binarySearch(services, service);
        if (at < 0) services.add(-at - 1, service);
    }

    boolean monitoring() {
        return monitoringSince >= 0;
    }

    RootCause top() {
        return rootCauses == null || rootCauses.isEmpty() ? null : rootCauses.get(0);
    }

    /** A change waiting for its effect: the signals it is measured on and their values before. */
    public static class PendingEffect {
        public ChangeEvent change;
        public long due;

        /** The signals measured (the causes' first signals that were open), in cause order. */
        public List<String> signals = new ArrayList<>();

        public List<Double> before = new ArrayList<>();

        /** The cause each signal measures. */
        public List<RootCause> causes = new ArrayList<>();

        public PendingEffect() {}
    }
}
