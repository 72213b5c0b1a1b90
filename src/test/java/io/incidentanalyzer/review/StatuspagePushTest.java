package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.model.IncidentStatus;
import io.prometheus.client.CollectorRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The push against a local Statuspage-compatible stub that answers as each test scripts it. */
class StatuspagePushTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** A scripted answer: status code and body. */
    private record Answer(int code, String body) {}

    private record Request(String method, String path, String key) {}

    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private Answer otherwise = new Answer(201, "{\"id\":\"sp-1\"}");
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<ReviewEvent> recorded = new CopyOnWriteArrayList<>();
    private final ReviewState state = new ReviewState();
    private final CollectorRegistry registry = new CollectorRegistry();
    private HttpServer stub;
    private StatuspagePush push;

    @AfterEach
    void stop() throws Exception {
        if (push != null) push.close();
        if (stub != null) stub.stop(0);
    }

    private URI stub() throws Exception {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext(
                "/",
                x -> {
                    x.getRequestBody().readAllBytes();
                    requests.add(
                            new Request(
                                    x.getRequestMethod(),
                                    x.getRequestURI().getPath(),
                                    x.getRequestHeaders().getFirst("Idempotency-Key")));
                    Answer a = script.poll();
                    if (a == null) a = otherwise;
                    byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(a.code(), out.length == 0 ? -1 : out.length);
                    if (out.length > 0) x.getResponseBody().write(out);
                    x.close();
                });
        stub.start();
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    }

    /** Starts the push with quick pacing and backoff, 3 attempts an update. */
    private void start(Consumer<ReviewEvent> record) throws Exception {
        push =
                new StatuspagePush(
                        stub(),
                        "page-1",
                        "api-token",
                        state,
                        record,
                        registry,
                        Duration.ofMillis(1),
                        Duration.ofMillis(20),
                        3);
        push.start();
    }

    private void start() throws Exception {
        start(
                r -> {
                    state.apply(r);
                    recorded.add(r);
                });
    }

    private static ReviewEvent update(String id, String incident, IncidentStatus status) {
        return new ReviewEvent(
                id,
                incident,
                ReviewEvent.Action.PUBLISH_UPDATE,
                "alice",
                1L,
                null,
                null,
                status,
                "We are looking into it.",
                List.of(),
                null,
                null,
                "Chat is slow",
                List.of(),
                ReviewEvent.Auth.PASSWORD,
                null);
    }

    private double metric(String name, String... reason) {
        Double v =
                reason.length == 0
                        ? registry.getSampleValue(name)
                        : registry.getSampleValue(name, new String[] {"reason"}, reason);
        return v == null ? 0 : v;
    }

    @Test
    void aSuccessWithoutAJsonIncidentIdIsAnErrorRetriedUntilOneComes() throws Exception {
        script.add(new Answer(201, ""));
        script.add(new Answer(200, "<html>created</html>"));
        script.add(new Answer(201, "{\"ok\":true}"));
        start();
        push.submit(update("u1", "inc-1", IncidentStatus.INVESTIGATING));

        // Three attempts fail (3 allowed): given up, nothing recorded as pushed.
        await().atMost(DEADLINE).until(() -> metric("review_push_given_up_total") == 1);
        assertThat(recorded).isEmpty();
        assertThat(requests).hasSize(3).allMatch(r -> r.method().equals("POST"));
        assertThat(metric("review_push_failures_total", "not_json")).isEqualTo(2);
        assertThat(metric("review_push_failures_total", "no_incident_id")).isEqualTo(1);

        // The next update of that incident still creates it (no remote id was made up), once.
        push.submit(update("u2", "inc-1", IncidentStatus.IDENTIFIED));
        await().atMost(DEADLINE).until(() -> recorded.size() == 1);
        assertThat(recorded.get(0).remoteIncident()).isEqualTo("sp-1");
        assertThat(recorded.get(0).pushedUpdate()).isEqualTo("u2");
        assertThat(requests).hasSize(4);
        assertThat(requests.get(3).key()).isEqualTo("u2");
    }

    @Test
    void aRetryCarriesTheSameIdempotencyKeyAndTheLaterUpdatePatchesTheRemoteIncident()
            throws Exception {
        script.add(new Answer(200, "not json"));
        script.add(new Answer(201, "{\"id\":\"sp-9\"}"));
        script.add(new Answer(200, "")); // the PATCH's answer must be JSON too
        otherwise = new Answer(200, "{\"id\":\"sp-9\"}");
        start();
        push.submit(update("u1", "inc-1", IncidentStatus.INVESTIGATING));
        push.submit(update("u2", "inc-1", IncidentStatus.IDENTIFIED));

        await().atMost(DEADLINE).until(() -> recorded.size() == 2);
        assertThat(requests)
                .extracting(Request::method, Request::key)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("POST", "u1"),
                        org.assertj.core.groups.Tuple.tuple("POST", "u1"),
                        org.assertj.core.groups.Tuple.tuple("PATCH", "u2"),
                        org.assertj.core.groups.Tuple.tuple("PATCH", "u2"));
        assertThat(requests.get(2).path()).isEqualTo("/v1/pages/page-1/incidents/sp-9");
        assertThat(recorded).allMatch(r -> "sp-9".equals(r.remoteIncident()));
        assertThat(metric("review_push_failures_total", "not_json")).isEqualTo(2);
        assertThat(metric("review_push_given_up_total")).isZero();
    }

    @Test
    void theWorkerSurvivesExceptionsAndNeverCreatesAnIncidentTwice() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(
                r -> {
                    // The reviews topic is down for the first recording.
                    if (calls.getAndIncrement() == 0) throw new IllegalStateException("no broker");
                    state.apply(r);
                    recorded.add(r);
                });
        push.submit(update("u1", "inc-1", IncidentStatus.INVESTIGATING));
        // An update the push cannot even build a request for (no status): thrown every attempt.
        push.submit(update("broken", "inc-2", null));
        push.submit(update("u3", "inc-3", IncidentStatus.INVESTIGATING));

        await().atMost(DEADLINE).until(() -> recorded.size() == 2);
        assertThat(recorded).extracting(ReviewEvent::pushedUpdate).containsExactly("u1", "u3");
        // u1 reached the API once; only its recording was repeated.
        assertThat(requests).extracting(Request::key).containsExactly("u1", "u3");
        assertThat(metric("review_push_worker_errors_total")).isEqualTo(4);
        assertThat(metric("review_push_failures_total", "error")).isEqualTo(4);
        assertThat(metric("review_push_given_up_total")).isEqualTo(1);
    }

    @Test
    void onlyHttpsOrPlainHttpToLoopbackIsAccepted() {
        for (String ok :
                List.of(
                        "https://api.statuspage.io",
                        "http://127.0.0.1:8081",
                        "http://localhost:9",
                        "http://[::1]:9")) {
            assertThat(StatuspagePush.checkUrl(URI.create(ok))).hasToString(ok);
        }
        for (String bad :
                List.of(
                        "http://api.statuspage.io",
                        "http://10.0.0.1",
                        "http://localhost.example.com",
                        "ftp://127.0.0.1",
                        "api.statuspage.io")) {
            assertThatThrownBy(() -> StatuspagePush.checkUrl(URI.create(bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(
                            "--push-url "
                                    + bad
                                    + ": give an https:// URL (plain http only to a loopback"
                                    + " address, for tests)");
        }
    }
}
