package io.incidentanalyzer.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.testing.RecordingSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A small system and a two-hour scenario on it for simulator tests: a web front end that calls an
 * auth service (the token service, on a database) and an external search API. Tests append faults
 * and actions to {@link #BASE}. Times are UTC on 2024-03-01.
 */
public final class SimulationFixtures {
    private SimulationFixtures() {}

    public static final String JOB_YAML =
            """
            environment: shop
            topics:
              metrics: {name: shop.metrics}
              auth: {name: shop.auth}
              logs: {name: shop.logs}
              changes: {name: shop.changes}
              incidents: shop.incidents
              deadLetter: shop.dead-letter
            services:
              database:
              auth: {dependsOn: [database]}
              search:
              web: {dependsOn: [auth, search]}
            components:
              - {name: Website, group: Apps, services: [web]}
              - {name: Login, group: Platform, services: [auth]}
              - {name: Database, group: Platform, services: [database]}
              - {name: Search, group: Platform, services: [search]}
            """;

    static final JobConfig JOB = JobConfigLoader.parse(JOB_YAML, "jobs/shop.yaml");

    /** Sessions log in for four hours on average, so few end between two refreshes. */
    public static final String BASE =
            """
name: shop-test
job: ../shop.yaml
start: 2024-03-01T09:00
end: 2024-03-01T11:00
seed: 7
traffic:
  sessions: 2000
  sessionLength: 4h
  tokenLifetime: 10m
  refreshBefore: 1m
  tokenService: auth
  clients:
    - {id: web, version: "1.0", share: 0.7}
    - {id: ios, version: "2.0", share: 0.3}
  services:
    web: {rps: 100, capacity: 400, latency: 40ms}
    auth: {rps: 200, capacity: 300, latency: 10ms, connections: 50, dbHost: db-1, calls: {database: 2}, refreshCost: 5}
    database: {rps: 300, capacity: 900, latency: 5ms, connections: 100}
    search: {rps: 50, capacity: 300, latency: 100ms, timeout: 10s}
""";

    static ScenarioLoader.Loaded scenario(String extra) {
        return ScenarioLoader.parse(BASE + extra, "jobs/scenarios/shop-test.yaml", job -> JOB);
    }

    /** The run's streams and ground truth. */
    record Result(RecordingSink sink, GroundTruth truth) {
        List<RecordingSink.Rec> records(StreamKind stream) {
            return sink.records(stream);
        }

        /** A metric's samples by time. */
        NavigableMap<Long, Double> metric(String service, String metric) {
            NavigableMap<Long, Double> out = new TreeMap<>();
            for (RecordingSink.Rec r : sink.records(StreamKind.METRICS)) {
                JsonNode n = r.node();
                if (n.get("service").asText().equals(service)
                        && n.get("metric").asText().equals(metric)) {
                    out.put(r.ts(), n.get("value").asDouble());
                }
            }
            return out;
        }

        /** Auth events matching a filter with ts in [from, to). */
        List<JsonNode> auth(long from, long to, Predicate<JsonNode> filter) {
            return sink.records(StreamKind.AUTH).stream()
                    .filter(r -> r.ts() >= from && r.ts() < to)
                    .map(RecordingSink.Rec::node)
                    .filter(filter)
                    .toList();
        }

        /** Log records matching a filter. */
        List<JsonNode> logs(Predicate<JsonNode> filter) {
            return sink.records(StreamKind.LOGS).stream()
                    .map(RecordingSink.Rec::node)
                    .filter(filter)
                    .toList();
        }
    }

    static Result run(String extra) {
        return run(scenario(extra), 7);
    }

    static Result run(ScenarioLoader.Loaded scenario, long seed) {
        RecordingSink sink = new RecordingSink();
        try {
            GroundTruth truth = new Simulator(scenario, seed).run(sink);
            return new Result(sink, truth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Epoch ms of a UTC time of day on 2024-03-01, e.g. {@code t("09:30")}. */
    static long t(String hhmm) {
        return Instant.parse("2024-03-01T" + hhmm + ":00Z").toEpochMilli();
    }

    static Predicate<JsonNode> type(String type) {
        return n -> n.get("type").asText().equals(type);
    }

    static Predicate<JsonNode> field(String name, String value) {
        return n -> n.hasNonNull(name) && n.get(name).asText().equals(value);
    }

    /** The largest value in [from, to). */
    static double max(NavigableMap<Long, Double> series, long from, long to) {
        return series.subMap(from, true, to, false).values().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElseThrow();
    }

    /** The mean value in [from, to). */
    static double mean(NavigableMap<Long, Double> series, long from, long to) {
        return series.subMap(from, true, to, false).values().stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
    }
}
