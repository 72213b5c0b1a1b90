package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Who the review service tells when an incident opens, is identified, changes root cause, has its
 * root cause decided by an engineer, and resolves (docs/formats.md#notifications). Read by the
 * review service only; the job ignores it.
 *
 * @param publicUrl the review service's address as people reach it (e.g. {@code
 *     https://review.example.com}); every message links to {@code <publicUrl>/incidents/<id>}
 * @param maxAge incident events and engineers' actions written to Kafka longer ago than this (by
 *     the record's timestamp, at the review service's start or later) are not notified: a first
 *     start on a topic with months of history, or a long outage, must not page anyone for the past
 * @param attempts attempts per message before it is given up
 * @param maxBackoff the longest wait between two attempts (the wait doubles from 1s up to this)
 * @param channels where messages go; none: no notifications
 */
public record NotificationSettings(
        String publicUrl,
        Duration maxAge,
        Integer attempts,
        Duration maxBackoff,
        List<NotificationChannel> channels)
        implements Serializable {

    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);
    public static final int DEFAULT_ATTEMPTS = 6;
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(1);

    public NotificationSettings {
        maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
        attempts = attempts == null ? DEFAULT_ATTEMPTS : attempts;
        maxBackoff = maxBackoff == null ? DEFAULT_MAX_BACKOFF : maxBackoff;
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    static NotificationSettings defaults() {
        return new NotificationSettings(null, null, null, null, null);
    }
}
