package io.incidentanalyzer.review;

import static io.incidentanalyzer.testing.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.testing.Fixtures;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review service's notifications on a real broker, to receivers in this test (the JDK's
 * HttpServer standing in for Slack, a generic webhook and PagerDuty): one message per event and
 * channel, none repeated after a restart, failures retried and then counted.
 */
class NotificationsIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private static final long T0 = Instant.parse("2024-02-16T07:26:00Z").toEpochMilli();
    private static final ReviewSigner SIGNER =
            ReviewSigner.of(
                    "a test key of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8));
    private static final String PUBLIC = "https://review.example.com";
    private static final String HOOK_TOKEN = "hook-token-123";
    private static final String ROUTING_KEY = "routing-key-0123456789abcdef0123";

    private final ObjectMapper json = OutputJson.mapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer receivers;
    private int receiverPort;

    /** What each receiver path was sent, in order. */
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

    /** For each path, the status to answer to its n-th request (1-based); 200 by default. */
    private final Map<String, IntUnaryOperator> answers = new ConcurrentHashMap<>();

    private ReviewLog log;
    private ReviewServer server;
    private ReviewState state;
    private int port;

    record Received(String body, String authorization, String idempotencyKey) {}

    @TempDir Path dir;

    @BeforeEach
    void receivers() throws Exception {
        receivers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receivers.createContext(
                "/",
                x -> {
                    String path = x.getRequestURI().getPath();
                    byte[] body = x.getRequestBody().readAllBytes();
                    List<Received> got =
                            received.computeIfAbsent(
                                    path, k -> Collections.synchronizedList(new ArrayList<>()));
                    got.add(
                            new Received(
                                    new String(body, StandardCharsets.UTF_8),
                                    x.getRequestHeaders().getFirst("Authorization"),
                                    x.getRequestHeaders().getFirst("Idempotency-Key")));
                    int status = answers.getOrDefault(path, n -> 200).applyAsInt(got.size());
                    byte[] out = "ok".getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(status, out.length);
                    x.getResponseBody().write(out);
                    x.close();
                });
        receivers.start();
        receiverPort = receivers.getAddress().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        stopService();
        receivers.stop(0);
    }

    private void stopService() throws Exception {
        if (server != null) server.close();
        if (log != null) log.close();
        server = null;
        log = null;
    }

    private String receiver(String path) {
        return "http://127.0.0.1:" + receiverPort + path;
    }

    private List<Received> got(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    /** A job file with the three channel types, their secrets in files and the environment. */
    private JobConfig config(TestInfo test, String hookPath) throws Exception {
        String prefix =
                "notify-" + Math.abs(test.getTestMethod().orElseThrow().getName().hashCode());
        Path slackUrl = dir.resolve("slack-url");
        Files.writeString(slackUrl, receiver("/slack") + "\n");
        Path routingKey = dir.resolve("pd-key");
        Files.writeString(routingKey, ROUTING_KEY);
        JobConfig config =
                JobConfigLoader.parse(
                        """
                        environment: %1$s
                        %7$s
                        services:
                          database: {displayName: Database}
                          web-app: {displayName: Web app, dependsOn: [database]}
                        notifications:
                          publicUrl: %2$s/
                          attempts: 3
                          maxBackoff: 100ms
                          channels:
                            - {name: chat, type: slack, secretFile: %3$s}
                            - {name: hook, type: webhook, url: '%4$s', secretEnv: HOOK_TOKEN}
                            - {name: pager, type: pagerduty, url: '%5$s', secretFile: %6$s}
                        """
                                .formatted(
                                        prefix,
                                        PUBLIC,
                                        slackUrl,
                                        receiver(hookPath),
                                        receiver("/pd"),
                                        routingKey,
                                        Fixtures.kafkaYaml(prefix)),
                        "jobs/notify-it.yaml");
        KAFKA.kafka().createTopics(2, config.topics().incidents(), config.topics().reviews());
        return config;
    }

    /** Starts the service as the review command does: the server before the log's first load. */
    private void start(JobConfig config) throws Exception {
        state = new ReviewState();
        log =
                new ReviewLog(
                        KAFKA.bootstrapServers(),
                        Map.of(),
                        config.topics().incidents(),
                        config.topics().reviews(),
                        state,
                        SIGNER);
        server =
                new ReviewServer(
                        config,
                        state,
                        log,
                        null,
                        "alice",
                        System::currentTimeMillis,
                        Map.of("HOOK_TOKEN", HOOK_TOKEN)::get);
        log.start(Duration.ofMinutes(1));
        port = server.start("127.0.0.1", 0);
    }

    private static IncidentEvent event(
            JobConfig config,
            String id,
            IncidentEventType type,
            IncidentStatus status,
            long ts,
            CauseKind kind,
            String service) {
        Signal s =
                signal(
                        SignalKind.SATURATION,
                        service,
                        "cpu",
                        SignalState.OPEN,
                        T0,
                        ts,
                        97,
                        97,
                        20,
                        Severity.MAJOR);
        RootCause top =
                new RootCause(kind, service, 0.8, T0, List.of("cpu at 97%"), List.of(s.id()));
        return new IncidentEvent(
                id,
                config.environment(),
                type,
                ts,
                status,
                T0,
                status == IncidentStatus.RESOLVED ? ts : null,
                "Database <b>saturated</b> & slow",
                s,
                List.of(s),
                List.of(top),
                List.of(),
                List.of(),
                null);
    }

    /** An incident opening on the database, at {@code ts}. */
    private static IncidentEvent opened(JobConfig config, String id, long ts) {
        return event(
                config,
                id,
                IncidentEventType.OPENED,
                IncidentStatus.INVESTIGATING,
                ts,
                CauseKind.RESOURCE_SATURATION,
                "database");
    }

    private void send(JobConfig config, IncidentEvent... events) throws Exception {
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            for (IncidentEvent e : events) {
                kafka.send(config.topics().incidents(), e.incidentId(), json.writeValueAsBytes(e));
            }
            kafka.flush();
        }
    }

    private List<String> field(String path, String pointer) throws Exception {
        List<String> out = new ArrayList<>();
        for (Received r : got(path)) out.add(json.readTree(r.body()).at(pointer).asText());
        return out;
    }

    private String metrics() throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void oneMessagePerEventOnEveryChannelAndNoneRepeatedAfterARestart(TestInfo test)
            throws Exception {
        JobConfig config = config(test, "/hook");
        String id = config.environment() + "-20240216T072600Z";
        String link = PUBLIC + "/incidents/" + id;
        // Opened and identified before the service starts: read in its first load.
        send(
                config,
                opened(config, id, T0 + 30_000),
                event(
                        config,
                        id,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentStatus.INVESTIGATING,
                        T0 + 40_000,
                        CauseKind.RESOURCE_SATURATION,
                        "database"),
                event(
                        config,
                        id,
                        IncidentEventType.IDENTIFIED,
                        IncidentStatus.IDENTIFIED,
                        T0 + 60_000,
                        CauseKind.RESOURCE_SATURATION,
                        "database"));
        start(config);
        await().atMost(Duration.ofSeconds(30)).until(() -> got("/pd").size() >= 2);

        // An engineer confirms the root cause; the analyzer then changes it, and resolves.
        log.append(
                NotifierTest.decision(
                        "decision-1",
                        id,
                        ReviewEvent.Action.CONFIRM_ROOT_CAUSE,
                        CauseKind.RESOURCE_SATURATION,
                        "database"));
        // Kafka orders records per partition only: the next events wait for the acknowledgement.
        await().atMost(Duration.ofSeconds(30)).until(() -> got("/pd").size() >= 3);
        send(
                config,
                event(
                        config,
                        id,
                        IncidentEventType.ROOT_CAUSE_CHANGED,
                        IncidentStatus.IDENTIFIED,
                        T0 + 120_000,
                        CauseKind.BAD_DEPLOY,
                        "web-app"),
                event(
                        config,
                        id,
                        IncidentEventType.CLOSED,
                        IncidentStatus.RESOLVED,
                        T0 + 900_000,
                        CauseKind.BAD_DEPLOY,
                        "web-app"));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                got("/slack").size() >= 5
                                        && got("/hook").size() >= 5
                                        && got("/pd").size() >= 5);

        assertThat(field("/pd", "/event_action"))
                .containsExactly("trigger", "trigger", "acknowledge", "trigger", "resolve");
        assertThat(field("/pd", "/dedup_key")).containsOnly(id);
        assertThat(field("/pd", "/routing_key")).containsOnly(ROUTING_KEY);
        JsonNode trigger = json.readTree(got("/pd").get(1).body());
        assertThat(trigger.at("/payload/summary").asText())
                .contains("Root cause identified")
                .contains("saturation under its own load on Database");
        assertThat(trigger.at("/payload/severity").asText()).isEqualTo("error");
        assertThat(trigger.at("/payload/source").asText()).isEqualTo(config.environment());
        assertThat(trigger.at("/links/0/href").asText()).isEqualTo(link);

        assertThat(field("/hook", "/event"))
                .containsExactly(
                        "opened",
                        "identified",
                        "root_cause_decided",
                        "root_cause_changed",
                        "resolved");
        assertThat(field("/hook", "/url")).containsOnly(link);
        assertThat(got("/hook")).allMatch(r -> ("Bearer " + HOOK_TOKEN).equals(r.authorization()));
        assertThat(got("/hook").stream().map(Received::idempotencyKey).distinct()).hasSize(5);

        List<String> slack = field("/slack", "/text");
        assertThat(slack).allMatch(t -> t.contains("<" + link + "|"));
        // The title from the analyzer is escaped for Slack's mrkdwn.
        assertThat(slack.get(0))
                .contains("Incident opened")
                .contains("Database &lt;b&gt;saturated&lt;/b&gt; &amp; slow")
                .doesNotContain("<b>");
        assertThat(slack.get(2)).contains("Root cause decided by alice");
        assertThat(metrics())
                .contains("review_notifications_sent_total{channel=\"chat\",} 5.0")
                .contains("review_notifications_given_up_total{channel=\"pager\",} 0.0");

        // A restart reads every event again, and every claim: nothing goes out twice. A new
        // incident, sent after the restart, comes behind anything repeated in each channel's queue.
        stopService();
        start(config);
        String next = config.environment() + "-20240216T090000Z";
        send(config, opened(config, next, T0 + 3_600_000));
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                got("/slack").size() >= 6
                                        && got("/hook").size() >= 6
                                        && got("/pd").size() >= 6);
        for (String path : List.of("/slack", "/hook", "/pd")) {
            assertThat(got(path)).as(path).hasSize(6);
        }
        assertThat(field("/pd", "/dedup_key").get(5)).isEqualTo(next);
        assertThat(metrics()).contains("review_notifications_sent_total{channel=\"chat\",} 1.0");
    }

    @Test
    void failedAttemptsAreRetriedThenGivenUpAndCounted(TestInfo test) throws Exception {
        JobConfig config = config(test, "/flaky");
        // The webhook fails twice, then takes it; Slack's receiver is down for good; PagerDuty
        // refuses the event outright (400: no retry).
        answers.put("/flaky", n -> n <= 2 ? 503 : 200);
        answers.put("/slack", n -> 500);
        answers.put("/pd", n -> 400);
        String id = config.environment() + "-20240216T072600Z";
        start(config);
        send(config, opened(config, id, T0 + 30_000));

        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> {
                            String m = metrics();
                            return m.contains(
                                            "review_notifications_sent_total{channel=\"hook\",}"
                                                    + " 1.0")
                                    && m.contains(
                                            "review_notifications_given_up_total{channel=\"chat\",}"
                                                    + " 1.0")
                                    && m.contains(
                                            "review_notifications_given_up_total{channel=\"pager\",}"
                                                + " 1.0");
                        });
        assertThat(got("/flaky")).hasSize(3);
        assertThat(got("/slack")).hasSize(3);
        assertThat(got("/pd")).hasSize(1);
        assertThat(metrics())
                .contains(
                        "review_notification_failures_total{channel=\"hook\",reason=\"http_status\",}"
                            + " 2.0")
                .contains(
                        "review_notification_failures_total{channel=\"chat\",reason=\"http_status\",}"
                            + " 3.0")
                .contains(
                        "review_notification_failures_total{channel=\"pager\",reason=\"rejected\",}"
                                + " 1.0");
    }
}
