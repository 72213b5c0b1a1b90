package io.incidentanalyzer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import io.incidentanalyzer.testing.RealProgram;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Alertmanager (Debian's {@code prometheus-alertmanager} 0.25) with the ingest gateway as its
 * webhook receiver. The test raises an alert through Alertmanager's own API ({@code
 * /api/v2/alerts}), then resolves it; Alertmanager calls the gateway with the firing and the
 * resolved group. The job reads both from the externalAlerts topic: the firing alert is a signal of
 * the service its labels name, with the severity its label gives, and opens an incident; the
 * resolved alert clears it and the incident closes.
 *
 * <p>Event time moves on with the job's other inputs, as it does in production: a metric sample
 * after each step lets the watermark pass the alert's times.
 */
class AlertmanagerWebhookIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    /** Generous for two busy cores; a pass takes about 20 s. */
    private static final Duration DEADLINE = Duration.ofSeconds(50);

    @TempDir Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private LocalGateway gateway;
    private RealProgram alertmanager;
    private JobClient job;

    @AfterEach
    void stop() throws Exception {
        if (alertmanager != null) alertmanager.close();
        if (job != null) job.cancel().get();
        if (gateway != null) gateway.close();
    }

    @Test
    void firingAndResolvedAlertsFromAlertmanagerOpenAndCloseAnIncident() throws Exception {
        Path binary = RealProgram.require("prometheus-alertmanager", "prometheus-alertmanager");
        JobConfig config =
                JobConfigLoader.parse(
                        """
                        environment: am-it
                        kafka: {startingOffsets: earliest, checkpointInterval: 1s}
                        watermarks: {maxOutOfOrderness: 1s, idleTimeout: 2s}
                        correlation: {quietPeriod: 0s}
                        topics:
                          metrics: {name: am-it.metrics}
                          auth: {name: am-it.auth}
                          logs: {name: am-it.logs}
                          changes: {name: am-it.changes}
                          externalAlerts: {name: am-it.alerts, format: alertmanager-webhook}
                          incidents: am-it.incidents
                          deadLetter: am-it.dead-letter
                        services:
                          database: {}
                          checkout: {dependsOn: [database]}
                        """,
                        "alertmanager-it.yaml");
        KAFKA.kafka().createTopics(2, config.topics().names().toArray(String[]::new));

        gateway = LocalGateway.start(config, KAFKA.bootstrapServers());
        job = Flink.startJob(config, KAFKA.bootstrapServers(), "alertmanager-it");

        int apiPort = RealProgram.freePort();
        Files.writeString(
                dir.resolve("alertmanager.yml"),
                """
                route:
                  receiver: analyzer
                  group_by: [alertname, service]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: analyzer
                    webhook_configs:
                      - url: http://127.0.0.1:%d%s
                        send_resolved: true
                """
                        .formatted(gateway.port, GatewayServer.ALERTMANAGER));
        alertmanager =
                RealProgram.start(
                        dir,
                        "alertmanager",
                        List.of(
                                binary.toString(),
                                "--config.file=" + dir.resolve("alertmanager.yml"),
                                "--storage.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + apiPort,
                                // No gossip: a lone instance, listening on loopback only.
                                "--cluster.listen-address="));
        String api = "http://127.0.0.1:" + apiPort;
        await("Alertmanager ready")
                .atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsMatching(e -> e instanceof java.io.IOException)
                .until(
                        () -> {
                            alertmanager.assertRunning();
                            return get(api + "/-/ready") == 200;
                        });

        Instant startsAt = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        String alert =
                """
                {"labels": {"alertname": "CheckoutErrorRate", "service": "checkout",
                  "severity": "critical", "instance": "checkout-1"},
                 "annotations": {"summary": "checkout answers 12%% of requests with 5xx"},
                 "startsAt": "%s"%s}
                """;
        assertThat(postAlerts(api, "[" + alert.formatted(startsAt, "") + "]")).isEqualTo(200);

        RecordDecoder decoder =
                RecordDecoders.forExternalAlerts(config.topics().externalAlerts(), config.limits());
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            Signal firing =
                    await("the firing alert on the alerts topic")
                            .atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> reports(kafka, config, decoder), r -> !r.isEmpty())
                            .get(0);
            assertThat(firing.state()).isEqualTo(SignalState.OPEN);
            assertThat(firing.service()).isEqualTo("checkout");
            assertThat(firing.subject()).isEqualTo("CheckoutErrorRate");
            assertThat(firing.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(firing.onset()).isEqualTo(startsAt.toEpochMilli());
            assertThat(firing.evidence()).contains("checkout answers 12% of requests with 5xx");

            sample(kafka, config, startsAt.plusSeconds(10));
            JsonNode opened = awaitIncident(kafka, config, "OPENED");
            assertThat(opened.path("title").asText()).startsWith("checkout CheckoutErrorRate");
            assertThat(opened.path("openedAt").asLong()).isEqualTo(startsAt.toEpochMilli());

            Instant endsAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            assertThat(
                            postAlerts(
                                    api,
                                    "["
                                            + alert.formatted(
                                                    startsAt, ", \"endsAt\": \"" + endsAt + "\"")
                                            + "]"))
                    .isEqualTo(200);
            await("the resolved alert on the alerts topic")
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> reports(kafka, config, decoder),
                            r -> r.stream().anyMatch(s -> s.state() == SignalState.CLEAR));
            sample(kafka, config, endsAt.plusSeconds(10));
            JsonNode closed = awaitIncident(kafka, config, "CLOSED");
            assertThat(closed.path("incidentId").asText())
                    .isEqualTo(opened.path("incidentId").asText());
            assertThat(closed.path("closedAt").asLong()).isEqualTo(endsAt.toEpochMilli());
        }
    }

    /** The signal reports on the alerts topic so far, through the job's decoder. */
    private static List<Signal> reports(
            KafkaTestClients kafka, JobConfig config, RecordDecoder decoder) {
        return kafka.readAllBytes(config.topics().externalAlerts().name()).stream()
                .flatMap(v -> RecordDecoders.decodeAll(decoder, "a", 0, 0, v).stream())
                .peek(d -> assertThat(d.isRejected()).as("%s", d.rejected()).isFalse())
                .map(Decoded::signal)
                .toList();
    }

    /** A metric sample on both partitions: the job's other input, moving event time on. */
    private static void sample(KafkaTestClients kafka, JobConfig config, Instant at) {
        for (int partition = 0; partition < 2; partition++) {
            kafka.send(
                    config.topics().metrics().name(),
                    partition,
                    """
                    {"ts":"%s","service":"database","metric":"cpu_utilization","value":40}"""
                            .formatted(at));
        }
        kafka.flush();
    }

    private JsonNode awaitIncident(KafkaTestClients kafka, JobConfig config, String type) {
        return await("incident event " + type)
                .atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            alertmanager.assertRunning();
                            return kafka.readAll(config.topics().incidents()).stream()
                                    .filter(e -> e.path("type").asText().equals(type))
                                    .findFirst()
                                    .orElse(null);
                        },
                        e -> e != null);
    }

    private int postAlerts(String api, String alerts) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(api + "/api/v2/alerts"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(alerts))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private int get(String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
