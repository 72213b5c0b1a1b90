package io.incidentanalyzer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenTelemetry Java SDK (Maven Central's opentelemetry-sdk and opentelemetry-exporter-otlp, as
 * a service would embed them) exports metrics and logs over OTLP/HTTP to the ingest gateway of the
 * example job file {@code jobs/examples/otel.yaml}. The bytes on Kafka are what the SDK sent, and
 * the job's own decoder reads them: the service from {@code service.name}, a gauge, a delta counter
 * as a rate, a delta histogram as quantiles, and a log record with its severity and attributes.
 */
class OtelSdkIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private JobConfig config;
    private LocalGateway gateway;
    private String base;
    private SdkMeterProvider meters;
    private SdkLoggerProvider loggers;

    @BeforeEach
    void start() throws Exception {
        config = JobConfigLoader.load(Path.of("jobs/examples/otel.yaml"));
        KAFKA.kafka().createTopics(2, config.topics().names().toArray(String[]::new));
        gateway = LocalGateway.start(config, KAFKA.bootstrapServers());
        base = gateway.url();
    }

    @AfterEach
    void stop() {
        if (meters != null) meters.close();
        if (loggers != null) loggers.close();
        if (gateway != null) gateway.close();
    }

    @Test
    void sdkMetricsAndLogsOverOtlpHttpAreDecodedByTheJobFromKafka() throws Exception {
        Resource resource =
                Resource.getDefault()
                        .merge(Resource.create(Attributes.of(SERVICE_NAME, "checkout")));
        meters =
                SdkMeterProvider.builder()
                        .setResource(resource)
                        .registerMetricReader(
                                // Exported on flush only: the test decides when.
                                PeriodicMetricReader.builder(
                                                OtlpHttpMetricExporter.builder()
                                                        .setEndpoint(base + "/v1/metrics")
                                                        .setAggregationTemporalitySelector(
                                                                AggregationTemporalitySelector
                                                                        .deltaPreferred())
                                                        .build())
                                        .setInterval(Duration.ofHours(1))
                                        .build())
                        .build();
        Meter meter = meters.get("otel-sdk-it");
        meter.gaugeBuilder("db.client.connections.usage")
                .buildWithCallback(g -> g.record(0.97, Attributes.empty()));
        LongCounter requests = meter.counterBuilder("http.server.requests").build();
        requests.add(120);
        DoubleHistogram latency =
                meter.histogramBuilder("http.server.duration").setUnit("ms").build();
        for (int i = 1; i <= 100; i++) latency.record(i);
        assertSucceeded(meters.forceFlush(), "metrics export");

        loggers =
                SdkLoggerProvider.builder()
                        .setResource(resource)
                        .addLogRecordProcessor(
                                SimpleLogRecordProcessor.create(
                                        OtlpHttpLogRecordExporter.builder()
                                                .setEndpoint(base + "/v1/logs")
                                                .build()))
                        .build();
        Instant at = Instant.parse("2024-02-16T08:33:00Z");
        loggers.get("otel-sdk-it")
                .logRecordBuilder()
                .setTimestamp(at)
                .setSeverity(Severity.ERROR)
                .setBody("connection refused by the payment provider")
                .setAttribute(AttributeKey.stringKey("peer.host"), "pay-1.internal")
                .emit();
        assertSucceeded(loggers.forceFlush(), "logs export");

        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            List<MetricSample> samples =
                    decodeAll(kafka, config, StreamKind.METRICS, config.topics().metrics().name())
                            .stream()
                            .map(Decoded::metric)
                            .toList();
            Map<String, MetricSample> byName =
                    samples.stream()
                            .collect(
                                    java.util.stream.Collectors.toMap(
                                            MetricSample::metric, Function.identity()));
            assertThat(samples).allMatch(s -> s.service().equals("checkout"));
            assertThat(byName.get("db.client.connections.usage").value()).isEqualTo(0.97);
            assertThat(byName.get("http.server.requests").value()).isPositive();
            assertThat(byName)
                    .containsKeys(
                            "http.server.duration.p50",
                            "http.server.duration.p90",
                            "http.server.duration.p99");
            assertThat(byName.get("http.server.duration.p99").value())
                    .isGreaterThan(byName.get("http.server.duration.p50").value());

            List<LogEvent> logs =
                    decodeAll(kafka, config, StreamKind.LOGS, config.topics().logs().name())
                            .stream()
                            .map(Decoded::log)
                            .toList();
            assertThat(logs).hasSize(1);
            LogEvent log = logs.get(0);
            assertThat(log.ts()).isEqualTo(at.toEpochMilli());
            assertThat(log.service()).isEqualTo("checkout");
            assertThat(log.level()).isEqualTo("ERROR");
            assertThat(log.message()).isEqualTo("connection refused by the payment provider");
            assertThat(log.attributes()).containsEntry("peer.host", "pay-1.internal");
        }
    }

    /** Every record of the topic through the job's decoder for it; none may be rejected. */
    private static List<Decoded> decodeAll(
            KafkaTestClients kafka, JobConfig config, StreamKind kind, String topic) {
        RecordDecoder decoder =
                RecordDecoders.forTopic(
                        kind == StreamKind.METRICS
                                ? config.topics().metrics()
                                : config.topics().logs(),
                        kind,
                        config.limits());
        List<byte[]> records = kafka.readAllBytes(topic);
        assertThat(records).as("records on " + topic).isNotEmpty();
        List<Decoded> all =
                records.stream()
                        .flatMap(v -> RecordDecoders.decodeAll(decoder, topic, 0, 0, v).stream())
                        .toList();
        assertThat(all).noneMatch(Decoded::isRejected);
        return all;
    }

    private static void assertSucceeded(CompletableResultCode result, String what) {
        result.join(20, TimeUnit.SECONDS);
        assertThat(result.isSuccess()).as(what + " answered 2xx by the gateway").isTrue();
    }
}
