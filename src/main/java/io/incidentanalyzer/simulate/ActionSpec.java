package io.incidentanalyzer.simulate;

import io.incidentanalyzer.model.ChangeKind;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Something people did: a deploy, rollback, config or feature-flag change. Each becomes an event on
 * the changes stream; {@code stops} ends the named faults' effects at that moment.
 *
 * @param stops ids of the faults this action ends; empty when it has no effect (a rollback that did
 *     not help)
 * @param disableRefresh a feature switch that turns token refresh off for every client: no more
 *     REFRESH events, sessions log in again when their token expires
 */
public record ActionSpec(
        LocalDateTime at,
        ChangeKind kind,
        String service,
        String version,
        String description,
        List<String> stops,
        Boolean disableRefresh) {

    public ActionSpec {
        stops = stops == null ? List.of() : List.copyOf(stops);
        disableRefresh = disableRefresh != null && disableRefresh;
    }
}
