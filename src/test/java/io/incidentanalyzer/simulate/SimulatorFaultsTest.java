package io.incidentanalyzer.simulate;

import static io.incidentanalyzer.simulate.SimulationFixtures.field;
import static io.incidentanalyzer.simulate.SimulationFixtures.max;
import static io.incidentanalyzer.simulate.SimulationFixtures.mean;
import static io.incidentanalyzer.simulate.SimulationFixtures.t;
import static io.incidentanalyzer.simulate.SimulationFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.StreamKind;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per fault kind and per action effect: what each does to the streams. */
class SimulatorFaultsTest {

    private static final long MINUTE = 60_000;

    @Test
    void refreshStormFloodsTheTokenServiceUntilStopped() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: storm, kind: refresh-storm, service: auth, at: 2024-03-01T09:30, client: web, version: "1.1", adoption: 0.5, refreshEvery: 10s}
actions:
  - {at: 2024-03-01T10:00, kind: rollback, service: web, version: "1.0", stops: [storm]}
""");

        double before = r.auth(t("09:10"), t("09:30"), field("clientVersion", "1.0")).size() / 20.0;
        double during = r.auth(t("09:40"), t("10:00"), field("clientVersion", "1.1")).size() / 20.0;
        assertThat(during).as("faulty-version refreshes per minute").isGreaterThan(10 * before);
        assertThat(r.auth(t("10:00"), t("11:00"), field("clientVersion", "1.1"))).isEmpty();

        NavigableMap<Long, Double> cpu = r.metric("auth", "cpu_utilization");
        NavigableMap<Long, Double> queue = r.metric("auth", "queue_depth");
        assertThat(max(cpu, t("09:00"), t("09:30"))).isLessThan(90);
        assertThat(max(cpu, t("09:35"), t("10:00"))).isGreaterThan(99);
        assertThat(queue.get(t("09:50"))).isGreaterThan(queue.get(t("09:40"))).isPositive();
        NavigableMap<Long, Double> webLatency = r.metric("web", "latency_p95_ms");
        assertThat(mean(webLatency, t("09:45"), t("10:00")))
                .isGreaterThan(3 * mean(webLatency, t("09:00"), t("09:30")));
        // The database behind the token service gets the refreshes' queries too.
        assertThat(mean(r.metric("database", "request_rate"), t("09:40"), t("10:00")))
                .isGreaterThan(
                        1.5 * mean(r.metric("database", "request_rate"), t("09:00"), t("09:30")));

        GroundTruth.Fault f = r.truth().fault("storm");
        assertThat(f.end()).isEqualTo(java.time.Instant.ofEpochMilli(t("10:00")));
        // The database has headroom for the extra queries: busier, but healthy.
        assertThat(f.affectedServices()).containsExactly("auth", "web");
    }

    @Test
    void saturationPinsTheServiceCpu() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: batch, kind: saturation, service: database, at: 2024-03-01T09:30, until: 2024-03-01T10:00, factor: 1}
""");

        NavigableMap<Long, Double> cpu = r.metric("database", "cpu_utilization");
        assertThat(max(cpu, t("09:00"), t("09:30"))).isLessThan(60);
        assertThat(cpu.subMap(t("09:32"), t("10:00")).values())
                .allSatisfy(v -> assertThat(v).isGreaterThan(98));
        assertThat(max(cpu, t("10:30"), t("11:00"))).isLessThan(60);
        assertThat(r.truth().outages())
                .singleElement()
                .satisfies(
                        o ->
                                assertThat(o.components())
                                        .extracting(GroundTruth.Component::name)
                                        .contains("Database"));
    }

    /**
     * A fault's strength rises linearly over its ramp: a database's own workload growing over 20
     * minutes adds a quarter of its CPU at five minutes, half at ten, all from twenty on.
     */
    @Test
    void aFaultGrowsLinearlyOverItsRamp() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: batch, kind: saturation, service: database, at: 2024-03-01T09:30, until: 2024-03-01T10:30, factor: 0.4, ramp: 20m}
""");

        NavigableMap<Long, Double> cpu = r.metric("database", "cpu_utilization");
        double before = mean(cpu, t("09:25"), t("09:30"));
        double full = mean(cpu, t("09:55"), t("10:00")) - before;
        assertThat(full).as("90 %% of the extra 0.4 of capacity").isGreaterThan(30);
        assertThat(mean(cpu, t("09:34"), t("09:36")) - before).isCloseTo(full / 4, within(3.0));
        assertThat(mean(cpu, t("09:39"), t("09:41")) - before).isCloseTo(full / 2, within(3.0));
        assertThat(mean(cpu, t("09:50"), t("09:52")) - before).isCloseTo(full, within(3.0));
    }

    @Test
    void slowdownBacksUpTheServiceAndSlowsItsCallers() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: slow, kind: slowdown, service: database, at: 2024-03-01T09:30, until: 2024-03-01T10:00, factor: 5}
""");

        NavigableMap<Long, Double> queue = r.metric("database", "queue_depth");
        assertThat(queue.get(t("09:29"))).isZero();
        assertThat(queue.get(t("09:45"))).isGreaterThan(queue.get(t("09:35"))).isPositive();
        assertThat(queue.get(t("09:59"))).isGreaterThan(queue.get(t("09:45")));
        NavigableMap<Long, Double> authLatency = r.metric("auth", "latency_p95_ms");
        assertThat(mean(authLatency, t("09:45"), t("10:00")))
                .isGreaterThan(10 * mean(authLatency, t("09:00"), t("09:30")));
        assertThat(r.truth().fault("slow").affectedServices())
                .startsWith("database")
                .contains("auth", "web");
    }

    @Test
    void aDrainedQueueIsEmptyAndItsOutageEndsWhateverTheSeed() {
        // A slowdown backs up the queue, which drains within a minute of its end. The subtraction
        // that empties a queue used to leave a residue of about 1e-13 in a third of the drains
        // (database with seed 5, auth with seeds 2 and 5), and the outage then lasted to the end.
        for (String service : List.of("database", "auth")) {
            for (long seed = 1; seed <= 6; seed++) {
                SimulationFixtures.Result r =
                        SimulationFixtures.run(
                                SimulationFixtures.scenario(
                                        "faults:\n  - {id: slow, kind: slowdown, service: "
                                                + service
                                                + ", at: 2024-03-01T09:30, until:"
                                                + " 2024-03-01T09:40, factor: 5}\n"),
                                seed);

                String run = service + " slowed, seed " + seed;
                assertThat(max(r.metric(service, "queue_depth"), t("09:30"), t("09:40")))
                        .as(run)
                        .isPositive();
                assertThat(r.truth().outages())
                        .as(run)
                        .singleElement()
                        .satisfies(
                                o ->
                                        assertThat(o.end())
                                                .as("%s: the outage ends once drained", run)
                                                .isBefore(Instant.parse("2024-03-01T09:50:00Z")));
            }
        }
    }

    @Test
    void externalSlowdownRaisesTheCallersLatency() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: ext, kind: external-slow, service: search, at: 2024-03-01T09:30, until: 2024-03-01T10:00, factor: 10}
""");

        NavigableMap<Long, Double> web = r.metric("web", "latency_p95_ms");
        double normal = mean(web, t("09:00"), t("09:30"));
        assertThat(mean(web, t("09:35"), t("10:00"))).isGreaterThan(normal + 800);
        assertThat(mean(r.metric("search", "latency_p95_ms"), t("09:35"), t("10:00")))
                .isGreaterThan(900);
        assertThat(mean(web, t("10:30"), t("11:00"))).isCloseTo(normal, within(normal * 0.1));
        assertThat(r.truth().faults().get(0).cause().kind())
                .isEqualTo(io.incidentanalyzer.model.CauseKind.EXTERNAL_DEPENDENCY);
    }

    @Test
    void badDeployIsAChangeEventAndRaisesErrors() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: deploy, kind: bad-deploy, service: web, at: 2024-03-01T09:30, until: 2024-03-01T10:00, version: "5.0", errorRatio: 0.3, factor: 1.5, ramp: 10s, description: release 5.0}
""");

        assertThat(r.records(StreamKind.CHANGES))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.ts()).isEqualTo(t("09:30"));
                            JsonNode n = c.node();
                            assertThat(n.get("kind").asText()).isEqualTo("DEPLOY");
                            assertThat(n.get("service").asText()).isEqualTo("web");
                            assertThat(n.get("version").asText()).isEqualTo("5.0");
                        });
        NavigableMap<Long, Double> errors = r.metric("web", "error_ratio");
        assertThat(max(errors, t("09:00"), t("09:30"))).isLessThan(0.01);
        assertThat(mean(errors, t("09:31"), t("10:00"))).isCloseTo(0.3, within(0.02));
        assertThat(
                        r.logs(
                                n ->
                                        n.get("level").asText().equals("ERROR")
                                                && n.get("service").asText().equals("web")))
                .isNotEmpty();
    }

    @Test
    void wrongHostSwitchesTheLoggedDatabaseHostUntilFixed() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: host, kind: wrong-host, service: auth, dependency: database, host: db-legacy, factor: 2, at: 2024-03-01T09:30}
actions:
  - {at: 2024-03-01T10:00, kind: config, service: auth, description: host fixed, stops: [host]}
""");

        List<JsonNode> hosts =
                r.logs(
                        n ->
                                n.get("service").asText().equals("auth")
                                        && n.at("/attributes/db.host").isTextual());
        for (JsonNode n : hosts) {
            long ts = java.time.Instant.parse(n.get("ts").asText()).toEpochMilli();
            String expected = ts >= t("09:30") && ts < t("10:00") ? "db-legacy" : "db-1";
            assertThat(n.at("/attributes/db.host").asText()).as(n.toString()).isEqualTo(expected);
        }
        assertThat(r.logs(field("message", "connected to database host db-legacy")))
                .singleElement()
                .satisfies(
                        n ->
                                assertThat(n.get("ts").asText())
                                        .isEqualTo("2024-03-01T09:30:00.000Z"));
        assertThat(r.logs(field("message", "connected to database host db-1"))).hasSize(1);
        assertThat(r.records(StreamKind.CHANGES)).hasSize(1);
    }

    @Test
    void missingTokenGivesMissingTokenEventsPerCallerRequest() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: nt, kind: missing-token, service: web, callee: auth, at: 2024-03-01T09:30, until: 2024-03-01T10:00, ramp: 10s}
""");

        List<JsonNode> missing = r.auth(t("09:00"), t("11:00"), type("MISSING_TOKEN"));
        assertThat(missing)
                .allSatisfy(
                        n -> {
                            assertThat(n.get("service").asText()).isEqualTo("auth");
                            assertThat(n.get("caller").asText()).isEqualTo("web");
                        });
        double perSecond = r.auth(t("09:35"), t("10:00"), type("MISSING_TOKEN")).size() / 1500.0;
        double webRate = mean(r.metric("web", "request_rate"), t("09:35"), t("10:00"));
        assertThat(perSecond).isCloseTo(webRate, within(webRate * 0.1));
        assertThat(r.auth(t("09:00"), t("09:30"), type("MISSING_TOKEN"))).isEmpty();
        assertThat(r.auth(t("10:00"), t("11:00"), type("MISSING_TOKEN"))).isEmpty();
        assertThat(mean(r.metric("web", "error_ratio"), t("09:31"), t("10:00")))
                .isGreaterThan(0.98);
        assertThat(r.logs(field("message", "401 Unauthorized: request without bearer token")))
                .isNotEmpty();
    }

    @Test
    void missingTokenEventsAreCappedPerSecond() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: nt, kind: missing-token, service: web, callee: auth, at: 2024-03-01T09:30, until: 2024-03-01T10:00}
  - {id: more, kind: surge, service: web, at: 2024-03-01T09:30, until: 2024-03-01T10:00, factor: 3}
""");

        // web serves about 3 × 75 = 225 requests/s here; the events stop at 200 per second.
        double perSecond = r.auth(t("09:35"), t("10:00"), type("MISSING_TOKEN")).size() / 1500.0;
        assertThat(perSecond).isCloseTo(Simulator.MISSING_TOKEN_CAP_PER_SECOND, within(5.0));
    }

    @Test
    void surgeBringsMoreSessionsThatRefreshNormally() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: surge, kind: surge, service: web, at: 2024-03-01T09:30, until: 2024-03-01T10:30, factor: 2}
""");

        // Over one refresh period (9 min) every session refreshes about once.
        long period = 9 * MINUTE;
        double[] before = perSession(r, t("09:15"), t("09:15") + period);
        double[] during = perSession(r, t("09:50"), t("09:50") + period);
        assertThat(during[0]).as("sessions").isGreaterThan(1.8 * before[0]);
        assertThat(during[1]).as("refreshes per session").isCloseTo(before[1], within(0.05));
        assertThat(during[1]).isCloseTo(1.0, within(0.05));
        assertThat(mean(r.metric("web", "request_rate"), t("09:35"), t("10:30")))
                .isGreaterThan(1.8 * mean(r.metric("web", "request_rate"), t("09:00"), t("09:30")));
        assertThat(r.truth().faults().get(0).cause().kind())
                .isEqualTo(io.incidentanalyzer.model.CauseKind.TRAFFIC_SURGE);
    }

    /** Distinct sessions refreshing in [from, to) and refreshes per such session. */
    private static double[] perSession(SimulationFixtures.Result r, long from, long to) {
        List<JsonNode> refreshes = r.auth(from, to, type("REFRESH"));
        Set<String> sessions = new HashSet<>();
        for (JsonNode n : refreshes) sessions.add(n.get("sessionId").asText());
        return new double[] {sessions.size(), (double) refreshes.size() / sessions.size()};
    }

    @Test
    void flappingMetricSwingsAroundItsValue() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: flap, kind: flapping, service: database, metric: cpu_utilization, around: 85, amplitude: 12, period: 2m, at: 2024-03-01T09:30, until: 2024-03-01T10:00, ramp: 10s}
""");

        NavigableMap<Long, Double> cpu = r.metric("database", "cpu_utilization");
        int crossings = 0;
        Double previous = null;
        for (double v : cpu.subMap(t("09:31"), t("10:00")).values()) {
            if (previous != null && (previous < 85) != (v < 85)) crossings++;
            previous = v;
        }
        // 29 minutes of a 2-minute period cross the middle about 29 times.
        assertThat(crossings).isBetween(20, 40);
        assertThat(max(cpu, t("09:31"), t("10:00"))).isGreaterThan(95);
        assertThat(max(cpu, t("10:01"), t("11:00"))).isLessThan(60);
    }

    @Test
    void flappingMetricTheModelDoesNotWriteIsWrittenWhileItLasts() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
faults:
  - {id: flap, kind: flapping, service: web, metric: connection_pool_utilization, around: 90, amplitude: 8, period: 3m, at: 2024-03-01T09:30, until: 2024-03-01T09:40}
""");

        NavigableMap<Long, Double> pool = r.metric("web", "connection_pool_utilization");
        assertThat(pool.firstKey()).isEqualTo(t("09:30"));
        assertThat(pool.lastKey()).isLessThan(t("09:40"));
        assertThat(pool).hasSize(60);
    }

    @Test
    void disablingRefreshStopsRefreshesAndSessionsLogInAgain() {
        SimulationFixtures.Result r =
                SimulationFixtures.run(
                        """
actions:
  - {at: 2024-03-01T10:00, kind: feature_flag, service: auth, description: refresh off, disableRefresh: true}
""");

        assertThat(r.auth(t("09:00"), t("10:00"), type("REFRESH"))).isNotEmpty();
        assertThat(r.auth(t("10:00"), t("11:00"), type("REFRESH"))).isEmpty();
        // Tokens live 10 minutes: from 10:10 every session logs in again once per 10 minutes.
        double loginsBefore = r.auth(t("09:30"), t("10:00"), type("LOGIN")).size() / 30.0;
        double loginsAfter = r.auth(t("10:20"), t("10:50"), type("LOGIN")).size() / 30.0;
        double refreshesBefore = r.auth(t("09:30"), t("10:00"), type("REFRESH")).size() / 30.0;
        assertThat(loginsAfter).isGreaterThan(5 * loginsBefore);
        // Each session now logs in once per lifetime (10 min) instead of refreshing once per 9.
        assertThat(loginsAfter / refreshesBefore).isBetween(0.85, 1.25);
        // The relogins carry the session they belong to.
        assertThat(r.auth(t("10:20"), t("10:21"), type("LOGIN")))
                .allSatisfy(n -> assertThat(n.get("sessionId").asText()).startsWith("s-"));
    }
}
