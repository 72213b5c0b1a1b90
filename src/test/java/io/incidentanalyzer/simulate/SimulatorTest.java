package io.incidentanalyzer.simulate;

import static io.incidentanalyzer.simulate.SimulationFixtures.max;
import static io.incidentanalyzer.simulate.SimulationFixtures.t;
import static io.incidentanalyzer.simulate.SimulationFixtures.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.NativeJsonDecoder;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.testing.RecordingSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's baseline: determinism, ordering, valid records and a calm quiet day. */
class SimulatorTest {

    private static final ScenarioLoader.Loaded QUIET = SimulationFixtures.scenario("");

    private static void writeTo(Path dir, ScenarioLoader.Loaded scenario, long seed)
            throws IOException {
        GroundTruth truth;
        try (DirectorySink sink = new DirectorySink(dir)) {
            truth = new Simulator(scenario, seed).run(sink);
        }
        truth.write(dir.resolve(GroundTruth.FILE_NAME));
    }

    private static final List<String> FILES =
            List.of("metrics.jsonl", "auth.jsonl", "logs.jsonl", "changes.jsonl", "truth.json");

    /** A scenario with a fault of every kind that writes to the streams, for the byte checks. */
    private static final ScenarioLoader.Loaded BUSY =
            SimulationFixtures.scenario(
                    """
faults:
  - {id: storm, kind: refresh-storm, service: auth, at: 2024-03-01T09:20, client: web, version: "1.1", adoption: 0.5, refreshEvery: 10s}
  - {id: host, kind: wrong-host, role: contributing, partOf: storm, service: auth, dependency: database, host: db-2, at: 2024-03-01T09:25, factor: 2}
  - {id: deploy, kind: bad-deploy, service: web, at: 2024-03-01T10:10, version: "5.0", errorRatio: 0.2}
  - {id: nt, kind: missing-token, service: web, callee: auth, at: 2024-03-01T10:30, until: 2024-03-01T10:40}
actions:
  - {at: 2024-03-01T09:40, kind: feature_flag, service: auth, disableRefresh: true, stops: [storm, host]}
""");

    @Test
    void sameScenarioAndSeedGiveByteIdenticalFiles(@TempDir Path dir) throws IOException {
        writeTo(dir.resolve("a"), BUSY, 11);
        writeTo(dir.resolve("b"), BUSY, 11);

        for (String f : FILES) {
            byte[] a = Files.readAllBytes(dir.resolve("a").resolve(f));
            assertThat(a).as(f).isNotEmpty();
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).as(f).isEqualTo(a);
        }
    }

    @Test
    void anotherSeedGivesOtherRecords(@TempDir Path dir) throws IOException {
        writeTo(dir.resolve("a"), BUSY, 11);
        writeTo(dir.resolve("b"), BUSY, 12);

        for (String f : List.of("metrics.jsonl", "auth.jsonl", "logs.jsonl")) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(f)))
                    .as(f)
                    .isNotEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
        }
        // Changes are the scenario's timeline, not random.
        assertThat(Files.readString(dir.resolve("b").resolve("changes.jsonl")))
                .isEqualTo(Files.readString(dir.resolve("a").resolve("changes.jsonl")));
    }

    @Test
    void everyStreamIsInTimestampOrderAndDecodes() {
        RecordingSink sink = SimulationFixtures.run(BUSY, 11).sink();

        for (StreamKind k : StreamKind.values()) {
            List<RecordingSink.Rec> recs = sink.records(k);
            assertThat(recs).as(k.name()).isNotEmpty();
            NativeJsonDecoder decoder = NativeJsonDecoder.forKind(k, 65536);
            long previous = Long.MIN_VALUE;
            for (RecordingSink.Rec r : recs) {
                assertThat(r.ts()).as(k + " order").isGreaterThanOrEqualTo(previous);
                previous = r.ts();
                JsonNode n = r.node();
                assertThat(Instant.parse(n.get("ts").asText()).toEpochMilli())
                        .as("ts inside the record")
                        .isEqualTo(r.ts());
                assertThat(r.key()).isEqualTo(n.get("service").asText());
                var decoded = decoder.decode("t", 0, 0, r.json().getBytes(StandardCharsets.UTF_8));
                assertThat(decoded.rejected()).as(r.json()).isNull();
                assertThat(decoded.ts()).isEqualTo(r.ts());
            }
        }
        // One tick per interval, before its records.
        assertThat(sink.ticks()).hasSize(720).first().isEqualTo(t("09:00"));
    }

    @Test
    void quietDayStaysUnderTheSaturationCeilings() {
        SimulationFixtures.Result r = SimulationFixtures.run(QUIET, 3);

        for (String service : List.of("web", "auth", "database", "search")) {
            assertThat(max(r.metric(service, "cpu_utilization"), t("09:00"), t("11:00")))
                    .as(service)
                    .isLessThan(90);
            assertThat(max(r.metric(service, "queue_depth"), t("09:00"), t("11:00")))
                    .as(service)
                    .isZero();
        }
        assertThat(r.records(StreamKind.CHANGES)).isEmpty();
        assertThat(r.truth().outages()).isEmpty();
    }

    @Test
    void watermelonWithoutFaultsStaysWellUnderItsCeilings() throws IOException {
        String scenario = resource("jobs/scenarios/watermelon-2024-02-16.yaml");
        String quiet = scenario.substring(0, scenario.indexOf("\nfaults:") + 1);
        ScenarioLoader.Loaded loaded =
                ScenarioLoader.parse(
                        quiet,
                        "quiet-watermelon.yaml",
                        job -> JobConfigLoader.parse(resource("jobs/watermelon.yaml"), job),
                        traffic ->
                                io.incidentanalyzer.config.YamlFiles.parse(
                                        resource("jobs/scenarios/" + traffic),
                                        traffic,
                                        Traffic.class,
                                        traffic));
        Map<String, Double> peaks = new TreeMap<>();
        SimulationSink peakKeeper =
                new SimulationSink() {
                    @Override
                    public void emit(StreamKind stream, long ts, String key, String json) {
                        if (stream == StreamKind.METRICS
                                && (json.contains("\"cpu_utilization\"")
                                        || json.contains("\"connection_pool_utilization\""))) {
                            JsonNode n = new RecordingSink.Rec(stream, ts, key, json).node();
                            peaks.merge(
                                    key + "/" + n.get("metric").asText(),
                                    n.get("value").asDouble(),
                                    Math::max);
                        }
                    }

                    @Override
                    public void close() {}
                };

        GroundTruth truth = new Simulator(loaded, 1).run(peakKeeper);

        // Ceilings in jobs/watermelon.yaml: 90 (any CPU), 95 (database CPU and pool).
        assertThat(peaks).hasSize(10 + 4).allSatisfy((k, v) -> assertThat(v).as(k).isLessThan(60));
        assertThat(peaks.get("token-verification/cpu_utilization")).isGreaterThan(30);
        assertThat(truth.outages()).isEmpty();
    }

    private static String resource(String name) {
        try (var in = SimulatorTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void refreshRateIsActiveSessionsOverTheRefreshPeriod() {
        SimulationFixtures.Result r = SimulationFixtures.run(QUIET, 3);

        // Active sessions follow the daily cycle: 2000 × share(h), peak 14:00, quiet share 0.2.
        for (String from : List.of("09:10", "09:40", "10:10")) {
            long start = t(from);
            long end = start + 30 * 60_000;
            double hour = (start + end) / 2.0 / 3_600_000 % 24;
            double share = 0.2 + 0.8 * (1 + Math.cos(2 * Math.PI * (hour - 14) / 24)) / 2;
            double expectedPerSecond = 2000 * share / (9 * 60);
            double refreshes = r.auth(start, end, type("REFRESH")).size();

            assertThat(refreshes / 1800)
                    .as(from)
                    .isCloseTo(expectedPerSecond, within(expectedPerSecond * 0.08));
        }
    }

    @Test
    void quietDayHasNoErrorLinesAndRegularHealthLines() {
        SimulationFixtures.Result r = SimulationFixtures.run(QUIET, 3);

        assertThat(r.logs(n -> !n.get("level").asText().equals("INFO"))).isEmpty();
        List<JsonNode> auth = r.logs(n -> n.get("service").asText().equals("auth"));
        assertThat(auth).hasSize(120);
        assertThat(auth)
                .allSatisfy(
                        n -> assertThat(n.at("/attributes/db.host").asText()).isEqualTo("db-1"));
    }
}
