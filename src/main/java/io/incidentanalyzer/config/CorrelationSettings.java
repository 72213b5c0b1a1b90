package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How signals become incidents ({@code correlation:} in the job file).
 *
 * @param quietPeriod once every signal of an incident has cleared, the incident is MONITORING for
 *     this long in event time; a signal that opens meanwhile reopens it (flapping never spawns a
 *     new incident), otherwise it is RESOLVED when the period ends
 */
public record CorrelationSettings(Duration quietPeriod) implements Serializable {
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMinutes(15);

    public CorrelationSettings {
        quietPeriod = quietPeriod == null ? DEFAULT_QUIET_PERIOD : quietPeriod;
    }

    static CorrelationSettings defaults() {
        return new CorrelationSettings(null);
    }
}
