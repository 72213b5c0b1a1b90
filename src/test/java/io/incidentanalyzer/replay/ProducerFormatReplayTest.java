package io.incidentanalyzer.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.format.KubernetesEventsDecoderTest;
import io.incidentanalyzer.ingest.format.OtlpExamples;
import io.incidentanalyzer.ingest.format.TraceExamples;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.Recordings;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} with each producer format on the topics of a job file: a small file of the format
 * decodes into events the detectors act on, and a file of that format's malformed records lands
 * every record in the dead letters with a reason.
 */
class ProducerFormatReplayTest {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    static final long T0 = Instant.parse("2024-02-16T08:00:00Z").toEpochMilli();

    @TempDir Path dir;

    static JobConfig job(String metrics, String auth, String logs, String changes) {
        return JobConfigLoader.parse(
                """
environment: formats
topics:
  metrics: %s
  auth: %s
  logs: %s
  changes: %s
  incidents: t.incidents
  deadLetter: t.dead-letter
watermarks: {maxOutOfOrderness: 30s, idleTimeout: 10m}
services:
  database: {}
  web-app: {dependsOn: [database]}
detectors:
  saturation:
    - {name: db-cpu, service: database, metric: cpu_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m}
"""
                        .formatted(metrics, auth, logs, changes),
                "formats.yaml");
    }

    static final String NATIVE = "{name: t.x, format: native-json}";

    /** Ten minutes of database CPU at 97 % every 10 s, one record per line. */
    static List<String> saturated(LongFunction<String> sampleAt) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add(sampleAt.apply(T0 + i * 10_000L));
        }
        return lines;
    }

    /** Replays good and bad files of one stream and checks both halves of the contract. */
    private ReplayResult replay(
            JobConfig config, String stream, List<String> good, List<String> bad) {
        Recordings.write(dir, stream + "/good.jsonl", good);
        Recordings.write(dir, stream + "/bad.jsonl", bad);
        ReplayResult r = Replay.run(config, dir, 2, null);
        assertThat(r.deadLetters())
                .as("every malformed record is a dead letter with a reason, no good one is")
                .hasSize(bad.size())
                .allSatisfy(
                        d -> {
                            assertThat(d.sourceTopic()).isEqualTo(stream + "/bad.jsonl");
                            assertThat(d.reason()).isNotNull();
                            assertThat(d.detail()).isNotBlank();
                        });
        assertThat(r.deadLetters().stream().map(DeadLetter::offset).distinct()).hasSize(bad.size());
        return r;
    }

    private static void assertDatabaseSaturated(ReplayResult r) {
        assertThat(r.signals())
                .extracting(Signal::service)
                .as("the decoded samples reach the saturation detector")
                .contains("database");
    }

    @Test
    void prometheusKafkaAdapter() {
        JobConfig config =
                job("{name: t.metrics, format: prometheus-kafka-adapter}", NATIVE, NATIVE, NATIVE);
        List<String> good =
                saturated(
                        ts ->
                                "{\"timestamp\":\""
                                        + Instant.ofEpochMilli(ts)
                                        + "\",\"value\":\"97\",\"name\":\"cpu_utilization\","
                                        + "\"labels\":{\"__name__\":\"cpu_utilization\","
                                        + "\"job\":\"database\",\"instance\":\"db-1:9100\"}}");
        List<String> bad =
                List.of(
                        "{\"timestamp\":\"2024-02-16T08:01:00Z\",\"value\":\"NaN\",\"name\":\"up\","
                                + "\"labels\":{\"job\":\"database\"}}",
                        "{\"timestamp\":\"2024-02-16T08:01:00Z\",\"value\":\"+Inf\","
                                + "\"name\":\"up\",\"labels\":{\"job\":\"database\"}}",
                        "{\"timestamp\":\"2024-02-16T08:01:00\",\"value\":\"1\",\"name\":\"up\","
                                + "\"labels\":{\"job\":\"database\"}}",
                        "{\"timestamp\":\"2024-02-16T08:01:00Z\",\"value\":\"1\",\"name\":\"up\","
                                + "\"labels\":{\"instance\":\"x\"}}",
                        "{\"timestamp\":\"2024-02-16T08:01:00Z\",\"value\":1,\"labels\":{}}",
                        "up{job=\"database\"} 1",
                        "{\"timestamp\":\"2024-02-16T08:01:00Z\",\"value\":\"1\",\"name\":\"up\","
                                + "\"labels\":[]}");
        assertDatabaseSaturated(replay(config, "metrics", good, bad));
    }

    @Test
    void otlpJsonMetricsWithGaugesAndRunningTotals() {
        JobConfig config = job("{name: t.metrics, format: otlp-json}", NATIVE, NATIVE, NATIVE);
        List<String> good =
                saturated(ts -> OtlpExamples.metricsJson("database", ts * 1_000_000, 97.0));
        List<String> bad =
                List.of(
                        OtlpExamples.metricsJson("database", T0 * 1_000_000, 97.0)
                                .replace("\"asDouble\":97.0", "\"asDouble\":\"NaN\"")
                                .replace("\"asInt\"", "\"asText\""),
                        "{\"resourceMetrics\":[{\"resource\":{}}]}",
                        "{\"resourceMetrics\":5}",
                        "{\"resourceMetrics\":[",
                        "{}");
        ReplayResult r = replay(config, "metrics", good, bad);
        assertDatabaseSaturated(r);
        assertThat(r.eventsRead()).isEqualTo(2L * good.size() + bad.size());
    }

    @Test
    void otlpProtoLogsOneBase64RecordPerLine() {
        JobConfig config = job(NATIVE, NATIVE, "{name: t.logs, format: otlp-proto}", NATIVE);
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            good.add(
                    base64(
                            OtlpExamples.logs(
                                            "web-app",
                                            (T0 + i * 1000L) * 1_000_000,
                                            "connection refused")
                                    .toByteArray()));
        }
        List<String> bad =
                List.of(
                        "not base64 at all!",
                        base64("garbage that is not protobuf".getBytes(StandardCharsets.UTF_8)),
                        base64(OtlpExamples.logs("web-app", T0 * 1_000_000, "").toByteArray()),
                        base64(OtlpExamples.logs("web-app", 0, "no time").toByteArray()));
        ReplayResult r = replay(config, "logs", good, bad);
        assertThat(r.eventsRead()).isEqualTo(good.size() + bad.size());
    }

    @Test
    void telegrafJsonInMilliseconds() {
        JobConfig config =
                job(
                        "{name: t.metrics, format: telegraf-json, serviceFrom: [app],"
                                + " timestampUnits: 1ms}",
                        NATIVE,
                        NATIVE,
                        NATIVE);
        List<String> good =
                saturated(
                        ts ->
                                "{\"metrics\":[{\"fields\":{\"utilization\":97},\"name\":\"cpu\","
                                        + "\"tags\":{\"app\":\"database\",\"host\":\"db-1\"},"
                                        + "\"timestamp\":"
                                        + ts
                                        + "}]}");
        List<String> bad =
                List.of(
                        "{\"fields\":{\"utilization\":97},\"name\":\"cpu\",\"tags\":{\"app\":"
                                + "\"database\"},\"timestamp\":1708072380}",
                        "{\"fields\":{\"utilization\":97},\"name\":\"cpu\",\"tags\":{},"
                                + "\"timestamp\":1708072380000}",
                        "{\"fields\":{\"state\":\"up\"},\"name\":\"cpu\",\"tags\":{\"app\":"
                                + "\"database\"},\"timestamp\":1708072380000}",
                        "{\"metrics\":{}}",
                        "cpu,app=database utilization=97 1708072380000000000");
        // cpu + "_" + utilization is the metric the saturation rule watches.
        ReplayResult r = replay(config, "metrics", good, bad);
        assertDatabaseSaturated(r);
        assertThat(r.eventsRead()).isEqualTo(good.size() + bad.size());
    }

    @Test
    void keycloakJsonOnTheAuthStream() {
        JobConfig config = job(NATIVE, "{name: t.auth, format: keycloak-json}", NATIVE, NATIVE);
        List<String> good =
                saturated(
                        ts ->
                                "{\"time\":"
                                        + ts
                                        + ",\"type\":\"REFRESH_TOKEN\",\"realmId\":\"prod\","
                                        + "\"clientId\":\"mobile-app\",\"sessionId\":\"s-1\","
                                        + "\"ipAddress\":\"10.0.0.7\",\"error\":null,\"details\":{}}");
        List<String> bad =
                List.of(
                        "{\"time\":1708070000000,\"type\":\"UPDATE_PROFILE\"}",
                        "{\"time\":1708070000,\"type\":\"REFRESH_TOKEN\"}",
                        "{\"time\":\"yesterday\",\"type\":\"LOGIN\"}",
                        "{\"type\":\"LOGOUT\"}",
                        "{\"time\":1708070000000,\"type\":\"LOGOUT\",\"details\":[1]}",
                        "{\"time\":1708070000000,\"operationType\":\"CREATE\"}");
        ReplayResult r = replay(config, "auth", good, bad);
        assertThat(r.eventsRead()).isEqualTo(good.size() + bad.size());
    }

    @Test
    void keycloakLogLinesOnTheAuthStream() {
        JobConfig config = job(NATIVE, "{name: t.auth, format: keycloak-log}", NATIVE, NATIVE);
        List<String> good =
                saturated(
                        ts ->
                                Instant.ofEpochMilli(ts)
                                                .toString()
                                                .replace('T', ' ')
                                                .replace("Z", ",000")
                                        + " DEBUG [org.keycloak.events] (executor-thread-1)"
                                        + " type=\"REFRESH_TOKEN\", realmId=\"prod\","
                                        + " clientId=\"mobile-app\", sessionId=\"s-1\"");
        List<String> bad =
                List.of(
                        "2024-02-16 08:00:30,000 INFO  [io.quarkus] (main) Keycloak started",
                        "2024-02-16 08:00:30,000 DEBUG [org.keycloak.events] (t) type=\"LOGIN",
                        "type=REFRESH_TOKEN, clientId=web",
                        "2024-02-16 08:00:30,000 DEBUG [org.keycloak.events] (t)"
                                + " type=SEND_RESET_PASSWORD",
                        "{\"timestamp\":\"2024-02-16T08:00:30\",\"message\":\"type=LOGOUT\"}");
        ReplayResult r = replay(config, "auth", good, bad);
        assertThat(r.eventsRead()).isEqualTo(good.size() + bad.size());
    }

    @Test
    void cdeventsOnTheChangesStream() {
        JobConfig config = job(NATIVE, NATIVE, NATIVE, "{name: t.changes, format: cdevents}");
        List<String> good = new ArrayList<>();
        for (String predicate : List.of("deployed", "upgraded", "rolledback", "removed")) {
            good.add(
                    "{\"context\":{\"specversion\":\"0.4.1\",\"id\":\"e-"
                            + predicate
                            + "\",\"source\":\"/ci\",\"type\":\"dev.cdevents.service."
                            + predicate
                            + ".0.2.0\",\"timestamp\":\"2024-02-16T08:0"
                            + good.size()
                            + ":00Z\"},\"subject\":{\"id\":\"service/web-app\",\"content\":"
                            + "{\"environment\":{\"id\":\"prod\"},\"artifactId\":"
                            + "\"pkg:oci/web-app@sha256%3A0b31\"}}}");
        }
        List<String> bad =
                List.of(
                        "{\"context\":{\"type\":\"dev.cdevents.pipelinerun.finished.0.2.0\","
                            + "\"timestamp\":\"2024-02-16T08:01:00Z\"},\"subject\":{\"id\":\"p\"}}",
                        "{\"context\":{\"type\":\"dev.cdevents.service.deployed.0.2.0\","
                            + "\"timestamp\":\"2024-02-16T08:01:00\"},\"subject\":{\"id\":\"s\"}}",
                        "{\"context\":{\"type\":\"dev.cdevents.service.deployed.0.2.0\","
                                + "\"timestamp\":\"2024-02-16T08:01:00Z\"}}",
                        "{\"specversion\":\"1.0\",\"type\":\"x\",\"data\":\"no\"}",
                        "[]");
        ReplayResult r = replay(config, "changes", good, bad);
        assertThat(r.eventsRead()).isEqualTo(good.size() + bad.size());
    }

    @Test
    void kubernetesEventsOnTheLogsAndChangesStreams() {
        JobConfig config =
                job(
                        NATIVE,
                        NATIVE,
                        "{name: t.logs, format: kubernetes-events}",
                        "{name: t.changes, format: kubernetes-events}");
        List<String> bad =
                List.of(
                        KubernetesEventsDecoderTest.BACK_OFF.replace("\"reason\":\"BackOff\",", ""),
                        KubernetesEventsDecoderTest.BACK_OFF.replace("08:33:00Z", "08:33:00"),
                        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":"
                                + "\"1708072380000000000\",\"body\":{\"stringValue\":\"x\"}}]}]}]}",
                        "not json");
        Recordings.write(dir, "changes/good.jsonl", List.of(KubernetesEventsDecoderTest.SCALED));
        ReplayResult r =
                replay(
                        config,
                        "logs",
                        List.of(
                                KubernetesEventsDecoderTest.BACK_OFF,
                                KubernetesEventsDecoderTest.OTLP),
                        bad);
        assertThat(r.eventsRead()).isEqualTo(3 + bad.size());
    }

    @Test
    void alertmanagerWebhookOnTheExternalAlertsTopic() {
        JobConfig config =
                JobConfigLoader.parse(
                        """
environment: formats
topics:
  metrics: {name: t.metrics, format: native-json}
  auth: {name: t.auth, format: native-json}
  logs: {name: t.logs, format: native-json}
  changes: {name: t.changes, format: native-json}
  externalAlerts: {name: t.alerts, format: alertmanager-webhook}
  incidents: t.incidents
  deadLetter: t.dead-letter
watermarks: {maxOutOfOrderness: 30s, idleTimeout: 10m}
services:
  checkout: {}
""",
                        "alerts.yaml");
        // One alert a record: a group mixing alerts hours apart trips the replay's check of a
        // record's times against the lines around it (FUTURE_TIMESTAMP), a replay-only artefact.
        String firing =
                "{\"receiver\":\"analyzer\",\"status\":\"firing\",\"alerts\":[{\"status\":"
                    + "\"firing\",\"labels\":{\"alertname\":\"CheckoutErrorRate\","
                    + "\"service\":\"checkout\",\"severity\":\"critical\"},\"annotations\":{},"
                    + "\"startsAt\":\"2024-02-16T08:31:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                    + "\"fingerprint\":\"a1b2c3d4e5f60718\"}],\"groupLabels\":{},"
                    + "\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":"
                    + "\"http://alertmanager:9093\",\"version\":\"4\",\"groupKey\":\"g\","
                    + "\"truncatedAlerts\":0}";
        List<String> good =
                List.of(
                        firing,
                        firing.replace("\"status\":\"firing\"", "\"status\":\"resolved\"")
                                .replace("0001-01-01T00:00:00Z", "2024-02-16T08:40:00Z"));
        List<String> bad =
                List.of(
                        "{\"receiver\":\"analyzer\",\"status\":\"firing\",\"alerts\":[],"
                                + "\"version\":\"4\"}",
                        "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"X\"},"
                                + "\"startsAt\":\"2024-02-16T08:31:00Z\"}],\"version\":\"4\"}",
                        "{\"version\":\"3\",\"alerts\":5}",
                        "not json");
        ReplayResult r = replay(config, "externalAlerts", good, bad);
        assertThat(r.signals())
                .extracting(Signal::service)
                .as("the firing alert enters as a signal of its service")
                .contains("checkout");
    }

    /** A traces job: the frontend's calls to checkout watched for latency, one declared edge. */
    static final String TRACES_JOB =
            """
environment: formats
topics:
  metrics: {name: t.metrics, format: native-json}
  auth: {name: t.auth, format: native-json}
  logs: {name: t.logs, format: native-json}
  changes: {name: t.changes, format: native-json}
  traces: {name: t.traces, format: %s}
  incidents: t.incidents
  deadLetter: t.dead-letter
watermarks: {maxOutOfOrderness: 30s, idleTimeout: 10m}
services:
  frontend: {dependsOn: [checkout, payments]}
  checkout: {}
  payments: {}
  orders-db: {}
detectors:
  saturation:
    - {name: checkout-calls, service: frontend, metric: call.latency.p99, ceiling: 0.2, sustain: 60s, clearBelow: 0.1, clearAfter: 2m}
""";

    /** Ten minutes of the documented checkout trace, one every 2 s, each its own trace. */
    static List<String> checkoutTraces() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add(
                    TraceExamples.checkoutJson(
                            "%032x".formatted(i + 1), (T0 + i * 2000L) * 1_000_000));
        }
        return lines;
    }

    private static void assertCallsLearnedAndWatched(ReplayResult r) {
        assertThat(r.signals())
                .as("the frontend's slow calls to checkout, measured from traces")
                .anySatisfy(
                        s -> {
                            assertThat(s.service()).isEqualTo("frontend");
                            assertThat(s.measured().dependency()).isEqualTo("checkout");
                        });
        assertThat(r.serviceGraph())
                .extracting(e -> e.caller() + " -> " + e.callee() + " " + e.declared())
                .containsExactly("checkout -> orders-db false", "frontend -> checkout true");
    }

    @Test
    void otlpJsonTracesOnTheTracesTopic() {
        JobConfig config = JobConfigLoader.parse(TRACES_JOB.formatted("otlp-json"), "t.yaml");
        List<String> good = checkoutTraces();
        String one = good.get(0);
        List<String> bad =
                List.of(
                        one.replace("%032x".formatted(1), "0".repeat(32)),
                        one.replace("service.name", "svc"),
                        one.replace("\"startTimeUnixNano\"", "\"startTime\"")
                                .replace("\"endTimeUnixNano\"", "\"endTime\""),
                        "{\"resourceSpans\":5}",
                        "{}",
                        "not json");
        ReplayResult r = replay(config, "traces", good, bad);
        assertCallsLearnedAndWatched(r);
        assertThat(r.eventsRead()).isEqualTo(3L * good.size() + bad.size());
    }

    @Test
    void otlpProtoTracesOneBase64RecordPerLine() {
        JobConfig config = JobConfigLoader.parse(TRACES_JOB.formatted("otlp-proto"), "t.yaml");
        List<String> good = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String trace = "%032x".formatted(i + 1);
            long nanos = (T0 + i * 2000L) * 1_000_000;
            // The caller's and the callee's SDK export separately: two records, paired by trace.
            for (var request : TraceExamples.checkoutRequests(trace, nanos)) {
                good.add(base64(request.toByteArray()));
            }
        }
        List<String> bad =
                List.of(
                        "not base64 at all!",
                        base64("garbage that is not protobuf".getBytes(StandardCharsets.UTF_8)),
                        base64(
                                TraceExamples.request(
                                                "frontend",
                                                TraceExamples.span(
                                                        "%032x".formatted(1),
                                                        "eee19b7ec3c1b174",
                                                        null,
                                                        SpanKind.SPAN_KIND_CLIENT,
                                                        T0 * 1_000_000,
                                                        T0 * 1_000_000 - 1,
                                                        false))
                                        .toByteArray()),
                        base64(
                                TraceExamples.request(
                                                "frontend",
                                                TraceExamples.span(
                                                        "%032x".formatted(1),
                                                        "0000000000000000",
                                                        null,
                                                        SpanKind.SPAN_KIND_CLIENT,
                                                        T0 * 1_000_000,
                                                        T0 * 1_000_000 + 1,
                                                        false))
                                        .toByteArray()));
        ReplayResult r = replay(config, "traces", good, bad);
        assertCallsLearnedAndWatched(r);
        assertThat(r.eventsRead()).isEqualTo(3L * good.size() / 2 + bad.size());
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
