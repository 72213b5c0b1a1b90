package io.incidentanalyzer.config;

import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.SignalKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The job file's {@code patterns:}: defaults that are today's behaviour, overrides, errors. */
class PatternsConfigTest {
    private static final String FILE = "jobs/test.yaml";
    private static final String MINIMAL = "environment: prod\n" + TOPICS_YAML;

    private static PatternsConfig patterns(String section) {
        return JobConfigLoader.parse(MINIMAL + section, FILE).patterns();
    }

    @Test
    void withoutAPatternsSectionTheDefaultsApply() {
        PatternsConfig p = JobConfigLoader.parse(MINIMAL, FILE).patterns();

        assertThat(p.chains())
                .containsExactly(
                        List.of(
                                SignalKind.REFRESH_STORM,
                                SignalKind.AUTH_FAILURES,
                                SignalKind.SATURATION,
                                SignalKind.BACKLOG_GROWTH));
        assertThat(p.namedBy(SignalKind.REFRESH_STORM, e -> false))
                .isEqualTo(CauseKind.TOKEN_REFRESH_STORM);
        assertThat(p.namedBy(SignalKind.AUTH_FAILURES, e -> e == AuthEventType.MISSING_TOKEN))
                .isEqualTo(CauseKind.MISSING_TOKEN);
        assertThat(p.namedBy(SignalKind.AUTH_FAILURES, e -> false)).isNull();
        assertThat(p.namedBy(SignalKind.SATURATION, e -> true)).isNull();
        assertThat(p.identifiedAtOnce())
                .containsExactlyInAnyOrder(
                        CauseKind.TOKEN_REFRESH_STORM,
                        CauseKind.DEPENDENCY_DRIFT,
                        CauseKind.MISSING_TOKEN,
                        CauseKind.BAD_DEPLOY);
        PatternsConfig.Thresholds t = p.thresholds();
        assertThat(t.onsetTolerance()).isEqualTo(Duration.ofMinutes(1));
        assertThat(t.deployAfterOnset()).isEqualTo(Duration.ofMinutes(1));
        assertThat(t.score(Severity.CRITICAL)).isEqualTo(1.0);
        assertThat(t.score(Severity.MAJOR)).isEqualTo(0.8);
        assertThat(t.score(Severity.MINOR)).isEqualTo(0.5);
        assertThat(List.of(t.improvedAt(), t.worseAt(), t.worthANumber()))
                .containsExactly(-0.5, 0.25, 0.05);
        assertThat(List.of(t.majorOutageAt(), t.partialOutageAt())).containsExactly(0.5, 0.05);
        assertThat(p.advice()).containsOnlyKeys(CauseKind.values());
        assertThat(p.statusAdvice())
                .containsOnlyKeys(CauseKind.TOKEN_REFRESH_STORM, CauseKind.MISSING_TOKEN);
        assertThat(p.metrics().name("cpu_utilization")).isEqualTo("CPU utilization");
        assertThat(p.metrics().name("latency_p95_ms")).isEqualTo("latency p95 (ms)");
        assertThat(p.metrics().unit("connection_pool_utilization")).isEqualTo("%");
        assertThat(p.metrics().unit("queue_depth")).isEmpty();
        assertThat(p.waits("connection_pool_utilization")).isTrue();
        assertThat(p.waits("cpu_utilization")).isFalse();
        assertThat(p.waits(null)).isFalse();
    }

    @Test
    void aJobFileOverridesWhatItNamesAndKeepsTheRest() {
        PatternsConfig p =
                patterns(
                        """
                        patterns:
                          chains:
                            - [baseline_shift, backlog_growth]
                          selfNaming:
                            - {signal: saturation, cause: resource_saturation}
                          identifiedAtOnce: [service_slowdown]
                          thresholds:
                            deployAfterOnset: 2m
                            severityScores: {minor: 0.3}
                            majorOutageAt: 0.3
                          advice:
                            traffic_surge: [Ask marketing before a campaign.]
                          statusAdvice:
                            traffic_surge: Pages may load slowly for a while.
                          metrics:
                            names: {queue_depth: queue length}
                            unitBySuffix: {_ms: " ms"}
                          waitingResources: [http_client_slots]
                        """);

        assertThat(p.chainNames()).containsExactly(List.of("BASELINE_SHIFT", "BACKLOG_GROWTH"));
        assertThat(p.namedBy(SignalKind.SATURATION, e -> false))
                .isEqualTo(CauseKind.RESOURCE_SATURATION);
        // A list given replaces the default list: a refresh storm no longer names itself.
        assertThat(p.namedBy(SignalKind.REFRESH_STORM, e -> false)).isNull();
        assertThat(p.identifiedAtOnce(CauseKind.SERVICE_SLOWDOWN)).isTrue();
        assertThat(p.identifiedAtOnce(CauseKind.BAD_DEPLOY)).isFalse();
        assertThat(p.thresholds().deployAfterOnset()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.thresholds().score(Severity.MINOR)).isEqualTo(0.3);
        assertThat(p.thresholds().score(Severity.MAJOR)).isEqualTo(0.8);
        assertThat(p.thresholds().majorOutageAt()).isEqualTo(0.3);
        assertThat(p.thresholds().partialOutageAt()).isEqualTo(0.05);
        // A map given replaces the entries it names only.
        assertThat(p.advice().get(CauseKind.TRAFFIC_SURGE))
                .containsExactly("Ask marketing before a campaign.");
        assertThat(p.advice().get(CauseKind.BAD_DEPLOY)).hasSize(1);
        assertThat(p.statusAdvice()).containsKeys(CauseKind.TRAFFIC_SURGE, CauseKind.MISSING_TOKEN);
        assertThat(p.metrics().name("queue_depth")).isEqualTo("queue length");
        assertThat(p.metrics().name("cpu_utilization")).isEqualTo("CPU utilization");
        assertThat(p.metrics().unit("latency_ms")).isEqualTo(" ms");
        assertThat(p.metrics().unit("cpu_utilization")).isEmpty();
        assertThat(p.waits("http_client_slots")).isTrue();
        assertThat(p.waits("connection_pool_utilization")).isFalse();
    }

    @Test
    void theSeedsJobFileGivesTheDefaults() {
        PatternsConfig p = JobConfigLoader.load(Path.of("jobs/watermelon.yaml")).patterns();

        assertThat(p).isEqualTo(PatternsConfig.defaults());
    }

    @Test
    void survivesJavaSerializationAsOperatorsShipIt() throws Exception {
        PatternsConfig p =
                patterns(
                        """
                        patterns:
                          chains: [[SATURATION, BACKLOG_GROWTH]]
                          metrics: {names: {queue_depth: queue length}}
                        """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(p);
        }
    }

    @Test
    void badPatternsNameTheFieldAndTheFixOnOneLineEach() {
        assertThatThrownBy(
                        () ->
                                patterns(
                                        """
patterns:
  chains: [[SATURATION]]
  selfNaming:
    - {signal: SATURATION, authEvent: MISSING_TOKEN, cause: MISSING_TOKEN}
    - {signal: REFRESH_STORM}
  thresholds:
    improvedAt: 0.5
    worseAt: 0
    majorOutageAt: 0.04
    severityScores: {MAJOR: 2}
  advice: {BAD_DEPLOY: [" "]}
  metrics: {nameRules: [{find: "", replace: x}]}
  waitingResources: [" "]
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        FILE + ": patterns.chains[0]: expected two or more signal kinds")
                .hasMessageContaining(
                        FILE + ": patterns.selfNaming[0].authEvent: only auth-failure signals")
                .hasMessageContaining(FILE + ": patterns.selfNaming[1]: give the signal kind")
                .hasMessageContaining(FILE + ": patterns.thresholds.improvedAt: expected a fall")
                .hasMessageContaining(FILE + ": patterns.thresholds.worseAt: expected a rise")
                .hasMessageContaining(
                        FILE + ": patterns.thresholds.partialOutageAt: expected a share above 0")
                .hasMessageContaining(FILE + ": patterns.thresholds.severityScores.major:")
                .hasMessageContaining(FILE + ": patterns.advice.bad_deploy: an empty sentence")
                .hasMessageContaining(FILE + ": patterns.metrics.nameRules[0]: give the text")
                .hasMessageContaining(FILE + ": patterns.waitingResources: an empty entry")
                .satisfies(
                        e -> assertThat(e.getMessage().lines()).allMatch(l -> l.startsWith(FILE)));
    }

    @Test
    void anUnknownKindIsRefusedWithTheKindsThatExist() {
        assertThatThrownBy(() -> patterns("patterns:\n  chains: [[REFRESH_STROM, SATURATION]]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ": patterns.chains[0][0]: expected one of:")
                .hasMessageContaining("refresh_storm");
        assertThatThrownBy(() -> patterns("patterns:\n  chain: [[SATURATION, BACKLOG_GROWTH]]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("chain");
    }
}
