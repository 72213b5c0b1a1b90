package io.incidentanalyzer.correlate;

import io.incidentanalyzer.model.Signal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The correlator's signal bookkeeping for one environment: every open signal (joined or waiting for
 * evidence), the latest report of each signal kept as an incident's evidence, and the incident each
 * signal joined. An open signal without an owner waits for evidence.
 */
final class SignalBook {
    /** Signals kept as an incident's evidence; past this a flapping storm of ids is not kept. */
    static final int MAX_EVIDENCE_SIGNALS = 1000;

    static final Comparator<Signal> BY_ONSET =
            Comparator.comparingLong(Signal::onset).thenComparing(Signal::id);

    private final StateMap<String, Signal> active;
    private final StateMap<String, Signal> evidence;
    private final StateMap<String, String> owners;

    /**
     * @param active every open signal, by id
     * @param evidence the latest report of each signal kept as evidence, by id
     * @param owners the incident each signal joined (signal id → incident id)
     */
    SignalBook(
            StateMap<String, Signal> active,
            StateMap<String, Signal> evidence,
            StateMap<String, String> owners) {
        this.active = active;
        this.evidence = evidence;
        this.owners = owners;
    }

    boolean isOpen(String id) throws Exception {
        return active.contains(id);
    }

    /** The signal's latest report while it is open; null once it cleared. */
    Signal open(String id) throws Exception {
        return active.get(id);
    }

    /** The signal's latest report kept as evidence; null when it is not kept. */
    Signal evidence(String id) throws Exception {
        return evidence.get(id);
    }

    /** Its latest report, as evidence or else while open; null when neither. */
    Signal latest(String id) throws Exception {
        Signal s = evidence.get(id);
        return s != null ? s : active.get(id);
    }

    /** The incident the signal joined; null while it waits (or was never seen). */
    String owner(String id) throws Exception {
        return owners.get(id);
    }

    boolean joined(String id) throws Exception {
        return owners.contains(id);
    }

    /** A signal opened: it is open, in no incident until it joins one. */
    void opened(Signal s) throws Exception {
        active.put(s.id(), s);
    }

    /** A new report of an open signal, kept as its evidence too where it is kept. */
    void updated(Signal s) throws Exception {
        active.put(s.id(), s);
        if (evidence.contains(s.id())) evidence.put(s.id(), s);
    }

    /** A signal cleared: it is no longer open. */
    void closed(Signal s) throws Exception {
        active.remove(s.id());
    }

    /**
     * A cleared signal of an incident: its clear is kept as its evidence; one not kept leaves the
     * incident.
     */
    void clearedIn(Signal s) throws Exception {
        if (evidence.contains(s.id())) {
            evidence.put(s.id(), s);
        } else {
            owners.remove(s.id());
        }
    }

    /** A signal joins an incident: it is the incident's, and kept as evidence up to the cap. */
    void join(OpenIncident open, Signal s) throws Exception {
        owners.put(s.id(), open.incidentId);
        if (s.service() != null) open.addService(s.service());
        if (evidence.contains(s.id())) {
            evidence.put(s.id(), s);
        } else if (open.evidenceKept < MAX_EVIDENCE_SIGNALS) {
            evidence.put(s.id(), s);
            open.evidenceKept++;
        }
    }

    /** The open signals in no incident, in the backing map's order. */
    List<Signal> waiting() throws Exception {
        List<Signal> list = new ArrayList<>();
        for (Signal a : active.values()) {
            if (!owners.contains(a.id())) list.add(a);
        }
        return list;
    }

    /** The incident's evidence: the latest report of each of its kept signals. */
    List<Signal> evidenceOf(OpenIncident open) throws Exception {
        List<Signal> list = new ArrayList<>();
        for (Signal e : evidence.values()) {
            if (open.incidentId.equals(owners.get(e.id()))) list.add(e);
        }
        return list;
    }

    /** The incident's open signals, by onset. */
    List<Signal> openOf(OpenIncident open) throws Exception {
        List<Signal> list = new ArrayList<>();
        for (Signal a : active.values()) {
            if (open.incidentId.equals(owners.get(a.id()))) list.add(a);
        }
        list.sort(BY_ONSET);
        return list;
    }

    /** The incident closed: its signals go; those of other incidents and those waiting stay. */
    void release(OpenIncident open) throws Exception {
        List<String> joined = new ArrayList<>();
        for (Map.Entry<String, String> e : owners.entries()) {
            if (open.incidentId.equals(e.getValue())) joined.add(e.getKey());
        }
        for (String id : joined) {
            owners.remove(id);
            evidence.remove(id);
            active.remove(id);
        }
    }

    /**
     * The one incident of a savepoint from before concurrent incidents: every signal then kept (all
     * of them its own) joins it.
     */
    void adoptAll(OpenIncident legacy) throws Exception {
        for (Signal e : evidence.values()) {
            owners.put(e.id(), legacy.incidentId);
            legacy.addService(e.service());
            legacy.evidenceKept++;
        }
        for (Signal a : active.values()) {
            owners.put(a.id(), legacy.incidentId);
            legacy.addService(a.service());
        }
    }
}
