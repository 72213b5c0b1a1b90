package io.incidentanalyzer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import io.incidentanalyzer.testing.RealProgram;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Prometheus (Debian's {@code prometheus} 2.42) scrapes a test target every second and
 * remote-writes to the ingest gateway, as a team would configure it. The samples land on the
 * metrics topic in the form the job's decoder reads, and the job, running on them, opens a
 * saturation incident for the target's CPU, which is held at 99 against a ceiling of 95.
 */
class PrometheusRemoteWriteIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    /** Generous for two busy cores; a pass takes about 20 s. */
    private static final Duration DEADLINE = Duration.ofSeconds(50);

    @TempDir Path dir;

    private HttpServer target;
    private LocalGateway gateway;
    private RealProgram prometheus;
    private JobClient job;

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) prometheus.close();
        if (job != null) job.cancel().get();
        if (gateway != null) gateway.close();
        if (target != null) target.stop(0);
    }

    @Test
    void scrapedSaturationReachesTheJobByRemoteWriteAndOpensAnIncident() throws Exception {
        Path binary = RealProgram.require("prometheus", "prometheus");
        JobConfig config =
                JobConfigLoader.parse(
                        """
environment: prom-it
kafka: {startingOffsets: earliest, checkpointInterval: 1s}
watermarks: {maxOutOfOrderness: 1s, idleTimeout: 2s}
topics:
  metrics: {name: prom-it.metrics, format: prometheus-kafka-adapter}
  auth: {name: prom-it.auth}
  logs: {name: prom-it.logs}
  changes: {name: prom-it.changes}
  incidents: prom-it.incidents
  deadLetter: prom-it.dead-letter
services:
  database: {}
detectors:
  saturation:
    - {name: db-cpu, service: database, metric: cpu_utilization, ceiling: 95, sustain: 5s, clearBelow: 80, clearAfter: 10s}
""",
                        "prometheus-it.yaml");
        KAFKA.kafka().createTopics(2, config.topics().names().toArray(String[]::new));

        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext(
                "/metrics",
                exchange -> {
                    byte[] body =
                            "# TYPE cpu_utilization gauge\ncpu_utilization 99\n"
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders()
                            .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        target.start();

        gateway = LocalGateway.start(config, KAFKA.bootstrapServers());
        job = Flink.startJob(config, KAFKA.bootstrapServers(), "prometheus-it");

        // The three lines of README "Plug in your stack", plus a fast scrape and send for a test.
        Files.writeString(
                dir.resolve("prometheus.yml"),
                """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: database
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                remote_write:
                  - url: http://127.0.0.1:%d/api/v1/write
                    queue_config: {batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s}
                """
                        .formatted(target.getAddress().getPort(), gateway.port));
        prometheus =
                RealProgram.start(
                        dir,
                        "prometheus",
                        List.of(
                                binary.toString(),
                                "--config.file=" + dir.resolve("prometheus.yml"),
                                "--storage.tsdb.path=" + dir.resolve("data"),
                                "--web.listen-address=127.0.0.1:" + RealProgram.freePort()));

        RecordDecoder decoder =
                RecordDecoders.forTopic(
                        config.topics().metrics(), StreamKind.METRICS, config.limits());
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            List<MetricSample> cpu =
                    await("the scraped CPU on the metrics topic")
                            .atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(500))
                            .until(
                                    () -> {
                                        prometheus.assertRunning();
                                        return kafka
                                                .readAllBytes(config.topics().metrics().name())
                                                .stream()
                                                .map(
                                                        v ->
                                                                RecordDecoders.decode(
                                                                        decoder, "m", 0, 0, v))
                                                .filter(d -> !d.isRejected())
                                                .map(Decoded::metric)
                                                .filter(m -> m.metric().equals("cpu_utilization"))
                                                .toList();
                                    },
                                    samples -> !samples.isEmpty());
            assertThat(cpu)
                    .allSatisfy(
                            m -> {
                                assertThat(m.service()).isEqualTo("database");
                                assertThat(m.value()).isEqualTo(99.0);
                                assertThat(m.labels())
                                        .containsEntry(
                                                "instance",
                                                "127.0.0.1:" + target.getAddress().getPort());
                            });

            JsonNode opened =
                    await("the saturation incident")
                            .atMost(DEADLINE)
                            .pollInterval(Duration.ofMillis(500))
                            .until(
                                    () -> {
                                        prometheus.assertRunning();
                                        return kafka.readAll(config.topics().incidents()).stream()
                                                .filter(
                                                        e ->
                                                                e.path("type")
                                                                        .asText()
                                                                        .equals("OPENED"))
                                                .findFirst()
                                                .orElse(null);
                                    },
                                    e -> e != null);
            assertThat(opened.path("title").asText())
                    .isEqualTo("database cpu_utilization saturated");
        }
    }
}
