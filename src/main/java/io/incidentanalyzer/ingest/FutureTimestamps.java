package io.incidentanalyzer.ingest;

import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Input admission of event time: a record dated more than {@code limits.maxFuture} ahead is turned
 * into a FUTURE_TIMESTAMP rejection inside the source, before timestamps are assigned, so that no
 * watermark generator ever sees its time. Admitted, one such record (a metric dated 2099) would
 * move its partition's watermark years ahead and make every later valid record of it late.
 *
 * <p>On Kafka the reference is the wall clock ({@link #admit}): no honest producer writes a record
 * dated after the moment it is read. It is the one place the job reads wall time, and it only
 * decides admission, never detection. A replay has no "now": it judges a record against its own
 * file instead ({@code replay.JsonLinesFormat}), with {@link #jumpsAhead} and {@link #reject}, and
 * stays deterministic.
 */
public final class FutureTimestamps implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration maxFuture;
    private final WallClock clock;

    public FutureTimestamps(Duration maxFuture, WallClock clock) {
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    /**
     * {@code d}, or its FUTURE_TIMESTAMP rejection when it is dated more than maxFuture ahead of
     * the wall clock. Rejections pass unchanged.
     */
    public Decoded admit(Decoded d, String topic, int partition, long offset, byte[] value) {
        if (d.isRejected()) return d;
        long now = clock.millis();
        if (!jumpsAhead(d.ts(), now, maxFuture)) return d;
        return reject(
                d,
                "the wall clock " + Instant.ofEpochMilli(now),
                maxFuture,
                topic,
                partition,
                offset,
                value);
    }

    /** Whether {@code ts} is more than {@code maxFuture} ahead of {@code reference}. */
    public static boolean jumpsAhead(long ts, long reference, Duration maxFuture) {
        return ts - reference > maxFuture.toMillis();
    }

    /** The FUTURE_TIMESTAMP rejection of {@code d}, dated too far ahead of {@code reference}. */
    public static Decoded reject(
            Decoded d,
            String reference,
            Duration maxFuture,
            String topic,
            int partition,
            long offset,
            byte[] value) {
        return Decoded.rejected(
                DeadLetters.of(
                        RejectReason.FUTURE_TIMESTAMP,
                        "ts "
                                + Instant.ofEpochMilli(d.ts())
                                + " is more than "
                                + DurationText.format(maxFuture)
                                + " (limits.maxFuture) ahead of "
                                + reference,
                        topic,
                        partition,
                        offset,
                        value));
    }
}
