package io.incidentanalyzer.simulate;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * One injected fault. Common fields first; the rest belong to some kinds only ({@link
 * ScenarioLoader} says which a kind requires and refuses the others).
 *
 * @param id unique within the scenario; actions name it in {@code stops}
 * @param service where the fault sits (for a refresh storm: the token service it hits)
 * @param at local time the fault begins
 * @param until local time it ends unless an action stops it earlier; absent: the scenario's end
 * @param role root (an outage of its own) or contributing (makes {@code partOf}'s outage worse)
 * @param partOf the root fault whose outage this one contributes to
 * @param client refresh-storm: the client type that loops
 * @param version refresh-storm: its faulty version; bad-deploy: the version deployed
 * @param adoption refresh-storm: share of that client's sessions on the faulty version (0..1)
 * @param refreshEvery refresh-storm: how often a looping client refreshes
 * @param ramp how long the fault takes to reach full strength (default 1m)
 * @param factor slowdown, bad-deploy, wrong-host, external-slow: how many times slower; saturation:
 *     extra load as a multiple of capacity; surge: multiple of the usual users
 * @param errorRatio bad-deploy: share of requests that fail
 * @param dependency wrong-host: the dependency whose host is wrong (e.g. database)
 * @param host wrong-host: the host the service connects to instead
 * @param callee missing-token: the service that logs the MISSING_TOKEN events
 * @param metric flapping: the metric that swings
 * @param around flapping: the value it swings around
 * @param amplitude flapping: how far it swings either side
 * @param period flapping: the length of one swing
 */
public record FaultSpec(
        String id,
        FaultKind kind,
        String service,
        LocalDateTime at,
        LocalDateTime until,
        FaultRole role,
        String partOf,
        String description,
        String client,
        String version,
        Double adoption,
        Duration refreshEvery,
        Duration ramp,
        Double factor,
        Double errorRatio,
        String dependency,
        String host,
        String callee,
        String metric,
        Double around,
        Double amplitude,
        Duration period) {

    public FaultSpec {
        role = role == null ? FaultRole.ROOT : role;
        ramp = ramp == null ? Duration.ofMinutes(1) : ramp;
    }
}
