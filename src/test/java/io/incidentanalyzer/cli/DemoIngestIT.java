package io.incidentanalyzer.cli;

import static io.incidentanalyzer.testing.RemoteWriteBodies.sample;
import static io.incidentanalyzer.testing.RemoteWriteBodies.series;
import static io.incidentanalyzer.testing.RemoteWriteBodies.snappy;
import static io.incidentanalyzer.testing.RemoteWriteBodies.writeRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentanalyzer.gateway.GatewayServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo} as a user runs it, in its own JVM: it prints the ingest gateway's URL; a
 * remote-write body posted there is answered 204 and counted by the gateway, and the Alertmanager
 * example of docs/formats.md is answered 200 and shows up in the job's own counter of the
 * external-alerts input (a stream the simulator does not feed, so nothing else can have raised it).
 */
class DemoIngestIT {
    private static final Duration DEADLINE = Duration.ofSeconds(50);
    private static final Pattern INGEST = Pattern.compile("Ingest +(http://\\S+?)/ ");
    private static final Pattern EVENTS_IN =
            Pattern.compile(
                    "(?m)^flink_taskmanager_job_task_operator_stream_eventsIn\\{(.*)\\} (\\S+)$");

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path dir;

    @Test
    void demoPrintsItsGatewayWhoseRemoteWriteAndAlertsReachTheJobsCounters() throws Exception {
        int metricsPort = CleanStopIT.freePort();
        try (CleanStopIT.Analyzer demo = CleanStopIT.startDemo(dir, metricsPort)) {
            demo.awaitOutput("  Ingest   http://");
            Matcher m = INGEST.matcher(demo.output());
            assertThat(m.find()).as(demo.output()).isTrue();
            String base = m.group(1);

            long ts = Instant.parse("2024-02-16T07:00:00Z").toEpochMilli();
            HttpResponse<String> written =
                    post(
                            base + GatewayServer.REMOTE_WRITE,
                            snappy(
                                    writeRequest(
                                            series(
                                                    Map.of(
                                                            "__name__",
                                                            "cpu_utilization",
                                                            "job",
                                                            "database"),
                                                    sample(41.5, ts)))),
                            "Content-Type",
                            "application/x-protobuf",
                            "Content-Encoding",
                            "snappy",
                            "X-Prometheus-Remote-Write-Version",
                            "0.1.0");
            assertThat(written.statusCode()).as(written.body()).isEqualTo(204);
            assertThat(get(base + "/metrics"))
                    .contains("gateway_records_written_total{route=\"/api/v1/write\"");

            HttpResponse<String> alert =
                    post(
                            base + GatewayServer.ALERTMANAGER,
                            formatsExample().getBytes(StandardCharsets.UTF_8),
                            "Content-Type",
                            "application/json");
            assertThat(alert.statusCode()).as(alert.body()).isEqualTo(200);

            String jobMetrics = "http://127.0.0.1:" + metricsPort + "/metrics";
            await("the job's external-alerts counter")
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> eventsIn(get(jobMetrics), "external.alerts"), n -> n >= 1);
            assertThat(eventsIn(get(jobMetrics), "metrics")).isPositive();

            demo.signal("TERM");
            assertThat(demo.awaitExit()).isZero();
        }
    }

    /** The sum over subtasks of the job's eventsIn counter of one input stream. */
    private static double eventsIn(String metrics, String streamPattern) {
        double sum = 0;
        Matcher m = EVENTS_IN.matcher(metrics);
        while (m.find()) {
            if (m.group(1).matches(".*stream=\"" + streamPattern + "\".*")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** The first JSON block of the alertmanager-webhook section of docs/formats.md. */
    static String formatsExample() throws Exception {
        String doc = Files.readString(Path.of("docs/formats.md"));
        int section = doc.indexOf("### `alertmanager-webhook`");
        int start = doc.indexOf("```json\n", section) + "```json\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    private HttpResponse<String> post(String url, byte[] body, String... headers) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .headers(headers)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String get(String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }
}
