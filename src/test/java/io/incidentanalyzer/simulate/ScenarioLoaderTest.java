package io.incidentanalyzer.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.evaluate.SuiteEvaluation;
import io.incidentanalyzer.model.ChangeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
    private static final String FILE = "jobs/scenarios/test.yaml";

    private static final JobConfig JOB =
            JobConfigLoader.parse(
                    """
                    environment: shop
                    topics:
                      metrics: {name: m}
                      auth: {name: a}
                      logs: {name: l}
                      changes: {name: c}
                      incidents: i
                      deadLetter: d
                    services:
                      database:
                      auth: {dependsOn: [database]}
                      web: {dependsOn: [auth]}
                    """,
                    "jobs/shop.yaml");

    /** The smallest valid scenario; tests add or break one thing at a time. */
    private static final String MINIMAL =
            """
            name: t
            job: ../shop.yaml
            start: 2024-03-01T09:00
            end: 2024-03-01T12:00
            traffic:
              sessions: 1000
              tokenService: auth
              clients: [{id: web, version: "1.0", share: 1}]
              services:
                web: {rps: 10, capacity: 100}
                auth: {rps: 20, capacity: 200}
            """;

    private static ScenarioLoader.Loaded parse(String yaml) {
        return ScenarioLoader.parse(yaml, FILE, job -> JOB);
    }

    private static void assertError(String yaml, String... parts) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": ")
                .hasMessageContainingAll(parts);
    }

    @Test
    void minimalScenarioGetsDefaults() {
        Scenario s = parse(MINIMAL).scenario();

        assertThat(s.timeZone()).isEqualTo("UTC");
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.seed()).isEqualTo(1L);
        assertThat(s.faults()).isEmpty();
        assertThat(s.traffic().tokenLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.traffic().services().get("web").timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.traffic().services().get("auth").callsTo("database")).isEqualTo(1.0);
        assertThat(s.startInstant()).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
    }

    @Test
    void localTimesAreReadInTheScenarioZone() {
        Scenario s = parse(MINIMAL + "timeZone: Europe/Amsterdam\n").scenario();
        assertThat(s.startInstant()).isEqualTo(Instant.parse("2024-03-01T08:00:00Z"));
    }

    @Test
    void faultsAndActionsAreRead() {
        Scenario s =
                parse(
                                MINIMAL
                                        + """
faults:
  - {id: storm, kind: refresh-storm, service: auth, at: 2024-03-01T10:00, client: web, version: "1.1", refreshEvery: 5s}
  - {id: host, kind: wrong-host, role: contributing, partOf: storm, service: auth, dependency: database, host: db2, at: 2024-03-01T10:30}
actions:
  - {at: 2024-03-01T11:00, kind: feature_flag, service: auth, disableRefresh: true, stops: [storm]}
""")
                        .scenario();

        assertThat(s.faults())
                .extracting(FaultSpec::kind)
                .containsExactly(FaultKind.REFRESH_STORM, FaultKind.WRONG_HOST);
        assertThat(s.fault("host").role()).isEqualTo(FaultRole.CONTRIBUTING);
        assertThat(s.fault("storm").at()).isEqualTo(LocalDateTime.parse("2024-03-01T10:00"));
        assertThat(s.actions().get(0).kind()).isEqualTo(ChangeKind.FEATURE_FLAG);
        assertThat(s.actions().get(0).disableRefresh()).isTrue();
        assertThat(s.actions().get(0).stops()).containsExactly("storm");
    }

    @Test
    void unknownKeyNamesTheFieldPath() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: surge, service: web, at: 2024-03-01T10:00,"
                        + " factor: 2, strength: 3}]\n",
                "faults[0]",
                "unknown key 'strength'");
    }

    @Test
    void badTimeSaysTheExpectedForm() {
        assertError(
                MINIMAL.replace("2024-03-01T12:00", "noon"),
                "end: expected a local date and time such as 2024-02-16T08:30");
    }

    @Test
    void badFaultKindListsTheKinds() {
        assertError(
                MINIMAL + "faults: [{id: x, kind: meteor, service: web, at: 2024-03-01T10:00}]\n",
                "faults[0].kind",
                "refresh-storm",
                "wrong-host");
    }

    @Test
    void missingKindSettingIsNamed() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: refresh-storm, service: auth, at:"
                        + " 2024-03-01T10:00, client: web}]\n",
                "faults[0].version: required for a refresh-storm fault",
                "faults[0].refreshEvery: required");
    }

    @Test
    void settingOfAnotherKindIsRefused() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: surge, service: web, at: 2024-03-01T10:00,"
                        + " factor: 2, host: db2}]\n",
                "faults[0].host: not a setting of a surge fault; its settings: factor");
    }

    @Test
    void unknownServicesAndClientsAreNamed() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: refresh-storm, service: cart, at:"
                        + " 2024-03-01T10:00, client: tv, version: '2', refreshEvery: 5s}]\n",
                "faults[0].service: 'cart' is not a service of the job file; its services:"
                        + " database, auth, web",
                "faults[0].client: 'tv' is not in traffic.clients");
        assertError(
                MINIMAL.replace("web: {rps: 10", "shop: {rps: 10"),
                "traffic.services.shop: not a service of the job file");
    }

    @Test
    void timesOutsideTheScenarioAreRefused() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: surge, service: web, at: 2024-03-02T10:00,"
                        + " factor: 2}]\n",
                "faults[0].at: 2024-03-02T10:00 is outside the scenario");
        assertError(
                MINIMAL.replace("end: 2024-03-01T12:00", "end: 2024-03-01T08:00"),
                "end: must be after start");
    }

    @Test
    void contributingFaultNeedsARootFault() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: surge, role: contributing, service: web, at:"
                        + " 2024-03-01T10:00, factor: 2}]\n",
                "faults[0].partOf: a contributing fault names the id of the root fault");
    }

    @Test
    void actionMustStopAnExistingFault() {
        assertError(
                MINIMAL
                        + "actions: [{at: 2024-03-01T10:00, kind: rollback, service: web, stops:"
                        + " [nothing]}]\n",
                "actions[0].stops: no fault with id 'nothing'");
    }

    @Test
    void faultsMustSitOnSimulatedServices() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: slowdown, service: database, at:"
                        + " 2024-03-01T10:00, factor: 2}]\n",
                "faults[0].service: 'database' has no load in traffic.services");
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: refresh-storm, service: web, at:"
                        + " 2024-03-01T10:00, client: web, version: '2', refreshEvery: 5s}]\n",
                "faults[0].service: a refresh storm hits the token service; set it to 'auth'");
        // A surge or a flapping metric needs no load model of its service.
        parse(
                MINIMAL
                        + "faults: [{id: x, kind: flapping, service: database, at:"
                        + " 2024-03-01T10:00, metric: cpu_utilization, around: 80, amplitude: 10,"
                        + " period: 2m}]\n");
    }

    @Test
    void missingTokenCalleeMustBeADependency() {
        assertError(
                MINIMAL
                        + "faults: [{id: x, kind: missing-token, service: auth, callee: web, at:"
                        + " 2024-03-01T10:00}]\n",
                "faults[0].callee: auth does not depend on 'web' in the job file");
    }

    @Test
    void intervalIsAtLeastASecond() {
        assertError(MINIMAL + "interval: 500ms\n", "interval: at least 1s");
    }

    @Test
    void clientSharesMustAddUpToOne() {
        assertError(
                MINIMAL.replace("share: 1}", "share: 0.5}"),
                "traffic.clients: the shares add up to 0.500, not 1");
    }

    @Test
    void trafficFromAndInlineTrafficAreExclusive() {
        assertError(
                MINIMAL + "trafficFrom: traffic/shop.yaml\n",
                "trafficFrom and traffic: give one of them");
    }

    @Test
    void trafficIsReadFromASharedFile(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("shop.yaml"),
                "environment: shop\n"
                        + "topics: {metrics: {name: m}, auth: {name: a}, logs: {name: l}, changes:"
                        + " {name: c}, incidents: i, deadLetter: d}\n"
                        + "services: {web: }\n");
        Path scenarios = Files.createDirectories(dir.resolve("scenarios"));
        Files.writeString(
                scenarios.resolve("base.yaml"),
                "sessions: 500\n"
                        + "tokenService: web\n"
                        + "clients: [{id: web, version: '1', share: 1}]\n"
                        + "services: {web: {rps: 1, capacity: 2}}\n");
        Path file = scenarios.resolve("s.yaml");
        Files.writeString(
                file,
                "name: s\n"
                        + "job: ../shop.yaml\n"
                        + "start: 2024-03-01T09:00\n"
                        + "end: 2024-03-01T10:00\n"
                        + "trafficFrom: base.yaml\n");

        Scenario s = ScenarioLoader.load(file).scenario();

        assertThat(s.traffic().sessions()).isEqualTo(500);
        assertThat(s.traffic().services()).containsOnlyKeys("web");
    }

    @Test
    void missingJobFileIsNamedRelativeToTheScenario(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, MINIMAL);
        assertThatThrownBy(() -> ScenarioLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        file + ": job: no file at " + dir.getParent().resolve("shop.yaml"));
    }

    @Test
    void everyBundledScenarioLoads() throws IOException {
        // Every system's scenarios, as the suite finds them (jobs/scenarios/shopfront/ too).
        var scenarios = SuiteEvaluation.scenarios(Path.of("jobs/scenarios"));
        assertThat(scenarios).isNotEmpty();
        assertThat(scenarios)
                .anyMatch(p -> p.getParent().getFileName().toString().equals("shopfront"));
        for (Path p : scenarios) {
            assertThat(ScenarioLoader.load(p).scenario().name()).as(p.toString()).isNotBlank();
        }
    }
}
