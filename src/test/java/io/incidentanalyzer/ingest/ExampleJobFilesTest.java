package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.format.AlertmanagerDecoderTest;
import io.incidentanalyzer.ingest.format.TraceExamples;
import io.incidentanalyzer.model.Decoded;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The example job files of jobs/examples load, and a record as each stack's producer writes it
 * (docs/formats.md's examples) decodes on their topics to an event of one of the job's services.
 */
class ExampleJobFilesTest {
    private static final String ADAPTER_SAMPLE =
            "{\"timestamp\": \"2024-02-16T08:33:00Z\", \"value\": \"0.975\", \"name\":"
                    + " \"process_cpu_utilization\", \"labels\": {\"__name__\":"
                    + " \"process_cpu_utilization\", \"job\": \"database\", \"instance\":"
                    + " \"db-1:9100\"}}";
    private static final String CDEVENT =
            "{\"context\": {\"specversion\": \"0.4.1\", \"id\": \"1\", \"source\": \"/ci\","
                    + " \"type\": \"dev.cdevents.service.deployed.0.2.0\", \"timestamp\":"
                    + " \"2024-02-16T08:45:00Z\"}, \"subject\": {\"id\": \"service/checkout\","
                    + " \"source\": \"/ci\", \"type\": \"service\", \"content\": {\"environment\":"
                    + " {\"id\": \"production\"}, \"artifactId\": \"pkg:oci/checkout@v2\"}}}";

    @Test
    void prometheusJobReadsAdapterSamplesAndCdEvents() {
        JobConfig job = load("prometheus.yaml");
        assertThat(
                        decode(job, job.topics().metrics(), StreamKind.METRICS, ADAPTER_SAMPLE)
                                .metric()
                                .service())
                .isEqualTo("database");
        assertThat(
                        decode(job, job.topics().changes(), StreamKind.CHANGES, CDEVENT)
                                .change()
                                .service())
                .isEqualTo("checkout");
    }

    @Test
    void prometheusJobReadsAlertmanagersWebhookAsSignalsOfItsServices() {
        JobConfig job = load("prometheus.yaml");
        RecordDecoder decoder =
                RecordDecoders.forExternalAlerts(job.topics().externalAlerts(), job.limits());
        List<Decoded> out =
                RecordDecoders.decodeAll(
                        decoder,
                        "a",
                        0,
                        0,
                        AlertmanagerDecoderTest.GROUP.getBytes(StandardCharsets.UTF_8));
        assertThat(out).noneMatch(Decoded::isRejected).hasSize(2);
        assertThat(out)
                .extracting(d -> d.signal().service())
                .containsExactly("checkout", "database")
                .allMatch(job.services()::containsKey);
        assertThat(job.topics().names()).endsWith("shop.alerts");
    }

    @Test
    void anExternalAlertsTopicOfAnotherFormatIsRefusedAtLoad() {
        String yaml =
                """
                environment: x
                topics:
                  metrics: {name: m}
                  auth: {name: a}
                  logs: {name: l}
                  changes: {name: c}
                  externalAlerts: {name: al, format: native-json}
                  incidents: i
                  deadLetter: d
                """;
        assertThatThrownBy(() -> JobConfigLoader.parse(yaml, "x.yaml"))
                .hasMessageContaining("topics.externalAlerts.format")
                .hasMessageContaining("alertmanager-webhook");
    }

    @Test
    void otelJobReadsOtlpProtoTracesOnItsTracesTopic() {
        JobConfig job = load("otel.yaml");
        byte[] record =
                TraceExamples.checkoutRequests(TraceExamples.TRACE_ID, 1708072380000000000L)
                        .get(1)
                        .toByteArray();

        List<Decoded> out =
                RecordDecoders.decodeAll(
                        RecordDecoders.forTraces(job.topics().traces(), job.limits()),
                        job.topics().traces().name(),
                        0,
                        0,
                        record);

        assertThat(out).noneMatch(Decoded::isRejected);
        assertThat(out).extracting(d -> d.span().service()).containsOnly("checkout");
    }

    @Test
    void otelJobReadsOtlpProtoMetrics() {
        JobConfig job = load("otel.yaml");
        ExportMetricsServiceRequest req =
                ExportMetricsServiceRequest.newBuilder()
                        .addResourceMetrics(
                                ResourceMetrics.newBuilder()
                                        .setResource(
                                                Resource.newBuilder()
                                                        .addAttributes(
                                                                KeyValue.newBuilder()
                                                                        .setKey("service.name")
                                                                        .setValue(
                                                                                AnyValue
                                                                                        .newBuilder()
                                                                                        .setStringValue(
                                                                                                "checkout"))))
                                        .addScopeMetrics(
                                                ScopeMetrics.newBuilder()
                                                        .addMetrics(
                                                                Metric.newBuilder()
                                                                        .setName("cpu_utilization")
                                                                        .setGauge(
                                                                                Gauge.newBuilder()
                                                                                        .addDataPoints(
                                                                                                NumberDataPoint
                                                                                                        .newBuilder()
                                                                                                        .setTimeUnixNano(
                                                                                                                1708072380000000000L)
                                                                                                        .setAsDouble(
                                                                                                                97.5))))))
                        .build();
        RecordDecoder decoder =
                RecordDecoders.forTopic(job.topics().metrics(), StreamKind.METRICS, job.limits());
        Decoded d = RecordDecoders.decodeAll(decoder, "m", 0, 0, req.toByteArray()).get(0);
        assertThat(d.isRejected()).as("%s", d.rejected()).isFalse();
        assertThat(job.services()).containsKey(d.metric().service());
    }

    @Test
    void keycloakJobReadsKeycloakEventsAsTheTokenService() {
        JobConfig job = load("keycloak.yaml");
        String event =
                "{\"id\": \"1\", \"time\": 1708072380123, \"type\": \"REFRESH_TOKEN_ERROR\","
                        + " \"realmId\": \"prod\", \"clientId\": \"mobile-app\", \"userId\": \"u\","
                        + " \"ipAddress\": \"10.0.0.7\", \"error\": \"invalid_token\"}";
        Decoded d = decode(job, job.topics().auth(), StreamKind.AUTH, event);
        assertThat(d.auth().service()).isEqualTo("keycloak");
        assertThat(job.services()).containsKey(d.auth().service());
        assertThat(d.auth().clientId()).isEqualTo("mobile-app");
    }

    private static JobConfig load(String name) {
        return JobConfigLoader.load(Path.of("jobs/examples", name));
    }

    private static Decoded decode(JobConfig job, InputTopic topic, StreamKind kind, String json) {
        RecordDecoder decoder = RecordDecoders.forTopic(topic, kind, job.limits());
        Decoded d =
                RecordDecoders.decode(
                        decoder, topic.name(), 0, 0, json.getBytes(StandardCharsets.UTF_8));
        assertThat(d.isRejected()).as("%s", d.rejected()).isFalse();
        return d;
    }
}
