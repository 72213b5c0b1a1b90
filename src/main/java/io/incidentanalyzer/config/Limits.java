package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Input limits; a record over them goes to the dead-letter topic.
 *
 * @param maxRecordBytes a larger record value is TOO_LARGE
 * @param maxFuture a record dated further ahead is FUTURE_TIMESTAMP: on Kafka ahead of the wall
 *     clock, in a replay ahead of its file's event time (docs/formats.md#limits)
 */
public record Limits(Integer maxRecordBytes, Duration maxFuture) implements Serializable {
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

    /**
     * Five minutes: far above the clock skew of a host whose clock is synchronised (NTP keeps it
     * within a second), so no honest record is refused, and small enough that a record just inside
     * it can make at most five minutes of its partition's later records late.
     */
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);

    public Limits {
        maxRecordBytes = maxRecordBytes == null ? DEFAULT_MAX_RECORD_BYTES : maxRecordBytes;
        maxFuture = maxFuture == null ? DEFAULT_MAX_FUTURE : maxFuture;
    }

    static Limits defaults() {
        return new Limits(null, null);
    }
}
