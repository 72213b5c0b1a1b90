package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.config.NotificationChannel;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentStatus;
import io.prometheus.client.CollectorRegistry;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The notifications' settings, secrets, URL rules and messages, without a network. */
class NotifierTest {
    private static final String BASE =
            """
            environment: prod
            topics:
              metrics: {name: prod.metrics}
              auth: {name: prod.auth}
              logs: {name: prod.logs}
              changes: {name: prod.changes}
              incidents: prod.incidents
              deadLetter: prod.dead-letter
            services:
              database: {displayName: Database}
            """;

    private static JobConfig config(String notifications) {
        return JobConfigLoader.parse(BASE + notifications, "notify.yaml");
    }

    private static Notifier notifier(JobConfig config, Map<String, String> env) {
        return new Notifier(
                config,
                new ReviewState(),
                r -> {},
                new CollectorRegistry(),
                env::get,
                System::currentTimeMillis);
    }

    private static Notification opened(String title) {
        return new Notification(
                "prod-1/OPENED/1",
                Notification.Kind.OPENED,
                "prod-1",
                "prod",
                IncidentStatus.INVESTIGATING,
                title,
                CauseKind.RESOURCE_SATURATION,
                "database",
                0.8,
                null,
                1_708_068_360_000L);
    }

    /** An engineer's (alice's) root-cause decision, as the reviews topic holds it. */
    static ReviewEvent decision(
            String id, String incident, ReviewEvent.Action action, CauseKind kind, String service) {
        return new ReviewEvent(
                id,
                incident,
                action,
                "alice",
                System.currentTimeMillis(),
                kind,
                service,
                null,
                null,
                List.of(),
                null,
                null,
                null,
                List.of(),
                ReviewEvent.Auth.PASSWORD,
                null);
    }

    @Test
    void notificationsAreOffByDefault() {
        JobConfig config = config("");
        assertThat(config.notifications().channels()).isEmpty();
        assertThat(config.notifications().attempts()).isEqualTo(6);
    }

    @Test
    void aChannelNeedsItsSecretOutsideTheJobFileAndAPublicUrl() {
        assertThatThrownBy(
                        () ->
                                config(
                                        """
notifications:
  channels:
    - {name: chat, type: slack, url: 'https://hooks.slack.com/services/x'}
    - {name: pd, type: pagerduty}
    - {name: pd, type: webhook}
"""))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("notifications.publicUrl: give the review service's address")
                .hasMessageContaining(
                        "notifications.channels[0].url: a Slack webhook's URL is its secret")
                .hasMessageContaining(
                        "notifications.channels[1]: give one of secretEnv (an environment variable)"
                                + " and secretFile (a file) holding the integration's routing key")
                .hasMessageContaining("notifications.channels[2].name: 'pd' names two channels")
                .hasMessageContaining("notifications.channels[2].url: missing");
    }

    @Test
    void channelsNeedHttpsExceptToLoopbackAndTheirSecretAtStart() {
        String webhook =
                """
                notifications:
                  publicUrl: https://review.example.com
                  channels:
                    - {name: hook, type: webhook, url: '%s'}
                """;
        for (String ok :
                List.of("https://hooks.example.com/x", "http://127.0.0.1:9/x", "http://[::1]/x")) {
            assertThat(notifier(config(webhook.formatted(ok)), Map.of())).as(ok).isNotNull();
        }
        for (String bad :
                List.of("http://hooks.example.com/x", "ftp://127.0.0.1/x", "http://10.0.0.1/x")) {
            assertThatThrownBy(() -> notifier(config(webhook.formatted(bad)), Map.of()))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(
                            "notifications channel hook: give an https:// URL (plain http only to"
                                    + " a loopback address, for tests)");
        }
        JobConfig slack =
                config(
                        """
                        notifications:
                          publicUrl: https://review.example.com
                          channels:
                            - {name: chat, type: slack, secretEnv: SLACK_URL}
                        """);
        assertThatThrownBy(() -> notifier(slack, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "notifications channel chat: the environment variable SLACK_URL is not"
                                + " set");
        // The Slack URL is the secret: the refusal does not repeat it.
        assertThatThrownBy(
                        () -> notifier(slack, Map.of("SLACK_URL", "http://hooks.slack.com/T/B/s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("hooks.slack.com");
    }

    private static JsonNode body(HttpRequest r) throws Exception {
        List<ByteBuffer> parts = new ArrayList<>();
        r.bodyPublisher()
                .orElseThrow()
                .subscribe(
                        new Flow.Subscriber<>() {
                            @Override
                            public void onSubscribe(Flow.Subscription s) {
                                s.request(Long.MAX_VALUE);
                            }

                            @Override
                            public void onNext(ByteBuffer b) {
                                parts.add(b);
                            }

                            @Override
                            public void onError(Throwable t) {}

                            @Override
                            public void onComplete() {}
                        });
        StringBuilder s = new StringBuilder();
        for (ByteBuffer b : parts) s.append(StandardCharsets.UTF_8.decode(b));
        return OutputJson.mapper().readTree(s.toString());
    }

    @Test
    void slackTextCannotPingOrLinkFromALogLine() throws Exception {
        JobConfig config =
                config(
                        """
                        notifications:
                          publicUrl: https://review.example.com/
                          channels:
                            - {name: chat, type: slack, secretEnv: SLACK_URL}
                        """);
        NotificationMessages m = new NotificationMessages(config);
        HttpRequest r =
                m.request(
                        config.notifications().channels().get(0),
                        URI.create("https://hooks.example.com/x"),
                        "https://hooks.example.com/x",
                        opened("<!channel> <https://evil.example|click> & co"));
        String text = body(r).path("text").asText();
        assertThat(text)
                .isEqualTo(
                        "[prod] *Incident opened*: <https://review.example.com/incidents/prod-1|"
                                + "&lt;!channel&gt; &lt;https://evil.example¦click&gt; &amp; co>");
    }

    @Test
    void pagerDutyAcknowledgesAndResolvesByTheIncidentIdAlone() throws Exception {
        JobConfig config =
                config(
                        """
                        notifications:
                          publicUrl: https://review.example.com
                          channels:
                            - {name: pd, type: pagerduty, secretEnv: PD_KEY}
                        """);
        NotificationChannel pd = config.notifications().channels().get(0);
        NotificationMessages m = new NotificationMessages(config);
        URI url = URI.create(NotificationChannel.PAGERDUTY_EVENTS);
        JsonNode trigger = body(m.request(pd, url, "key", opened("Database slow")));
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo("prod-1");
        assertThat(trigger.at("/payload/summary").asText())
                .isEqualTo("[prod] Incident opened: Database slow");
        assertThat(trigger.at("/payload/timestamp").asText()).isEqualTo("2024-02-16T07:26:00Z");
        assertThat(trigger.at("/payload/component").asText()).isEqualTo("database");

        Notification decided =
                Notification.of(
                        decision(
                                "r1",
                                "prod-1",
                                ReviewEvent.Action.OVERRIDE_ROOT_CAUSE,
                                CauseKind.BAD_DEPLOY,
                                "database"),
                        null,
                        "prod");
        JsonNode ack = body(m.request(pd, url, "key", decided));
        assertThat(ack.properties().stream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrder("routing_key", "event_action", "dedup_key");
        assertThat(ack.path("event_action").asText()).isEqualTo("acknowledge");
        assertThat(NotificationMessages.headline(decided)).isEqualTo("Root cause decided by alice");
    }
}
