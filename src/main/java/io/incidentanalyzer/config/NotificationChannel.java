package io.incidentanalyzer.config;

import java.io.Serializable;

/**
 * One place notifications go. The secret never sits in the job file: it is read at the review
 * service's start from an environment variable ({@code secretEnv}) or a file ({@code secretFile}).
 *
 * @param name unique among the channels; names the channel in metrics and in the reviews topic
 * @param type slack: a Slack-compatible incoming webhook, whose URL is the secret; webhook: a
 *     generic JSON POST to {@code url}, the secret (optional) sent as a Bearer token; pagerduty:
 *     PagerDuty Events API v2, the secret is the integration's routing key
 * @param url webhook: the receiver's URL; pagerduty: the Events API (default {@link
 *     #PAGERDUTY_EVENTS}); not for slack
 */
public record NotificationChannel(
        String name, Type type, String url, String secretEnv, String secretFile)
        implements Serializable {

    public static final String PAGERDUTY_EVENTS = "https://events.pagerduty.com/v2/enqueue";

    /** The kinds of channel. */
    public enum Type {
        SLACK,
        WEBHOOK,
        PAGERDUTY
    }
}
