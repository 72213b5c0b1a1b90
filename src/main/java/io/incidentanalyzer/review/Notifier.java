package io.incidentanalyzer.review;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.NotificationChannel;
import io.incidentanalyzer.config.NotificationSettings;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.web.HttpServers;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about incidents: when one opens, is identified, changes root cause, has its root
 * cause decided by an engineer, and resolves, a message goes to each channel of the job file's
 * {@code notifications} (Slack-compatible webhook, generic JSON webhook, PagerDuty Events API v2).
 * It listens to the {@link ReviewLog}, so it sees what the pages see.
 *
 * <p>At most once per event and channel, across restarts: before the first attempt the notifier
 * writes a NOTIFIED record to the reviews topic (the service's store, as the Statuspage push's
 * PUSHED records), and it sends nothing already claimed there. Nothing is decided before the first
 * load of both topics is complete ({@link #start}), so a restart sees every claim. A crash between
 * the claim and the answer can lose that message; it never doubles it.
 *
 * <p>Each channel has its own worker thread and queue, in event order (PagerDuty's trigger before
 * its resolve). An attempt succeeds on a 2xx; a network error, 408, 429 or 5xx is retried with
 * exponential backoff (1s doubling up to {@code maxBackoff}) up to {@code attempts}; another answer
 * gives up at once. Failures count in {@code review_notification_failures_total{channel,reason}},
 * given-up messages in {@code review_notifications_given_up_total{channel}}.
 */
public final class Notifier implements ReviewLog.Listener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    private final JobConfig config;
    private final NotificationSettings settings;
    private final ReviewState state;
    private final Consumer<ReviewEvent> record;
    private final LongSupplier clock;
    private final NotificationMessages messages;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(10))
                    // A redirect would carry the secret to wherever it points.
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
    private final List<Worker> workers = new ArrayList<>();
    private final Counter sent;
    private final Counter failures;
    private final Counter givenUp;
    private final Counter skipped;
    private final Duration firstBackoff;

    /** Why an attempt failed ({@code review_notification_failures_total{reason}}). */
    enum Failure {
        /** No answer: connection refused, timeout. */
        NETWORK,
        /** 408, 429 or 5xx: retried. */
        HTTP_STATUS,
        /** Another non-2xx answer: given up at once. */
        REJECTED,
        /** The claim could not be written to the reviews topic: retried, nothing sent. */
        RECORD,
        /** Anything else the worker caught. */
        ERROR
    }

    /**
     * @param record appends a review event (the NOTIFIED claim) to the reviews topic and the state
     * @param env reads an environment variable (a channel's {@code secretEnv})
     * @param clock wall clock, epoch ms: the claims' time and the age of records ({@code maxAge})
     */
    public Notifier(
            JobConfig config,
            ReviewState state,
            Consumer<ReviewEvent> record,
            CollectorRegistry registry,
            Function<String, String> env,
            LongSupplier clock) {
        this(config, state, record, registry, env, clock, Duration.ofSeconds(1));
    }

    Notifier(
            JobConfig config,
            ReviewState state,
            Consumer<ReviewEvent> record,
            CollectorRegistry registry,
            Function<String, String> env,
            LongSupplier clock,
            Duration firstBackoff) {
        this.config = config;
        this.settings = config.notifications();
        this.state = state;
        this.record = record;
        this.clock = clock;
        this.messages = new NotificationMessages(config);
        this.firstBackoff = firstBackoff;
        this.sent =
                Counter.build("review_notifications_sent_total", "Notifications a channel took")
                        .labelNames("channel")
                        .register(registry);
        this.failures =
                Counter.build(
                                "review_notification_failures_total",
                                "Failed attempts to send a notification, by channel and reason")
                        .labelNames("channel", "reason")
                        .register(registry);
        this.givenUp =
                Counter.build(
                                "review_notifications_given_up_total",
                                "Notifications not sent after every attempt (alert on it)")
                        .labelNames("channel")
                        .register(registry);
        this.skipped =
                Counter.build(
                                "review_notifications_skipped_total",
                                "Events not notified because their record was older than"
                                        + " notifications.maxAge when read")
                        .labelNames("channel")
                        .register(registry);
        Gauge pending =
                Gauge.build("review_notifications_pending", "Notifications waiting to be sent")
                        .labelNames("channel")
                        .register(registry);
        for (NotificationChannel c : settings.channels()) {
            workers.add(new Worker(c, secret(c, env)));
        }
        for (Worker w : workers) {
            sent.labels(w.name);
            givenUp.labels(w.name);
            skipped.labels(w.name);
            for (Failure f : Failure.values()) failures.labels(w.name, label(f));
            pending.setChild(
                    new Gauge.Child() {
                        @Override
                        public double get() {
                            return w.queue.pending();
                        }
                    },
                    w.name);
        }
    }

    private static String label(Failure f) {
        return f.name().toLowerCase(Locale.ROOT);
    }

    /** The channel's secret from its variable or file; a one-line error when it is not there. */
    private static String secret(NotificationChannel c, Function<String, String> env) {
        String what = "notifications channel " + c.name();
        String value;
        if (c.secretEnv() != null) {
            value = env.apply(c.secretEnv());
            if (value == null || value.isBlank()) {
                throw new ConfigException(
                        what + ": the environment variable " + c.secretEnv() + " is not set");
            }
        } else if (c.secretFile() != null) {
            try {
                value = Files.readString(Path.of(c.secretFile()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(
                        what + ": cannot read secretFile " + c.secretFile() + " (" + e + ")");
            }
            if (value.isBlank()) {
                throw new ConfigException(what + ": secretFile " + c.secretFile() + " is empty");
            }
        } else {
            return null;
        }
        return value.strip();
    }

    /** Where a channel's messages go; checked to be https (plain http to loopback only). */
    private static URI url(NotificationChannel c, String secret) {
        String url =
                switch (c.type()) {
                    case SLACK -> secret;
                    case WEBHOOK -> c.url();
                    case PAGERDUTY ->
                            c.url() != null ? c.url() : NotificationChannel.PAGERDUTY_EVENTS;
                };
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            // Not the text itself: for Slack the URL is the secret.
            throw new ConfigException(
                    "notifications channel " + c.name() + ": the URL is not a valid URL");
        }
        // The message names the channel, not the URL: for Slack the URL is the secret.
        return HttpServers.secureUrl(uri, "notifications channel " + c.name());
    }

    /** Starts sending: call once the log's first load is done, so every claim is known. */
    public void start() {
        for (Worker w : workers) w.queue.start();
    }

    @Override
    public void incident(IncidentEvent e, long written) {
        Notification n = Notification.of(e);
        if (n != null) submit(n, written);
    }

    @Override
    public void review(ReviewEvent r, long written) {
        Notification n = Notification.of(r, state.incident(r.incidentId()), config.environment());
        if (n != null) submit(n, written);
    }

    private void submit(Notification n, long written) {
        boolean stale = clock.getAsLong() - written > settings.maxAge().toMillis();
        for (Worker w : workers) {
            if (stale) skipped.labels(w.name).inc();
            else w.queue.submit(n);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Worker w : workers) w.queue.close();
    }

    /** One channel: its queue and thread. */
    private final class Worker {
        final NotificationChannel channel;
        final String name;
        final String secret;
        final URI url;
        final RetryingWorker<Notification> queue;
        // Claimed in this run: a later attempt must not claim again.
        private final java.util.Set<String> claimed =
                java.util.concurrent.ConcurrentHashMap.newKeySet();

        Worker(NotificationChannel channel, String secret) {
            this.channel = channel;
            this.name = channel.name();
            this.secret = secret;
            this.url = url(channel, secret);
            this.queue =
                    new RetryingWorker<>(
                            "notify-" + name,
                            n -> state.notified(name, n.key()),
                            this::attempt,
                            new RetryingWorker.Outcomes<>() {
                                @Override
                                public void failed(Notification n, String reason) {
                                    failures.labels(name, reason).inc();
                                }

                                @Override
                                public void givenUp(Notification n, int attempts, String why) {
                                    givenUp.labels(name).inc();
                                    claimed.remove(n.key());
                                    LOG.warn(
                                            "gave up notifying {} of {} after {} attempt(s): {}",
                                            name,
                                            n.key(),
                                            attempts,
                                            why);
                                }
                            },
                            firstBackoff,
                            settings.maxBackoff(),
                            settings.attempts());
        }

        /** Claims the notification (once), then sends it. */
        private void attempt(Notification n) throws RetryingWorker.Failed, InterruptedException {
            if (!claimed.contains(n.key())) {
                try {
                    record.accept(
                            ReviewEvent.notified(n.incidentId(), name, n.key(), clock.getAsLong()));
                } catch (RuntimeException e) {
                    throw failed(Failure.RECORD, true, "could not record the claim: " + e);
                }
                claimed.add(n.key());
            }
            HttpResponse<Void> r;
            try {
                HttpRequest request = messages.request(channel, url, secret, n);
                r = http.send(request, HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // Not the message: it could name the URL, which for Slack is the secret.
                throw failed(Failure.NETWORK, true, e.getClass().getSimpleName());
            }
            int code = r.statusCode();
            if (code / 100 != 2) {
                boolean retry = code == 408 || code == 429 || code >= 500;
                throw failed(retry ? Failure.HTTP_STATUS : Failure.REJECTED, retry, "HTTP " + code);
            }
            claimed.remove(n.key());
            sent.labels(name).inc();
        }
    }

    private static RetryingWorker.Failed failed(Failure why, boolean retry, String message) {
        return new RetryingWorker.Failed(label(why), retry, message);
    }
}
