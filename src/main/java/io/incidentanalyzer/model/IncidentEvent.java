package io.incidentanalyzer.model;

import java.util.List;

/**
 * One change to an incident, written to the incidents topic keyed by {@link #incidentId()}. The
 * sequence of events for an id is the incident's history; the last one holds its current state
 * (docs/formats.md#incident-events).
 *
 * @param incidentId deterministic: environment and the event-time onset of the first signal
 * @param ts event time of the change
 * @param openedAt event-time onset of the incident (the first signal's onset)
 * @param closedAt event time the incident was resolved; {@code null} until then
 * @param cause the signal that caused this event; for a change effect, the signal measured
 * @param activeSignals the signals still open after this event, ordered by onset then id
 * @param rootCauses the ranked root-cause candidates after this event, best first
 * @param contributingCauses causes other than the top candidate that block recovery, by onset
 * @param changeEffects the measured effect of every change inside the incident so far, in order
 * @param drafts the timeline, status updates, components and postmortem drafted as of this event;
 *     {@code null} from the correlator, filled in by the drafter
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
        List<Signal> activeSignals,
        List<RootCause> rootCauses,
        List<RootCause> contributingCauses,
        List<ChangeEffect> changeEffects,
        Drafts drafts) {

    /** This event with its drafts. */
    public IncidentEvent withDrafts(Drafts d) {
        return new IncidentEvent(
                incidentId,
                environment,
                type,
                ts,
                status,
                openedAt,
                closedAt,
                title,
                cause,
                activeSignals,
                rootCauses,
                contributingCauses,
                changeEffects,
                d);
    }

    /** The top root-cause candidate, or {@code null} before the first ranking. */
    public RootCause topCause() {
        return rootCauses == null || rootCauses.isEmpty() ? null : rootCauses.get(0);
    }
}
