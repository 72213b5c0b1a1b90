package io.incidentanalyzer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.replay.Replay;
import io.incidentanalyzer.simulate.DirectorySink;
import io.incidentanalyzer.simulate.KafkaSink;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.Simulator;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;

/**
 * The whole {@code docker-compose.yml} stack on a Docker engine (Testcontainers, the local {@code
 * docker compose}): a simulated scenario goes into Kafka through the published port, and the
 * incidents topic must carry the incidents an in-process replay of the same records opens; the
 * review service loads them, Prometheus scrapes every target, Grafana has its dashboard, and
 * Flink's REST API refuses jar uploads.
 *
 * <p>Tagged {@code docker}: only {@code mvn -Pdocker verify} runs it (README), never the default
 * build. It skips, saying why, where no Docker engine answers. It uses the file's fixed ports on
 * 127.0.0.1 (8080, 8081, 3000, 9090, 9250, 9251, 29092), which must be free.
 */
@Tag("docker")
@ExtendWith(ComposeStackIT.RequiresDocker.class)
class ComposeStackIT {
    private static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final String KAFKA = "localhost:29092";
    private static final String FLINK = "http://127.0.0.1:8081";
    private static final String REVIEW = "http://127.0.0.1:8080";
    private static final String PROMETHEUS = "http://127.0.0.1:9090";
    private static final String GRAFANA = "http://127.0.0.1:3000";
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String GRAFANA_PASSWORD = UUID.randomUUID().toString();

    private static ComposeContainer stack;

    /** Skips the class, saying why, where no Docker engine answers. */
    static final class RequiresDocker implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return DockerClientFactory.instance().isDockerAvailable()
                    ? ConditionEvaluationResult.enabled("a Docker engine answers")
                    : ConditionEvaluationResult.disabled(
                            "ComposeStackIT needs a Docker engine (DOCKER_HOST or"
                                    + " /var/run/docker.sock) and the `docker compose` plugin;"
                                    + " none answers here, so it is skipped");
        }
    }

    @BeforeAll
    static void startStack() throws Exception {
        String jars = "target/" + PomFile.value("artifactId") + "-" + PomFile.value("version");
        for (String jar : List.of(jars + "-job.jar", jars + "-standalone.jar")) {
            assertThat(REPO.resolve(jar))
                    .as("the stack mounts %s: run `mvn -Pdocker verify`, which packages it", jar)
                    .isRegularFile();
        }
        stack =
                new ComposeContainer(REPO.resolve("docker-compose.yml").toFile())
                        .withLocalCompose(true)
                        .withEnv("REVIEW_TOKEN", UUID.randomUUID().toString())
                        .withEnv("GRAFANA_ADMIN_PASSWORD", GRAFANA_PASSWORD)
                        .withRemoveVolumes(true)
                        .withStartupTimeout(DEADLINE);
        stack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    @Test
    void scenarioThroughKafkaOpensTheIncidentsOfAReplay(@TempDir Path dir) throws Exception {
        ScenarioLoader.Loaded scenario =
                ScenarioLoader.load(REPO.resolve("jobs/scenarios/bad-deploy-2024-04-02.yaml"));
        long seed = scenario.scenario().seed();
        try (DirectorySink files = new DirectorySink(dir)) {
            new Simulator(scenario, seed).run(files);
        }
        List<IncidentEvent> replayed = Replay.run(scenario.job(), dir, 2, null).incidents();
        // A replay ends with a final watermark that fires every timer; a Kafka input never does.
        // Incidents opened well before the last record are the ones the stack must show.
        long settled =
                scenario.scenario().endInstant().minus(Duration.ofMinutes(10)).toEpochMilli();
        Set<String> expected =
                replayed.stream()
                        .filter(e -> e.type() == IncidentEventType.OPENED && e.ts() <= settled)
                        .map(IncidentEvent::incidentId)
                        .collect(Collectors.toSet());
        Set<String> possible =
                replayed.stream().map(IncidentEvent::incidentId).collect(Collectors.toSet());
        assertThat(expected).as("incidents the scenario opens in a replay").isNotEmpty();

        await("the job RUNNING on the stack's Flink")
                .atMost(DEADLINE)
                .pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> runningJobs() == 1);
        try (KafkaSink input = new KafkaSink(scenario.job(), KAFKA)) {
            new Simulator(scenario, seed).run(input);
        }

        String incidents = scenario.job().topics().incidents();
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA)) {
            await("the replay's incidents on " + incidents + " (read_committed)")
                    .atMost(DEADLINE)
                    .pollInterval(POLL)
                    .untilAsserted(
                            () ->
                                    assertThat(opened(kafka.readAll(incidents)))
                                            .containsAll(expected));
            assertThat(ids(kafka.readAll(incidents)))
                    .as("incident ids on the topic, all of which the replay knows")
                    .isSubsetOf(possible);
        }
        await("the review service loading them")
                .atMost(DEADLINE)
                .pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> reviewIncidentsLoaded() >= expected.size());
    }

    @Test
    void prometheusScrapesEveryTarget() {
        await("every Prometheus target up")
                .atMost(DEADLINE)
                .pollInterval(POLL)
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            JsonNode targets =
                                    JSON.readTree(get(PROMETHEUS + "/api/v1/targets").body())
                                            .path("data")
                                            .path("activeTargets");
                            assertThat(targets).hasSize(3);
                            targets.forEach(
                                    t ->
                                            assertThat(t.path("health").asText())
                                                    .as(t.path("scrapeUrl").asText())
                                                    .isEqualTo("up"));
                        });
    }

    @Test
    void grafanaHasTheProvisionedDashboard() {
        String auth =
                Base64.getEncoder()
                        .encodeToString(
                                ("admin:" + GRAFANA_PASSWORD).getBytes(StandardCharsets.UTF_8));
        await("Grafana serving the incident-analyzer dashboard")
                .atMost(DEADLINE)
                .pollInterval(POLL)
                .ignoreExceptions()
                .untilAsserted(
                        () -> {
                            HttpResponse<String> response =
                                    HTTP.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    GRAFANA
                                                                            + "/api/dashboards/uid/incident-analyzer"))
                                                    .header("Authorization", "Basic " + auth)
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString());
                            assertThat(response.statusCode()).isEqualTo(200);
                        });
    }

    @Test
    void flinkRestApiHasNoJarUpload() {
        await("Flink's REST API up")
                .atMost(DEADLINE)
                .pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> get(FLINK + "/overview").statusCode() == 200);

        assertThat(uncheckedGet(FLINK + "/jars").statusCode())
                .as("GET /jars with web.submit.enable false")
                .isEqualTo(404);
    }

    // ---- helpers ----

    private static long runningJobs() throws Exception {
        JsonNode jobs = JSON.readTree(get(FLINK + "/jobs/overview").body()).path("jobs");
        long running = 0;
        for (JsonNode job : jobs) {
            if (job.path("state").asText().equals("RUNNING")) running++;
        }
        return running;
    }

    private static double reviewIncidentsLoaded() throws Exception {
        for (String line : get(REVIEW + "/metrics").body().split("\n")) {
            if (line.startsWith("review_incidents_loaded ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return -1;
    }

    private static Set<String> opened(List<JsonNode> events) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals(IncidentEventType.OPENED.name()))
                .map(e -> e.path("incidentId").asText())
                .collect(Collectors.toSet());
    }

    private static Set<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.path("incidentId").asText()).collect(Collectors.toSet());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> uncheckedGet(String url) {
        try {
            return get(url);
        } catch (Exception e) {
            throw new AssertionError("GET " + url + " failed: " + e, e);
        }
    }
}
