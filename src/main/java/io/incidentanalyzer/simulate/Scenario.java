package io.incidentanalyzer.simulate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A simulation scenario, read from a YAML file in {@code jobs/scenarios/} by {@link
 * ScenarioLoader}: the job file of the system it simulates, the simulated period (local times in
 * {@link #timeZone}), the baseline traffic, and a timeline of injected faults and of the actions
 * people took. The simulator turns it into the four input streams and a ground-truth file.
 *
 * @param job path of the job file, relative to the scenario file's folder
 * @param trafficFrom a file holding the traffic block, relative to the scenario's folder, for
 *     scenarios of one system sharing its baseline; give either this or {@code traffic}
 * @param interval period of the metric samples
 * @param seed the seed used when the command line gives none
 */
public record Scenario(
        String name,
        String description,
        String job,
        String timeZone,
        LocalDateTime start,
        LocalDateTime end,
        Duration interval,
        Long seed,
        String trafficFrom,
        Traffic traffic,
        List<FaultSpec> faults,
        List<ActionSpec> actions) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    public Scenario {
        timeZone = timeZone == null ? "UTC" : timeZone;
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        seed = seed == null ? 1L : seed;
        faults = faults == null ? List.of() : List.copyOf(faults);
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /** A local time of this scenario as an instant. */
    public Instant instant(LocalDateTime local) {
        return local.atZone(zone()).toInstant();
    }

    public Instant startInstant() {
        return instant(start);
    }

    public Instant endInstant() {
        return instant(end);
    }

    /** A copy with the traffic block read from {@link #trafficFrom}. */
    public Scenario withTraffic(Traffic t) {
        return new Scenario(
                name,
                description,
                job,
                timeZone,
                start,
                end,
                interval,
                seed,
                trafficFrom,
                t,
                faults,
                actions);
    }

    /** The fault with this id, or null. */
    public FaultSpec fault(String id) {
        return faults.stream().filter(f -> f.id().equals(id)).findFirst().orElse(null);
    }
}
