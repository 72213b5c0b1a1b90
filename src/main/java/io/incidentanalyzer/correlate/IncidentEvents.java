package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.IncidentStatus.IDENTIFIED;
import static io.incidentanalyzer.model.IncidentStatus.INVESTIGATING;
import static io.incidentanalyzer.model.IncidentStatus.MONITORING;

import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.Signal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Makes the correlator's incident events: an incident's state at one instant, with its open
 * signals, causes and effects (docs/formats.md#incident-events).
 */
final class IncidentEvents {
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final SignalBook signals;

    IncidentEvents(SignalBook signals) {
        this.signals = signals;
    }

    /** An event at the signal's report, in the incident's current status. */
    IncidentEvent of(OpenIncident open, IncidentEventType type, Signal cause) throws Exception {
        return of(open, type, status(open), cause, cause.ts(), null);
    }

    IncidentEvent of(
            OpenIncident open,
            IncidentEventType type,
            IncidentStatus status,
            Signal cause,
            long ts,
            Long closedAt)
            throws Exception {
        return new IncidentEvent(
                open.incidentId,
                cause.environment(),
                type,
                ts,
                status,
                open.openedAt,
                closedAt,
                open.title,
                cause,
                signals.openOf(open),
                List.copyOf(open.rootCauses),
                List.copyOf(open.contributing),
                List.copyOf(open.effects),
                null);
    }

    static IncidentStatus status(OpenIncident open) {
        return open.monitoring() ? MONITORING : open.identified ? IDENTIFIED : INVESTIGATING;
    }

    /** The id of an incident whose earliest signal is {@code first}: environment and onset. */
    static String incidentId(Signal first) {
        return first.environment() + "-" + ID_TIME.format(Instant.ofEpochMilli(first.onset()));
    }

    static String title(Signal s) {
        return switch (s.kind()) {
            case SATURATION -> s.service() + " " + s.subject() + " saturated";
            case BASELINE_SHIFT -> s.service() + " " + s.subject() + " far from its baseline";
            case BACKLOG_GROWTH -> s.service() + " " + s.subject() + " growing";
            case REFRESH_STORM -> s.service() + " token refresh storm";
            case AUTH_FAILURES -> s.service() + " " + s.subject() + " spike";
            case DEPENDENCY_DRIFT -> s.service() + " using an unexpected " + s.subject();
            case ERROR_PATTERN -> s.service() + " error pattern surging";
        };
    }
}
