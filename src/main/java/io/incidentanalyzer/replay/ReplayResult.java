package io.incidentanalyzer.replay;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.ServiceEdge;
import io.incidentanalyzer.model.Signal;
import java.util.List;

/**
 * Everything a replay produced, complete.
 *
 * @param incidents incident events in the order the correlator emitted them (deterministic: one
 *     environment is one key of one operator, which handles its input in event-time order)
 * @param signals every signal report, sorted by event time, then id, then state
 * @param deadLetters rejected and late records, sorted by source topic (for a recorded file: its
 *     name), partition, offset (its line), then reason, detail and raw bytes
 * @param eventsRead records read from the files, events and rejects together (empty lines are not
 *     records)
 * @param serviceGraph the service-graph edges learned from traces, sorted by caller and callee;
 *     empty without a traces input
 */
public record ReplayResult(
        List<IncidentEvent> incidents,
        List<Signal> signals,
        List<DeadLetter> deadLetters,
        long eventsRead,
        List<ServiceEdge> serviceGraph) {

    public ReplayResult {
        incidents = List.copyOf(incidents);
        signals = List.copyOf(signals);
        deadLetters = List.copyOf(deadLetters);
        serviceGraph = List.copyOf(serviceGraph);
    }

    /** A result of a replay without traces: no learned edges. */
    public ReplayResult(
            List<IncidentEvent> incidents,
            List<Signal> signals,
            List<DeadLetter> deadLetters,
            long eventsRead) {
        this(incidents, signals, deadLetters, eventsRead, List.of());
    }
}
