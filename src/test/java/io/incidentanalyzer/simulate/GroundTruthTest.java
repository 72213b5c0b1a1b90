package io.incidentanalyzer.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ground truth of the Watermelon scenario, as bundled in the jar. */
class GroundTruthTest {
    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    private static GroundTruth truth;
    private static final Map<StreamKind, Long> counted = new HashMap<>();

    /** Watermelon local time, e.g. {@code local("2024-02-16T09:00")}. */
    private static Instant local(String t) {
        return LocalDateTime.parse(t).atZone(AMSTERDAM).toInstant();
    }

    @BeforeAll
    static void simulateWatermelon() throws IOException {
        ScenarioLoader.Loaded watermelon =
                ScenarioLoader.loadResource("jobs/scenarios/watermelon-2024-02-16.yaml");
        SimulationSink counter =
                new SimulationSink() {
                    @Override
                    public void emit(StreamKind stream, long ts, String key, String json) {
                        counted.merge(stream, 1L, Long::sum);
                    }

                    @Override
                    public void close() {}
                };
        truth = new Simulator(watermelon, watermelon.scenario().seed()).run(counter);
    }

    @Test
    void oneOutageRootedAtTheRefreshStorm() {
        assertThat(truth.outages())
                .singleElement()
                .satisfies(
                        o -> {
                            assertThat(o.id()).isEqualTo("refresh-storm");
                            assertThat(o.rootCause())
                                    .isEqualTo(
                                            new GroundTruth.Cause(
                                                    CauseKind.TOKEN_REFRESH_STORM,
                                                    "token-verification"));
                            assertThat(o.contributing())
                                    .containsExactly("wrong-db-host", "count-missing-token");
                            assertThat(o.onset()).isEqualTo(local("2024-02-16T08:26"));
                            // Over when the count fix is deployed on Saturday at 10:00.
                            assertThat(o.end())
                                    .isBetween(
                                            local("2024-02-17T10:00"), local("2024-02-17T10:05"));
                        });
    }

    @Test
    void faultsHaveTheScenarioOnsetsAndTheirEffectiveEnds() {
        GroundTruth.Fault storm = truth.fault("refresh-storm");
        assertThat(storm.onset()).isEqualTo(local("2024-02-16T08:26"));
        assertThat(storm.end()).as("the 09:00 feature flag").isEqualTo(local("2024-02-16T09:00"));
        assertThat(storm.role()).isEqualTo(FaultRole.ROOT);
        assertThat(storm.affectedServices())
                .startsWith("token-verification")
                .contains("database", "api-gpt", "conversation-count", "web-app");

        GroundTruth.Fault host = truth.fault("wrong-db-host");
        assertThat(host.onset()).isEqualTo(local("2024-02-16T08:45"));
        assertThat(host.end()).isEqualTo(local("2024-02-16T18:00"));
        assertThat(host.outage()).isEqualTo("refresh-storm");
        assertThat(host.cause())
                .isEqualTo(new GroundTruth.Cause(CauseKind.DEPENDENCY_DRIFT, "token-verification"));

        GroundTruth.Fault count = truth.fault("count-missing-token");
        assertThat(count.onset()).isEqualTo(local("2024-02-16T18:30"));
        assertThat(count.end()).isEqualTo(local("2024-02-17T10:00"));
        assertThat(count.cause())
                .isEqualTo(new GroundTruth.Cause(CauseKind.MISSING_TOKEN, "conversation-count"));
        assertThat(count.affectedServices()).first().isEqualTo("conversation-count");
    }

    @Test
    void componentsHaveTheirWorstStates() {
        Map<String, GroundTruth.Component> byName = new HashMap<>();
        for (GroundTruth.Component c : truth.outages().get(0).components()) byName.put(c.name(), c);

        assertThat(byName.get("Database").state()).isEqualTo(ComponentState.MAJOR_OUTAGE);
        assertThat(byName.get("Database").from())
                .isBetween(local("2024-02-16T08:26"), local("2024-02-16T08:35"));
        assertThat(byName.get("Compute Engine").state()).isEqualTo(ComponentState.MAJOR_OUTAGE);
        // The count service (App Engine) stays broken overnight; the rest recovers after 18:00.
        assertThat(byName.get("App Engine").to()).isAfter(local("2024-02-17T09:55"));
        assertThat(byName.get("Compute Engine").to())
                .isBetween(local("2024-02-16T18:00"), local("2024-02-16T20:00"));
        // The channels' bots were slow but kept answering.
        assertThat(byName.get("WhatsApp").state()).isEqualTo(ComponentState.DEGRADED_PERFORMANCE);
        // Billing (Stripe) does not depend on tokens.
        assertThat(byName).doesNotContainKey("Stripe API");
    }

    @Test
    void eventCountsAreWhatWasEmitted() {
        assertThat(truth.events()).containsOnlyKeys("metrics", "auth", "logs", "changes");
        for (StreamKind k : StreamKind.values()) {
            assertThat(truth.events().get(k.name().toLowerCase(java.util.Locale.ROOT)))
                    .as(k.name())
                    .isEqualTo(counted.get(k));
        }
        assertThat(truth.events().get("changes")).isEqualTo(5);
        long total = truth.events().values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("a few million records").isBetween(2_000_000L, 10_000_000L);
    }

    @Test
    void roundTripsThroughTruthJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(GroundTruth.FILE_NAME);
        truth.write(file);

        assertThat(GroundTruth.read(file)).isEqualTo(truth);
        assertThat(Files.readString(file))
                .contains(
                        "\"kind\" : \"refresh-storm\"",
                        "\"state\" : \"major_outage\"",
                        "\"start\" : \"2024-02-16T05:00:00Z\"");
    }

    @Test
    void aFileThatIsNotTruthIsAConfigError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("truth.json");
        Files.writeString(file, "{\"scenario\": 3, \"outages\": {}}");

        assertThatThrownBy(() -> GroundTruth.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": not a ground-truth file");
    }
}
