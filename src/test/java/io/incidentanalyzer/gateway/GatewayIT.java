package io.incidentanalyzer.gateway;

import static io.incidentanalyzer.testing.RemoteWriteBodies.sample;
import static io.incidentanalyzer.testing.RemoteWriteBodies.series;
import static io.incidentanalyzer.testing.RemoteWriteBodies.writeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.InputFormat;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.TraceExamples;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xerial.snappy.Snappy;

/**
 * The ingest gateway on a real broker: each endpoint's body, built with the producers' own wire
 * classes, lands on the job's topic in a form the job's decoder reads; bad, oversize and
 * unauthenticated requests get a 4xx with a reason and write nothing.
 */
class GatewayIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final long T0 = Instant.parse("2024-02-16T08:33:00Z").toEpochMilli();
    private static final String CDEVENT =
            """
            {"context": {"specversion": "0.4.1", "id": "271069a8", "source": "/ci/deploy",
             "type": "dev.cdevents.service.deployed.0.2.0", "timestamp": "2024-02-16T08:45:00Z"},
             "subject": {"id": "service/web-app", "source": "/ci/deploy", "type": "service",
             "content": {"environment": {"id": "production"},
             "artifactId": "pkg:oci/web-app@sha256%3A0b31b1c02ff458ad"}}}
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private TopicWriter writer;
    private GatewayServer server;
    private JobConfig config;
    private String base;

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (writer != null) writer.close();
    }

    private void start(TestInfo test, String token, int maxBody) throws Exception {
        start(test, token, maxBody, "prometheus-kafka-adapter");
    }

    private void start(TestInfo test, String token, int maxBody, String metricsFormat)
            throws Exception {
        String env = "gw-" + test.getTestMethod().orElseThrow().getName().toLowerCase();
        config =
                JobConfigLoader.parse(
                        """
                        environment: %1$s
                        topics:
                          metrics: {name: %1$s.metrics, format: %2$s}
                          auth: {name: %1$s.auth}
                          logs: {name: %1$s.logs, format: otlp-proto}
                          changes: {name: %1$s.changes, format: cdevents}
                          incidents: %1$s.incidents
                          deadLetter: %1$s.dead-letter
                        services:
                          database: {}
                          web-app: {dependsOn: [database]}
                        """
                                .formatted(env, metricsFormat),
                        "jobs/gateway-it.yaml");
        KAFKA.kafka().createTopics(2, config.topics().names().toArray(String[]::new));
        writer =
                new TopicWriter(
                        KAFKA.bootstrapServers(),
                        Map.of(),
                        config.limits().maxRecordBytes(),
                        1 << 20,
                        30_000);
        server = new GatewayServer(config, writer, token, maxBody, 1 << 20);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    }

    @Test
    void remoteWriteSamplesBecomeAdapterRecordsTheJobDecodes(TestInfo test) throws Exception {
        start(test, null, 1 << 20);
        byte[] body =
                Snappy.compress(
                        writeRequest(
                                        series(
                                                Map.of(
                                                        "__name__", "cpu_utilization",
                                                        "job", "database",
                                                        "instance", "db-1:9100"),
                                                sample(0.975, T0),
                                                sample(0.5, T0 + 15_250)),
                                        series(
                                                Map.of("__name__", "up", "job", "web-app"),
                                                sample(1, T0)))
                                .toByteArray());
        HttpResponse<String> r =
                post(
                        GatewayServer.REMOTE_WRITE,
                        body,
                        "Content-Type",
                        "application/x-protobuf",
                        "Content-Encoding",
                        "snappy",
                        "X-Prometheus-Remote-Write-Version",
                        "0.1.0");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);

        var decoder =
                RecordDecoders.forTopic(
                        config.topics().metrics(), StreamKind.METRICS, config.limits());
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            List<MetricSample> samples =
                    kafka.readAllBytes(config.topics().metrics().name()).stream()
                            .map(v -> RecordDecoders.decode(decoder, "m", 0, 0, v))
                            .peek(d -> assertThat(d.isRejected()).as("%s", d.rejected()).isFalse())
                            .map(Decoded::metric)
                            .sorted(
                                    java.util.Comparator.comparing(MetricSample::metric)
                                            .thenComparing(MetricSample::ts))
                            .toList();
            assertThat(samples)
                    .extracting(MetricSample::service, MetricSample::metric, MetricSample::ts)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("database", "cpu_utilization", T0),
                            org.assertj.core.groups.Tuple.tuple(
                                    "database", "cpu_utilization", T0 + 15_250),
                            org.assertj.core.groups.Tuple.tuple("web-app", "up", T0));
            assertThat(samples.get(0).value()).isEqualTo(0.975);
        }
        assertThat(metrics()).contains("gateway_records_written_total{route=\"/api/v1/write\"");
    }

    @Test
    void onANativeJsonTopicRemoteWriteSamplesAreMappedAndNaNIsSkippedAndCounted(TestInfo test)
            throws Exception {
        start(test, null, 1 << 20, "native-json");
        byte[] body =
                Snappy.compress(
                        writeRequest(
                                        series(
                                                Map.of(
                                                        "__name__",
                                                        "cpu_utilization",
                                                        "job",
                                                        "database"),
                                                sample(0.975, T0),
                                                sample(Double.NaN, T0 + 15_000)))
                                .toByteArray());
        HttpResponse<String> r =
                post(GatewayServer.REMOTE_WRITE, body, "Content-Encoding", "snappy");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        var decoder =
                RecordDecoders.forTopic(
                        config.topics().metrics(), StreamKind.METRICS, config.limits());
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            List<byte[]> records = kafka.readAllBytes(config.topics().metrics().name());
            assertThat(records).hasSize(1);
            Decoded d = RecordDecoders.decode(decoder, "m", 0, 0, records.get(0));
            assertThat(d.isRejected()).as("%s", d.rejected()).isFalse();
            assertThat(d.metric())
                    .isEqualTo(
                            new MetricSample(
                                    T0,
                                    "database",
                                    "cpu_utilization",
                                    0.975,
                                    Map.of("job", "database")));
        }
        assertThat(metrics()).contains("gateway_samples_skipped_total{reason=\"BAD_VALUE\",} 1.0");
    }

    @Test
    void otlpLogsAreOneRecordOfTheRequestAndTheWrongEncodingIsRefused(TestInfo test)
            throws Exception {
        start(test, null, 1 << 20);
        ExportLogsServiceRequest req =
                ExportLogsServiceRequest.newBuilder()
                        .addResourceLogs(
                                ResourceLogs.newBuilder()
                                        .setResource(
                                                Resource.newBuilder()
                                                        .addAttributes(
                                                                KeyValue.newBuilder()
                                                                        .setKey("service.name")
                                                                        .setValue(
                                                                                AnyValue
                                                                                        .newBuilder()
                                                                                        .setStringValue(
                                                                                                "web-app"))))
                                        .addScopeLogs(
                                                ScopeLogs.newBuilder()
                                                        .addLogRecords(
                                                                LogRecord.newBuilder()
                                                                        .setTimeUnixNano(
                                                                                T0 * 1_000_000L)
                                                                        .setSeverityNumberValue(17)
                                                                        .setBody(
                                                                                AnyValue
                                                                                        .newBuilder()
                                                                                        .setStringValue(
                                                                                                "connection"
                                                                                                    + " refused")))))
                        .build();
        HttpResponse<String> ok =
                post("/v1/logs", req.toByteArray(), "Content-Type", "application/x-protobuf");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> json =
                post(
                        "/v1/logs",
                        "{\"resourceLogs\":[]}".getBytes(StandardCharsets.UTF_8),
                        "Content-Type",
                        "application/json");
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json.body()).contains("reads otlp-proto");
        HttpResponse<String> traces =
                post("/v1/traces", req.toByteArray(), "Content-Type", "application/x-protobuf");
        assertThat(traces.statusCode()).isEqualTo(404);
        assertThat(traces.body()).contains("no traces topic");
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            List<byte[]> logs = kafka.readAllBytes(config.topics().logs().name());
            assertThat(logs).hasSize(1);
            assertThat(ExportLogsServiceRequest.parseFrom(logs.get(0))).isEqualTo(req);
        }
    }

    @Test
    void otlpTracesGoToTheTracesTopicWhenTheJobHasOneAndBadOnesGetA400(TestInfo test)
            throws Exception {
        start(test, null, 1 << 20);
        server.close();
        config =
                config.withTopics(
                        config.topics()
                                .withTraces(
                                        new InputTopic(
                                                config.environment() + ".traces",
                                                InputFormat.OTLP_JSON)));
        KAFKA.kafka().createTopics(2, config.topics().traces().name());
        server = new GatewayServer(config, writer, null, 1 << 20, 1 << 20);
        base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
        String body = TraceExamples.checkoutJson(TraceExamples.TRACE_ID, T0 * 1_000_000L);

        HttpResponse<String> ok =
                post(
                        "/v1/traces",
                        body.getBytes(StandardCharsets.UTF_8),
                        "Content-Type",
                        "application/json");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        HttpResponse<String> bad =
                post(
                        "/v1/traces",
                        body.replace(TraceExamples.TRACE_ID, "0".repeat(32))
                                .getBytes(StandardCharsets.UTF_8),
                        "Content-Type",
                        "application/json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("traceId");
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            List<byte[]> traces = kafka.readAllBytes(config.topics().traces().name());
            assertThat(traces).hasSize(1);
            assertThat(new String(traces.get(0), StandardCharsets.UTF_8)).isEqualTo(body);
        }
    }

    @Test
    void aCdEventIsADeployOnTheChangesTopic(TestInfo test) throws Exception {
        start(test, null, 1 << 20);
        HttpResponse<String> r =
                post(
                        "/cdevents",
                        CDEVENT.getBytes(StandardCharsets.UTF_8),
                        "Content-Type",
                        "application/json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        var decoder =
                RecordDecoders.forTopic(
                        config.topics().changes(), StreamKind.CHANGES, config.limits());
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            List<byte[]> changes = kafka.readAllBytes(config.topics().changes().name());
            assertThat(changes).hasSize(1);
            Decoded d = RecordDecoders.decode(decoder, "c", 0, 0, changes.get(0));
            assertThat(d.change().service()).isEqualTo("web-app");
            assertThat(d.change().kind()).isEqualTo(ChangeKind.DEPLOY);
        }
    }

    @Test
    void badAndOversizeBodiesGetA4xxWithAReasonAndWriteNothing(TestInfo test) throws Exception {
        start(test, null, 4096);
        byte[] garbage = "not what you think".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> rw =
                post(
                        GatewayServer.REMOTE_WRITE,
                        garbage,
                        "Content-Type",
                        "application/x-protobuf",
                        "Content-Encoding",
                        "snappy");
        assertThat(rw.statusCode()).isEqualTo(400);
        assertThat(rw.body()).contains("snappy");
        HttpResponse<String> notProto =
                post(
                        GatewayServer.REMOTE_WRITE,
                        Snappy.compress(new byte[] {(byte) 0xff, 0x01, 0x02}),
                        "Content-Encoding",
                        "snappy");
        assertThat(notProto.statusCode()).isEqualTo(400);
        assertThat(notProto.body()).contains("WriteRequest");
        HttpResponse<String> otlp =
                post("/v1/logs", garbage, "Content-Type", "application/x-protobuf");
        assertThat(otlp.statusCode()).isEqualTo(400);
        assertThat(otlp.body()).startsWith("MALFORMED");
        HttpResponse<String> cd = post("/cdevents", garbage, "Content-Type", "application/json");
        assertThat(cd.statusCode()).isEqualTo(400);
        assertThat(cd.body()).startsWith("NOT_JSON");

        byte[] big = new byte[5000];
        assertThat(post("/cdevents", big).statusCode()).isEqualTo(413);
        HttpResponse<String> chunked =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/cdevents"))
                                .POST(
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new ByteArrayInputStream(big)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("larger than the limit of 4096 bytes");

        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            assertThat(kafka.readAllBytes(config.topics().metrics().name())).isEmpty();
            assertThat(kafka.readAllBytes(config.topics().logs().name())).isEmpty();
            assertThat(kafka.readAllBytes(config.topics().changes().name())).isEmpty();
        }
    }

    @Test
    void aTokenIsNeededWhereOneIsSetAndOffLoopback(TestInfo test) throws Exception {
        start(test, "s3cret", 1 << 20);
        byte[] body = CDEVENT.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> none = post("/cdevents", body);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("Bearer");
        assertThat(post("/cdevents", body, "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
        assertThat(post("/cdevents", body, "Authorization", "Bearer s3cret").statusCode())
                .isEqualTo(202);
        HttpResponse<String> page =
                post(
                        "/cdevents",
                        body,
                        "Authorization",
                        "Bearer s3cret",
                        "Origin",
                        "http://evil.example");
        assertThat(page.statusCode()).isEqualTo(403);

        GatewayServer open = new GatewayServer(config, writer, null, 1024, 1024);
        assertThatThrownBy(() -> open.start("0.0.0.0", 0))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a loopback address")
                .hasMessageContaining("token");
    }

    private HttpResponse<String> post(String path, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String metrics() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
