package io.incidentanalyzer.review;

import io.incidentanalyzer.model.IncidentEvent;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps the engineer pages live: each open page holds a server-sent-events stream ({@code GET
 * /events}) and is sent {@code event: incident} with the incident's id whenever an incident event
 * or an engineer's action on it is read. The page's script ({@link #SCRIPT}, served as {@code
 * /live.js}: the Content-Security-Policy allows no inline script) then fetches the page again and
 * swaps in its parts marked {@code data-live-part}, which hold no form field, so whatever the
 * engineer is typing stays.
 */
final class LiveUpdates implements ReviewLog.Listener, AutoCloseable {
    /** Open streams at most; more are closed at once (each holds a connection). */
    static final int MAX_CLIENTS = 200;

    /** The pages' script, {@code src/main/resources/review/live.js}. */
    static final String SCRIPT = Templates.resource("live.js");

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final BooleanSupplier loaded;
    // Sends happen here, never on the thread that reads the topics: a browser that stops reading
    // blocks a write until Jetty's idle timeout, and must not stop the pages' state meanwhile.
    private final ScheduledExecutorService sender =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "review-live");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * @param loaded whether the log's first load is done: the records of that load are no news
     */
    LiveUpdates(BooleanSupplier loaded) {
        this.loaded = loaded;
        // A comment now and then: proxies keep the stream open, and closed ones are noticed.
        sender.scheduleWithFixedDelay(() -> send(null, null), 20, 20, TimeUnit.SECONDS);
    }

    /** A page opened its stream. */
    void join(SseClient client) {
        if (clients.size() >= MAX_CLIENTS) {
            client.close();
            return;
        }
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
    }

    /** Open streams. */
    int size() {
        return clients.size();
    }

    @Override
    public void incident(IncidentEvent e, long written) {
        if (loaded.getAsBoolean()) changed(e.incidentId());
    }

    @Override
    public void review(ReviewEvent r, long written) {
        // The notifier's claims change nothing a page shows.
        if (loaded.getAsBoolean() && r.action() != ReviewEvent.Action.NOTIFIED)
            changed(r.incidentId());
    }

    private void changed(String incidentId) {
        try {
            sender.execute(() -> send("incident", incidentId));
        } catch (java.util.concurrent.RejectedExecutionException x) {
            // closing
        }
    }

    /** Sends an event to every open stream, or a comment when {@code event} is null. */
    private void send(String event, String data) {
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
                continue;
            }
            try {
                synchronized (c) {
                    if (event == null) c.sendComment("ping");
                    else c.sendEvent(event, data);
                }
            } catch (RuntimeException x) {
                // A page that went away; the browser reconnects if it is still open.
                clients.remove(c);
            }
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (SseClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException x) {
                // closing anyway
            }
        }
        clients.clear();
    }
}
