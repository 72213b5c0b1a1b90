package io.incidentanalyzer.replay;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
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
 */
public record ReplayResult(
        List<IncidentEvent> incidents,
        List<Signal> signals,
        List<DeadLetter> deadLetters,
        long eventsRead) {

    public ReplayResult {
        incidents = List.copyOf(incidents);
        signals = List.copyOf(signals);
        deadLetters = List.copyOf(deadLetters);
    }
}
