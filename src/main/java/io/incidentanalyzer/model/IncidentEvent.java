package io.incidentanalyzer.model;

import java.util.List;

/**
 * One change to an incident, written to the incidents topic keyed by {@link #incidentId()}. The
 * sequence of events for an id is the incident's history; the last one holds its current state.
 *
 * @param incidentId deterministic: environment and the event-time onset of the first signal
 * @param ts event time of the change
 * @param openedAt event-time onset of the incident (the first signal's onset)
 * @param closedAt event time the last signal cleared; {@code null} while open
 * @param cause the signal that caused this event
 * @param activeSignals the signals still open after this event, ordered by onset then id
 */
public record IncidentEvent(
        String incidentId,
        String environment,
        IncidentEventType type,
        long ts,
        IncidentStatus status,
        long openedAt,
        Long closedAt,
        String title,
        Signal cause,
        List<Signal> activeSignals) {}
