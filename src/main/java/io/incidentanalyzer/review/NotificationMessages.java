package io.incidentanalyzer.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.NotificationChannel;
import io.incidentanalyzer.job.OutputJson;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@link Notification} into the request of one channel type: a Slack-compatible incoming
 * webhook ({@code {"text": ...}}), a generic JSON webhook (the facts as fields), or a PagerDuty
 * Events API v2 event (trigger, acknowledge or resolve, with the incident id as dedup key). The
 * words are written here and only here; every message links to the incident's review page.
 */
final class NotificationMessages {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final JobConfig config;
    private final String publicUrl;
    private final ObjectMapper json = OutputJson.mapper();

    NotificationMessages(JobConfig config) {
        this.config = config;
        String base = config.notifications().publicUrl();
        this.publicUrl =
                base == null
                        ? ""
                        : base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** The incident's review page. */
    String link(String incidentId) {
        return publicUrl
                + "/incidents/"
                + URLEncoder.encode(incidentId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What happened, in a few words: "Incident opened", "Root cause decided by alice". */
    static String headline(Notification n) {
        return switch (n.kind()) {
            case OPENED -> "Incident opened";
            case IDENTIFIED -> "Root cause identified";
            case ROOT_CAUSE_CHANGED -> "Root cause changed";
            case ROOT_CAUSE_DECIDED -> "Root cause decided by " + n.actor();
            case RESOLVED -> "Incident resolved";
        };
    }

    /** The cause in words ("saturation under its own load on Orders"), or null. */
    String cause(Notification n) {
        if (n.causeKind() == null) return null;
        String words = n.causeKind().words() + " on " + config.displayName(n.causeService());
        return Double.isNaN(n.confidence())
                ? words
                : words + String.format(Locale.ROOT, " (confidence %.2f)", n.confidence());
    }

    /** One line: "[prod] Root cause identified: title — cause". */
    String summary(Notification n) {
        String cause = cause(n);
        return "["
                + n.environment()
                + "] "
                + headline(n)
                + ": "
                + n.title()
                + (cause == null || n.kind() == Notification.Kind.OPENED ? "" : " — " + cause);
    }

    /** The request that tells {@code channel} of {@code n}; {@code secret} as the type uses it. */
    HttpRequest request(NotificationChannel channel, URI url, String secret, Notification n)
            throws JsonProcessingException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(url)
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "incident-analyzer");
        Object body =
                switch (channel.type()) {
                    case SLACK -> slack(n);
                    case WEBHOOK -> webhook(n);
                    case PAGERDUTY -> pagerDuty(n, secret);
                };
        if (channel.type() == NotificationChannel.Type.WEBHOOK) {
            // Lets a receiver drop a repeat; the same key for the same event after a restart.
            b.header("Idempotency-Key", n.key());
            if (secret != null) b.header("Authorization", "Bearer " + secret);
        }
        return b.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
    }

    /**
     * Slack's text is mrkdwn: {@code <url|label>} is a link and {@code <!channel>} pings everyone,
     * so text from logs (the title) has its {@code & < >} escaped, as Slack asks.
     */
    static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private Map<String, Object> slack(Notification n) {
        String cause = cause(n);
        StringBuilder text =
                new StringBuilder()
                        .append('[')
                        .append(slackEscape(n.environment()))
                        .append("] *")
                        .append(slackEscape(headline(n)))
                        .append("*: <")
                        .append(link(n.incidentId()))
                        .append('|')
                        // '|' would end the link's label early.
                        .append(slackEscape(n.title()).replace("|", "¦"))
                        .append('>');
        if (cause != null && n.kind() != Notification.Kind.OPENED)
            text.append(" — ").append(slackEscape(cause));
        return Map.of("text", text.toString());
    }

    private Map<String, Object> webhook(Notification n) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", n.kind().name().toLowerCase(Locale.ROOT));
        out.put("key", n.key());
        out.put("text", summary(n));
        out.put("incidentId", n.incidentId());
        out.put("environment", n.environment());
        out.put("status", n.status() == null ? null : n.status().name());
        out.put("title", n.title());
        if (n.causeKind() != null) {
            Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("kind", n.causeKind().name());
            cause.put("service", n.causeService());
            cause.put("serviceName", config.displayName(n.causeService()));
            if (!Double.isNaN(n.confidence())) cause.put("confidence", n.confidence());
            out.put("rootCause", cause);
        }
        out.put("actor", n.actor());
        out.put("at", Instant.ofEpochMilli(n.at()).toString());
        out.put("url", link(n.incidentId()));
        return out;
    }

    /**
     * A PagerDuty event. Opened, identified and a changed root cause trigger (the later ones add to
     * the open alert: same dedup key); an engineer's decision acknowledges, since PagerDuty stops
     * escalating an acknowledged alert and only a person should do that; resolved resolves.
     */
    private Map<String, Object> pagerDuty(Notification n, String routingKey) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("routing_key", routingKey);
        out.put(
                "event_action",
                switch (n.kind()) {
                    case OPENED, IDENTIFIED, ROOT_CAUSE_CHANGED -> "trigger";
                    case ROOT_CAUSE_DECIDED -> "acknowledge";
                    case RESOLVED -> "resolve";
                });
        out.put("dedup_key", n.incidentId());
        // Acknowledge and resolve name the alert and nothing else (Events API v2).
        if (n.kind() == Notification.Kind.ROOT_CAUSE_DECIDED
                || n.kind() == Notification.Kind.RESOLVED) return out;
        out.put("client", "incident-analyzer");
        out.put("client_url", link(n.incidentId()));
        out.put("links", List.of(Map.of("href", link(n.incidentId()), "text", "Incident review")));
        Map<String, Object> payload = new LinkedHashMap<>();
        String summary = summary(n);
        // PagerDuty refuses a summary over 1024 characters.
        payload.put(
                "summary", summary.length() > 1024 ? summary.substring(0, 1021) + "…" : summary);
        payload.put("source", n.environment());
        payload.put("severity", "error");
        payload.put("timestamp", Instant.ofEpochMilli(n.at()).toString());
        if (n.causeService() != null) payload.put("component", n.causeService());
        if (n.causeKind() != null) payload.put("class", n.causeKind().name());
        payload.put("group", n.environment());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("incident", n.incidentId());
        details.put("status", n.status() == null ? null : n.status().name());
        String cause = cause(n);
        if (cause != null) details.put("root cause", cause);
        payload.put("custom_details", details);
        out.put("payload", payload);
        return out;
    }
}
