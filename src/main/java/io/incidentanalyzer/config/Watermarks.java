package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Event-time settings of the input sources.
 *
 * @param maxOutOfOrderness how far behind the newest event an event may arrive and still count
 * @param idleTimeout after this much wall time without records, a partition read to its end stops
 *     holding the watermark back (the only processing-time setting: it decides when to stop
 *     waiting); a Kafka partition with nothing to read at all stops at once (see {@code
 *     ingest.TailAwareWatermarks})
 */
public record Watermarks(Duration maxOutOfOrderness, Duration idleTimeout) implements Serializable {
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    public Watermarks {
        maxOutOfOrderness =
                maxOutOfOrderness == null ? DEFAULT_MAX_OUT_OF_ORDERNESS : maxOutOfOrderness;
        idleTimeout = idleTimeout == null ? DEFAULT_IDLE_TIMEOUT : idleTimeout;
    }

    static Watermarks defaults() {
        return new Watermarks(null, null);
    }
}
