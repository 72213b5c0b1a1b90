package io.incidentanalyzer.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.IncidentEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pushes published updates to a Statuspage-compatible REST API: the first update of an incident
 * creates it there ({@code POST /v1/pages/{page}/incidents}), later ones update it ({@code PATCH
 * …/incidents/{id}}), with {@code Authorization: OAuth <token>}. At most one request a second;
 * failures (network, 429, 5xx) are retried with exponential backoff; other 4xx give up. Each update
 * is pushed once: what was pushed, and the remote id, is itself a review event (PUSHED), so a
 * restart neither repeats nor forgets a push.
 */
public final class StatuspagePush implements AutoCloseable {
    private final URI base;
    private final String page;
    private final String token;
    private final ReviewState state;
    private final Consumer<ReviewEvent> record;
    private final Runnable onFailure;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = OutputJson.mapper();
    private final Deque<ReviewEvent> queue = new ArrayDeque<>();
    private final long minIntervalMs;
    private final long maxBackoffMs;
    private volatile boolean running = true;
    private final Thread worker;
    private long lastRequest;

    /**
     * @param record appends a PUSHED review event (to the reviews topic and the state)
     * @param onFailure counts a push given up or a failed attempt
     */
    public StatuspagePush(
            URI base,
            String page,
            String token,
            ReviewState state,
            Consumer<ReviewEvent> record,
            Runnable onFailure,
            Duration minInterval,
            Duration maxBackoff) {
        this.base = base;
        this.page = page;
        this.token = token;
        this.state = state;
        this.record = record;
        this.onFailure = onFailure;
        this.minIntervalMs = minInterval.toMillis();
        this.maxBackoffMs = maxBackoff.toMillis();
        this.worker = new Thread(this::run, "statuspage-push");
        this.worker.setDaemon(true);
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
    public synchronized void submit(ReviewEvent update) {
        queue.add(update);
        notifyAll();
    }

    private synchronized ReviewEvent next() throws InterruptedException {
        while (running && queue.isEmpty()) wait(500);
        return running ? queue.poll() : null;
    }

    private void run() {
        try {
            ReviewEvent u;
            while ((u = next()) != null) {
                if (state.pushed(u.id()) != null) continue; // already done
                push(u);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void push(ReviewEvent u) throws InterruptedException {
        long backoff = 1000;
        while (running) {
            pace();
            try {
                String remote = state.remoteIncident(u.incidentId());
                HttpResponse<String> r = send(u, remote);
                int code = r.statusCode();
                if (code / 100 == 2) {
                    String id = remote;
                    if (id == null) {
                        JsonNode body = json.readTree(r.body());
                        id = body.path("id").asText(null);
                    }
                    record.accept(ReviewEvent.pushed(u, id));
                    return;
                }
                onFailure.run();
                if (code != 429 && code < 500) return; // the request itself is wrong: give up
            } catch (java.io.IOException e) {
                onFailure.run();
            }
            Thread.sleep(backoff); // backoff between attempts, not a test wait
            backoff = Math.min(maxBackoffMs, backoff * 2);
        }
    }

    private void pace() throws InterruptedException {
        long wait = lastRequest + minIntervalMs - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
        lastRequest = System.currentTimeMillis();
    }

    private HttpResponse<String> send(ReviewEvent u, String remote)
            throws java.io.IOException, InterruptedException {
        IncidentEvent e = state.incident(u.incidentId());
        Map<String, Object> incident = new LinkedHashMap<>();
        if (remote == null) incident.put("name", e == null ? u.incidentId() : e.title());
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

    @Override
    public void close() throws InterruptedException {
        running = false;
        synchronized (this) {
            notifyAll();
        }
        worker.join(5000);
    }
}
