package io.incidentanalyzer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.model.Severity;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobConfigLoaderTest {
    private static final String FILE = "jobs/test.yaml";

    /** The smallest valid job file; tests add or break one thing at a time. */
    private static final String MINIMAL =
            """
            environment: prod
            topics:
              metrics: {name: m}
              auth: {name: a}
              logs: {name: l}
              changes: {name: c}
              incidents: i
              deadLetter: d
            """;

    private static JobConfig parse(String yaml) {
        return JobConfigLoader.parse(yaml, FILE);
    }

    @Test
    void inputTopicsTakeAProducerFormatAndItsOptions() {
        JobConfig c =
                parse(
                        MINIMAL.replace(
                                        "metrics: {name: m}",
                                        "metrics: {name: m, format: telegraf-json, serviceFrom:"
                                                + " [app, job], timestampUnits: 1ms}")
                                .replace(
                                        "auth: {name: a}",
                                        "auth: {name: a, format: keycloak-log, service: sso}"));

        assertThat(c.topics().metrics().format()).isEqualTo(InputFormat.TELEGRAF_JSON);
        assertThat(c.topics().metrics().serviceFrom()).containsExactly("app", "job");
        assertThat(c.topics().metrics().timestampUnits()).isEqualTo("1ms");
        assertThat(c.topics().auth().service()).isEqualTo("sso");
    }

    @Test
    void anOptionalTracesTopicReadsOnlyTheOtlpFormats() {
        assertThat(parse(MINIMAL).topics().traces()).isNull();
        JobConfig c =
                parse(
                        MINIMAL.replace(
                                "incidents: i",
                                "incidents: i\n  traces: {name: t, format: otlp-json, serviceFrom:"
                                        + " [k8s.deployment.name, service.name]}"));
        assertThat(c.topics().traces().format()).isEqualTo(InputFormat.OTLP_JSON);
        assertThat(c.topics().traces().serviceFrom())
                .containsExactly("k8s.deployment.name", "service.name");
        assertThat(c.topics().names()).endsWith("t");
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL.replace(
                                                "incidents: i",
                                                "incidents: i\n  traces: {name: t}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.traces.format")
                .hasMessageContaining("otlp-proto, otlp-json");
    }

    @Test
    void refusesAFormatWithoutEventsOfTheTopicsStreamAndUnitsItDoesNotRead() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL.replace(
                                                "auth: {name: a}",
                                                "auth: {name: a, format: cdevents}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.auth.format")
                .hasMessageContaining("keycloak-json");
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL.replace(
                                                "metrics: {name: m}",
                                                "metrics: {name: m, format: otlp-json,"
                                                        + " timestampUnits: 1s}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.metrics.timestampUnits");
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL.replace(
                                                "metrics: {name: m}",
                                                "metrics: {name: m, format: telegraf-json,"
                                                        + " timestampUnits: 10ms}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("1ns, 1us, 1ms or 1s");
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL.replace(
                                                "changes: {name: c}",
                                                "changes: {name: c, format: cdevents, serviceFrom:"
                                                        + " [x]}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.changes.serviceFrom");
    }

    @Test
    void alertsTopicIsOffUnlessNamedAndMustDifferFromTheIncidentsTopic() {
        assertThat(parse(MINIMAL).topics().alerts()).isNull();
        assertThat(parse(MINIMAL).topics().names()).doesNotContainNull();

        JobConfig c = parse(MINIMAL.replace("incidents: i", "incidents: i\n  alerts: al"));
        assertThat(c.topics().alerts()).isEqualTo("al");
        assertThat(c.topics().names()).endsWith("al");

        assertThatThrownBy(
                        () -> parse(MINIMAL.replace("incidents: i", "incidents: i\n  alerts: i")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.alerts");
    }

    @Test
    void minimalFileGetsDefaults() {
        JobConfig c = parse(MINIMAL);

        assertThat(c.timeZone()).isEqualTo("UTC");
        assertThat(c.clock()).isEqualTo(ClockStyle.TWENTY_FOUR_HOUR);
        assertThat(c.kafka().groupId()).isEqualTo("incident-analyzer-prod");
        assertThat(c.kafka().startingOffsets()).isEqualTo(StartingOffsets.COMMITTED);
        assertThat(c.kafka().delivery()).isEqualTo(DeliveryMode.EXACTLY_ONCE);
        assertThat(c.kafka().checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.watermarks().maxOutOfOrderness()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.watermarks().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.limits().maxRecordBytes()).isEqualTo(65536);
        assertThat(c.limits().maxFuture()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.topics().metrics().format()).isEqualTo(InputFormat.NATIVE_JSON);
        assertThat(c.services()).isEmpty();
        assertThat(c.detectors().saturation()).isEmpty();
        assertThat(c.detectors().refreshStorm()).isEqualTo(RefreshStormSettings.defaults());
        assertThat(c.detectors().refreshStorm().tokenLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.detectors().authFailures()).isEqualTo(AuthFailureSettings.defaults());
        assertThat(c.detectors().authFailures().minCount()).isEqualTo(10);
        assertThat(c.detectors().dependencyDrift().attributes()).isEmpty();
        assertThat(c.detectors().dependencyDrift().sustain()).isZero();
        assertThat(c.detectors().dependencyDrift().noDataAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.detectors().errorPatterns().levels()).contains("WARN", "ERROR");
        assertThat(c.detectors().errorPatterns().bucketsPerWindow()).isEqualTo(6);
        assertThat(c.detectors().errorPatterns().minCount()).isEqualTo(3);
    }

    @Test
    void authDetectorSettingsOverrideTheirDefaultsOneByOne() {
        JobConfig c =
                parse(
                        MINIMAL
                                + """
detectors:
  refreshStorm: {tokenLifetime: 1h, slack: 3, heavyHitters: 128, severity: major}
  authFailures: {minCount: 20, sustain: 30s}
""");

        RefreshStormSettings storm = c.detectors().refreshStorm();
        assertThat(storm.tokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(storm.slack()).isEqualTo(3.0);
        assertThat(storm.heavyHitters()).isEqualTo(128);
        assertThat(storm.severity()).isEqualTo(Severity.MAJOR);
        assertThat(storm.bucket()).isEqualTo(RefreshStormSettings.DEFAULT_BUCKET);
        AuthFailureSettings auth = c.detectors().authFailures();
        assertThat(auth.minCount()).isEqualTo(20);
        assertThat(auth.sustain()).isEqualTo(Duration.ofSeconds(30));
        assertThat(auth.clearBelow()).isEqualTo(AuthFailureSettings.DEFAULT_CLEAR_BELOW);
    }

    @Test
    void authDetectorSettingsOutOfRangeAreAllNamedWithTheFix() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
detectors:
  refreshStorm: {bucket: 10s, tokenLifetime: 30s, slack: 0.5, minRatio: 2, clearRatio: 2.5, heavyHitters: 0}
  authFailures: {minCount: 5, clearBelow: 5, minDeviation: 0, bucket: 2h}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        FILE
                                + ": detectors.refreshStorm.tokenLifetime: must be at least 4"
                                + " buckets (40s)")
                .hasMessageContaining(FILE + ": detectors.refreshStorm.slack: must be 1 or more")
                .hasMessageContaining(
                        FILE
                                + ": detectors.refreshStorm.clearRatio: must be at least 1 and"
                                + " below minRatio (2.0)")
                .hasMessageContaining(
                        FILE
                                + ": detectors.refreshStorm.heavyHitters: expected a number of"
                                + " counters from 1 to 4096, e.g. 64")
                .hasMessageContaining(
                        FILE
                                + ": detectors.authFailures.clearBelow: must be 0 or more and below"
                                + " minCount (5)")
                .hasMessageContaining(
                        FILE + ": detectors.authFailures.minDeviation: must be more than 0")
                .hasMessageContaining(
                        FILE
                                + ": detectors.authFailures.bucket: expected a bucket between 1s"
                                + " and 1h");
    }

    @Test
    void correlationSettingsHaveDefaultsAndOverrides() {
        CorrelationSettings d = parse(MINIMAL).correlation();
        assertThat(d.quietPeriod()).isEqualTo(Duration.ofMinutes(15));
        assertThat(d.gap()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.separateAfter()).as("the gap: one notion of near in time").isEqualTo(d.gap());
        assertThat(d.minSeverity()).isEqualTo(Severity.MAJOR);
        assertThat(d.minSignals()).isEqualTo(2);
        assertThat(d.identifyAt()).isEqualTo(0.6);
        assertThat(d.identifyAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(d.loadMetric()).isEqualTo("request_rate");

        CorrelationSettings c =
                parse(
                                MINIMAL
                                        + """
correlation: {quietPeriod: 2m, minSeverity: critical, minSignals: 3, loadMetric: rps,
              separateAfter: 10m}
""")
                        .correlation();
        assertThat(c.gap())
                .as("never longer than the quiet period")
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(c.minSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(c.minSignals()).isEqualTo(3);
        assertThat(c.loadMetric()).isEqualTo("rps");
        assertThat(c.separateAfter()).isEqualTo(Duration.ofMinutes(10));
        JobConfig withServices =
                parse(MINIMAL + "services:\n  vendor: {external: true}\n  own: {}\n");
        assertThat(withServices.services().get("vendor").external()).isTrue();
        assertThat(withServices.services().get("own").external()).isFalse();
    }

    @Test
    void correlationSettingsOutOfRangeAreNamedWithTheFix() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
correlation: {quietPeriod: 5m, gap: 10m, minSignals: 0, identifyAt: 1.5, effectWindow: 0s}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ": correlation.gap: longer than quietPeriod (5m)")
                .hasMessageContaining(FILE + ": correlation.minSignals: expected 1 or more")
                .hasMessageContaining(
                        FILE
                                + ": correlation.identifyAt: expected a confidence above 0 and at"
                                + " most 1")
                .hasMessageContaining(FILE + ": correlation.effectWindow: expected more than zero");
    }

    @Test
    void misspeltAuthDetectorKeyListsTheKnownOnes() {
        assertThatThrownBy(
                        () -> parse(MINIMAL + "detectors: {refreshStorm: {tokenLifespan: 15m}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(
                        FILE + ": detectors.refreshStorm.tokenLifespan: unknown key")
                .hasMessageContaining("tokenLifetime");
    }

    @Test
    void settingsOverrideDefaults() {
        JobConfig c =
                parse(
                        MINIMAL
                                + """
timeZone: America/Sao_Paulo
clock: 12h
kafka: {groupId: g, startingOffsets: earliest, delivery: at-least-once, checkpointInterval: 2s}
watermarks: {maxOutOfOrderness: 500ms, idleTimeout: 1m}
limits: {maxFuture: 90s}
services:
  database:
  api: {dependsOn: [database]}
detectors:
  saturation:
    - {name: db, service: database, metric: cpu, ceiling: 95, clearBelow: 80, sustain: 90s, severity: critical}
""");

        assertThat(c.zone().getId()).isEqualTo("America/Sao_Paulo");
        assertThat(c.clock()).isEqualTo(ClockStyle.TWELVE_HOUR);
        assertThat(c.kafka().groupId()).isEqualTo("g");
        assertThat(c.kafka().startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(c.kafka().delivery()).isEqualTo(DeliveryMode.AT_LEAST_ONCE);
        assertThat(c.kafka().checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.watermarks().maxOutOfOrderness()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.limits().maxFuture()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.limits().maxRecordBytes()).isEqualTo(Limits.DEFAULT_MAX_RECORD_BYTES);
        assertThat(c.services().get("database").dependsOn()).isEmpty();
        assertThat(c.services().get("api").dependsOn()).containsExactly("database");
        SaturationRule rule = c.detectors().saturation().get(0);
        assertThat(rule.sustain()).isEqualTo(Duration.ofSeconds(90));
        assertThat(rule.clearAfter()).isEqualTo(SaturationRule.DEFAULT_CLEAR_AFTER);
        assertThat(rule.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void watermelonJobFileModelsTheSeedSystem() {
        JobConfig c = JobConfigLoader.load(Path.of("jobs/watermelon.yaml"));

        assertThat(c.environment()).isEqualTo("watermelon-prod");
        assertThat(c.services().get("token-verification").dependsOn()).containsExactly("database");
        assertThat(c.services().get("api-gpt").dependsOn())
                .containsExactly("token-verification", "openai");
        assertThat(c.services().get("conversation-count").dependsOn())
                .containsExactly("token-verification");
        assertThat(c.components())
                .extracting(ComponentConfig::name)
                .contains("Chatbot engine", "Database", "App Engine", "WhatsApp", "Windows app");
        assertThat(c.detectors().saturation())
                .anySatisfy(
                        r -> {
                            assertThat(r.service()).isEqualTo("database");
                            assertThat(r.metric()).isEqualTo("cpu_utilization");
                        });
        assertThat(c.detectors().refreshStorm().tokenLifetime())
                .as("the simulated Watermelon tokens live 15 minutes")
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(c.services().get("database").hosts()).containsExactly("db-main.internal");
        assertThat(c.detectors().dependencyDrift().attributes())
                .containsEntry("db.host", "database");
        assertThat(c.detectors().errorPatterns().window()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void logDetectorSettingsOverrideDefaults() {
        JobConfig c =
                parse(
                        MINIMAL
                                + """
services:
  database: {hosts: [db-1.internal, db-2.internal]}
  api: {dependsOn: [database]}
detectors:
  dependencyDrift: {attributes: {db.host: database}, sustain: 1m, minPeers: 3}
  errorPatterns: {levels: [error], minCount: 5, bucket: 5s, window: 30s, severity: minor}
""");

        assertThat(c.services().get("database").hosts())
                .containsExactly("db-1.internal", "db-2.internal");
        DependencyDriftSettings drift = c.detectors().dependencyDrift();
        assertThat(drift.sustain()).isEqualTo(Duration.ofMinutes(1));
        assertThat(drift.minPeers()).isEqualTo(3);
        assertThat(drift.maxCallers()).isEqualTo(DependencyDriftSettings.DEFAULT_MAX_CALLERS);
        ErrorPatternSettings errors = c.detectors().errorPatterns();
        assertThat(errors.levels()).containsExactly("ERROR");
        assertThat(errors.minCount()).isEqualTo(5);
        assertThat(errors.bucketsPerWindow()).isEqualTo(6);
        assertThat(errors.severity()).isEqualTo(Severity.MINOR);
        assertThat(errors.similarity()).isEqualTo(ErrorPatternSettings.DEFAULT_SIMILARITY);
        assertThat(errors.forgetAfter()).isEqualTo(ErrorPatternSettings.DEFAULT_FORGET_AFTER);
    }

    @Test
    void templatesAreNotForgottenWithinTheirOwnWindow() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
detectors:
  errorPatterns: {window: 5m, forgetAfter: 2m}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        FILE
                                + ": detectors.errorPatterns.forgetAfter: must be at least the"
                                + " window (5m)");
    }

    @Test
    void logDetectorSettingsAreCheckedWithFieldPathsAndFixes() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
services:
  database: {hosts: ["db main", db-1.internal, DB-1.internal]}
detectors:
  dependencyDrift: {attributes: {db.host: databse}, sustain: 10m, maxCallers: 1}
  errorPatterns: {levels: [], similarity: 1.5, bucket: 10s, window: 25s, minCount: 0, surgeRatio: 0.5, forgetAfter: 0s}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        FILE + ": services.database.hosts[0]: 'db main' is not a host name")
                .hasMessageContaining(
                        FILE + ": services.database.hosts[2]: 'DB-1.internal' is listed twice")
                .hasMessageContaining(
                        FILE
                                + ": detectors.dependencyDrift.attributes.db.host: unknown service"
                                + " 'databse'; defined under services: database")
                .hasMessageContaining(
                        FILE
                                + ": detectors.dependencyDrift.sustain: must be shorter than"
                                + " noDataAfter")
                .hasMessageContaining(
                        FILE + ": detectors.dependencyDrift.maxCallers: expected 2 to")
                .hasMessageContaining(FILE + ": detectors.errorPatterns.levels: empty")
                .hasMessageContaining(
                        FILE + ": detectors.errorPatterns.similarity: expected a share")
                .hasMessageContaining(
                        FILE
                                + ": detectors.errorPatterns.window: must be a whole number of"
                                + " buckets")
                .hasMessageContaining(FILE + ": detectors.errorPatterns.minCount: expected 1 to")
                .hasMessageContaining(
                        FILE + ": detectors.errorPatterns.forgetAfter: expected more than zero")
                .hasMessageContaining(
                        FILE + ": detectors.errorPatterns.surgeRatio: expected a factor");
    }

    @Test
    void unknownKeyNamesFileFieldPathAndTheKnownKeys() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
detectors:
  saturation:
    - {name: db, metric: cpu, ceiling: 95, clearBelow: 80, sustian: 60s}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": detectors.saturation[0]")
                .hasMessageContaining("unknown key 'sustian'")
                .hasMessageContaining("sustain");
    }

    @Test
    void baselineShiftAndBacklogRulesTakeDefaultsForWhatIsLeftOut() {
        JobConfig c =
                parse(
                        MINIMAL
                                + """
detectors:
  baselineShift:
    baseline: {halfLife: 30m, shiftConfirm: 45m, weekend: false}
    rules:
      - {name: latency, metric: latency_p95_ms}
  backlog:
    - {name: queue, metric: queue_depth}
""");
        BaselineShiftSettings shift = c.detectors().baselineShift();
        assertThat(BaselineSettings.from(shift.baseline()).halfLife())
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(BaselineSettings.from(shift.baseline()).shiftConfirm())
                .isEqualTo(Duration.ofMinutes(45));
        assertThat(BaselineSettings.from(shift.baseline()).burstWindow())
                .isEqualTo(
                        io.incidentanalyzer.detect.baseline.BaselineSettings.DEFAULTS
                                .burstWindow());
        assertThat(BaselineSettings.from(shift.baseline()).warmup())
                .isEqualTo(io.incidentanalyzer.detect.baseline.BaselineSettings.DEFAULTS.warmup());
        assertThat(BaselineSettings.from(shift.baseline()).seasonMinPeriods()).isEqualTo(1);
        assertThat(BaselineSettings.from(shift.baseline()).weekend()).isFalse();
        assertThat(io.incidentanalyzer.detect.baseline.BaselineSettings.DEFAULTS.weekend())
                .isTrue();
        BaselineShiftRule latency = shift.rules().get(0);
        assertThat(latency.service()).isEqualTo("*");
        assertThat(latency.direction()).isEqualTo(Direction.UP);
        assertThat(latency.minDeviation()).isEqualTo(BaselineShiftRule.DEFAULT_MIN_DEVIATION);
        assertThat(shift.ruleFor("api", "latency_p95_ms")).isZero();
        assertThat(shift.ruleFor("api", "error_ratio")).isEqualTo(-1);
        BacklogRule queue = c.detectors().backlog().get(0);
        assertThat(queue.intervals()).isEqualTo(4);
        assertThat(queue.interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void badBaselineShiftAndBacklogRulesNameEachFieldAndTheFix() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
detectors:
  baselineShift:
    baseline: {warmup: 0}
    rules:
      - {name: latency, service: nope, metric: latency_p95_ms, minDeviation: 0.5, direction: sideways}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ": detectors.baselineShift.rules[0].direction")
                .hasMessageContaining("up, down, both");
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
detectors:
  baselineShift:
    baseline: {warmup: 0}
    rules:
      - {name: latency, service: nope, metric: latency_p95_ms, minDeviation: 0.5}
  backlog:
    - {metric: queue_depth, intervals: 1}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        FILE + ": detectors.baselineShift.baseline.warmup: expected 1 or more")
                .hasMessageContaining(
                        FILE + ": detectors.baselineShift.rules[0].service: unknown service 'nope'")
                .hasMessageContaining(
                        FILE
                                + ": detectors.baselineShift.rules[0].minDeviation: expected 1 or"
                                + " more")
                .hasMessageContaining(FILE + ": detectors.backlog[0].name: missing")
                .hasMessageContaining(
                        FILE + ": detectors.backlog[0].intervals: expected 2 or more");
    }

    @Test
    void badDurationNamesFieldAndExpectedForm() {
        assertThatThrownBy(() -> parse(MINIMAL + "watermarks: {idleTimeout: sixty}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        FILE
                                + ": watermarks.idleTimeout: expected "
                                + DurationText.EXPECTED
                                + ", got 'sixty'");
    }

    @Test
    void maxFutureMustBeMoreThanZero() {
        assertThatThrownBy(() -> parse(MINIMAL + "limits: {maxFuture: 0s}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": limits.maxFuture: expected more than zero");
    }

    @Test
    void badEnumValueListsTheChoices() {
        assertThatThrownBy(() -> parse(MINIMAL + "kafka: {delivery: twice}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ": kafka.delivery: expected one of:")
                .hasMessageContaining("exactly-once, at-least-once");
    }

    @Test
    void wrongTypeNamesTheField() {
        assertThatThrownBy(() -> parse(MINIMAL + "limits: {maxRecordBytes: lots}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": limits.maxRecordBytes: expected a whole number");
    }

    @Test
    void missingRequiredFieldsAreAllReportedAtOnce() {
        assertThatThrownBy(() -> parse("timeZone: Mars/Olympus\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ": environment: missing")
                .hasMessageContaining(FILE + ": timeZone: 'Mars/Olympus' is not a time zone")
                .hasMessageContaining(FILE + ": topics: missing");
    }

    @Test
    void dependencyOnUndefinedServiceIsNamed() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + "services:\n  api: {dependsOn: [databse]}\n"
                                                + "  database: {}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        FILE
                                + ": services.api.dependsOn[0]: unknown service 'databse'; defined"
                                + " under services: api, database");
    }

    @Test
    void dependencyCycleIsRefused() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + "services:\n  a: {dependsOn: [b]}\n"
                                                + "  b: {dependsOn: [a]}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("services: dependencies form a cycle: a -> b -> a");
    }

    @Test
    void clearLevelMustBeBelowCeiling() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        MINIMAL
                                                + """
detectors:
  saturation:
    - {name: db, metric: cpu, ceiling: 90, clearBelow: 95}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        FILE + ": detectors.saturation[0].clearBelow: must be below ceiling");
    }

    @Test
    void wrongShapeNamesFieldAndLine() {
        assertThatThrownBy(() -> parse(MINIMAL + "watermarks: [1, 2]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(FILE + ": watermarks: expected a mapping of keys to values (line 9)");
    }

    @Test
    void yamlSyntaxErrorGivesLineAndColumn() {
        assertThatThrownBy(() -> parse("environment: \"unclosed\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(FILE + ": line ")
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void missingFileSaysSo() {
        assertThatThrownBy(() -> JobConfigLoader.load(Path.of("jobs/nope.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "jobs/nope.yaml: no such file; pass the path of a job file, e.g."
                                + " jobs/watermelon.yaml");
    }
}
