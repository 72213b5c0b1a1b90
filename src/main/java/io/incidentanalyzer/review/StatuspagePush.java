package io.incidentanalyzer.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.web.HttpServers;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes published updates to a Statuspage-compatible REST API: the first update of an incident
 * creates it there ({@code POST /v1/pages/{page}/incidents}), later ones update it ({@code PATCH
 * …/incidents/{id}}), with {@code Authorization: OAuth <token>}. At most one request a second.
 *
 * <p>An attempt succeeds only on a 2xx whose body is a JSON object, and for a create one that names
 * the remote incident's {@code id}: recording a push without the remote id would make the next
 * update create the incident a second time. Everything else (network error, 429, 5xx, non-JSON, no
 * id, an exception) is retried with exponential backoff up to a number of attempts, then given up;
 * other 4xx give up at once. Given-up updates count in {@code review_push_given_up_total} and are
 * tried again after a restart. The worker thread survives any exception in an attempt.
 *
 * <p>Each update is pushed once: what was pushed, and the remote id, is itself a review event
 * (PUSHED), so a restart neither repeats nor forgets a push.
 */
public final class StatuspagePush implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatuspagePush.class);

    private final URI base;
    private final String page;
    private final String token;
    private final ReviewState state;
    private final Consumer<ReviewEvent> record;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = OutputJson.mapper();
    private final long minIntervalMs;
    private final Counter failures;
    private final Counter givenUp;
    private final Counter workerErrors;
    // Learned in this run but maybe not recorded yet: a failed recording must not lead to a second
    // create, nor a repeated request.
    private final Map<String, String> remoteIds = new ConcurrentHashMap<>();
    private final Set<String> delivered = new HashSet<>();
    private final RetryingWorker<ReviewEvent> worker;
    private long lastRequest;

    /** Why an attempt failed ({@code review_push_failures_total{reason}}). */
    enum Failure {
        NETWORK,
        HTTP_STATUS,
        REJECTED,
        NOT_JSON,
        NO_INCIDENT_ID,
        ERROR
    }

    /**
     * @param base the API's base URL: {@code https://}, or {@code http://} to a loopback address
     * @param record appends a PUSHED review event (to the reviews topic and the state)
     * @param registry where the push's metrics go
     * @param maxAttempts attempts per update before it is given up
     */
    public StatuspagePush(
            URI base,
            String page,
            String token,
            ReviewState state,
            Consumer<ReviewEvent> record,
            CollectorRegistry registry,
            Duration minInterval,
            Duration maxBackoff,
            int maxAttempts) {
        this.base = checkUrl(base);
        this.page = page;
        this.token = token;
        this.state = state;
        this.record = record;
        this.minIntervalMs = minInterval.toMillis();
        this.failures =
                Counter.build(
                                "review_push_failures_total",
                                "Failed attempts to push to a Statuspage-compatible API, by reason")
                        .labelNames("reason")
                        .register(registry);
        for (Failure f : Failure.values()) failures.labels(label(f));
        this.givenUp =
                Counter.build(
                                "review_push_given_up_total",
                                "Published updates not pushed after every attempt (alert on it)")
                        .register(registry);
        this.workerErrors =
                Counter.build(
                                "review_push_worker_errors_total",
                                "Exceptions the push worker caught and survived")
                        .register(registry);
        Gauge.build("review_push_pending", "Published updates waiting to be pushed")
                .register(registry)
                .setChild(
                        new Gauge.Child() {
                            @Override
                            public double get() {
                                return worker.pending();
                            }
                        });
        this.worker =
                new RetryingWorker<>(
                        "statuspage-push",
                        u -> state.pushed(u.id()) != null,
                        this::attempt,
                        new RetryingWorker.Outcomes<>() {
                            @Override
                            public void failed(ReviewEvent u, String reason) {
                                failures.labels(reason).inc();
                            }

                            @Override
                            public void givenUp(ReviewEvent u, int attempts, String why) {
                                givenUp.inc();
                                LOG.warn(
                                        "gave up pushing update {} after {} attempt(s): {}",
                                        u.id(),
                                        attempts,
                                        why);
                            }

                            @Override
                            public void error(ReviewEvent u, RuntimeException e) {
                                workerErrors.inc();
                            }
                        },
                        Duration.ofSeconds(1),
                        maxBackoff,
                        maxAttempts);
    }

    private static String label(Failure f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The API's URL if it is {@code https://}, or {@code http://} to a loopback address (a test's
     * stub): the token must not cross a network in clear text.
     */
    static URI checkUrl(URI url) {
        return HttpServers.secureUrl(url, "--push-url " + url);
    }

    /** Queues every published update not pushed yet (after a restart too), then follows. */
    public void start() {
        for (IncidentEvent e : state.incidents()) {
            for (ReviewEvent u : state.publishedUpdates(e.incidentId())) {
                if (state.pushed(u.id()) == null) submit(u);
            }
        }
        worker.start();
    }

    /** Queues a published update. */
    public void submit(ReviewEvent update) {
        worker.submit(update);
    }

    private void attempt(ReviewEvent u) throws RetryingWorker.Failed, InterruptedException {
        if (!delivered.contains(u.id())) {
            pace();
            String remote = remote(u.incidentId());
            HttpResponse<String> r;
            try {
                r = send(u, remote);
            } catch (java.io.IOException e) {
                throw failed(Failure.NETWORK, true, e.toString());
            }
            int code = r.statusCode();
            if (code / 100 != 2) {
                boolean retry = code == 429 || code >= 500;
                throw failed(retry ? Failure.HTTP_STATUS : Failure.REJECTED, retry, "HTTP " + code);
            }
            JsonNode body;
            try {
                body = r.body() == null ? null : json.readTree(r.body());
            } catch (JsonProcessingException e) {
                body = null;
            }
            if (body == null || !body.isObject()) {
                throw failed(Failure.NOT_JSON, true, "HTTP " + code + " without a JSON object");
            }
            if (remote == null) {
                String id = body.path("id").isTextual() ? body.path("id").asText() : null;
                if (id == null || id.isBlank()) {
                    throw failed(
                            Failure.NO_INCIDENT_ID,
                            true,
                            "HTTP " + code + " without an incident id");
                }
                remoteIds.put(u.incidentId(), id);
            }
            delivered.add(u.id());
        }
        record.accept(ReviewEvent.pushed(u, remote(u.incidentId())));
        delivered.remove(u.id());
    }

    private String remote(String incidentId) {
        String known = state.remoteIncident(incidentId);
        return known != null ? known : remoteIds.get(incidentId);
    }

    private void pace() throws InterruptedException {
        long wait = lastRequest + minIntervalMs - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
        lastRequest = System.currentTimeMillis();
    }

    private HttpResponse<String> send(ReviewEvent u, String remote)
            throws java.io.IOException, InterruptedException {
        Map<String, Object> incident = new LinkedHashMap<>();
        // The title the engineer published, never the analyzer's own.
        if (remote == null) incident.put("name", u.title());
        incident.put("status", u.status().name().toLowerCase(Locale.ROOT));
        incident.put("body", u.body());
        Map<String, String> components = new LinkedHashMap<>();
        u.components()
                .forEach(
                        c ->
                                components.put(
                                        io.incidentanalyzer.draft.StatusPage.code(c.name()),
                                        c.newStatus().name().toLowerCase(Locale.ROOT)));
        if (!components.isEmpty()) incident.put("components", components);
        String payload = json.writeValueAsString(Map.of("incident", incident));
        String path = "/v1/pages/" + page + "/incidents" + (remote == null ? "" : "/" + remote);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Authorization", "OAuth " + token)
                        .header("Content-Type", "application/json")
                        // Lets a server drop a repeat of a request whose answer was lost.
                        .header("Idempotency-Key", u.id());
        b =
                remote == null
                        ? b.POST(HttpRequest.BodyPublishers.ofString(payload))
                        : b.method("PATCH", HttpRequest.BodyPublishers.ofString(payload));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RetryingWorker.Failed failed(Failure why, boolean retry, String message) {
        return new RetryingWorker.Failed(label(why), retry, message);
    }

    @Override
    public void close() throws InterruptedException {
        worker.close();
    }
}
