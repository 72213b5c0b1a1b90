package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;

/**
 * One bounded resource the saturation detector watches: the series opens a signal after it stays at
 * or above {@code ceiling} for {@code sustain}, and clears after it stays at or below {@code
 * clearBelow} for {@code clearAfter}. The gap between ceiling and clear level is the hysteresis
 * that keeps a value hovering at the ceiling from flapping.
 *
 * @param service the service whose metric is watched; {@code "*"} watches every service
 * @param noDataAfter an open signal clears, and a pending one is dropped, when the series sends
 *     nothing for this long in event time
 */
public record SaturationRule(
        String name,
        String service,
        String metric,
        Double ceiling,
        Duration sustain,
        Double clearBelow,
        Duration clearAfter,
        Duration noDataAfter,
        Severity severity)
        implements MetricRule, Serializable {

    public static final Duration DEFAULT_SUSTAIN = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CLEAR_AFTER = Duration.ofSeconds(120);
    public static final Duration DEFAULT_NO_DATA_AFTER = Duration.ofMinutes(5);

    public SaturationRule {
        service = service == null ? ANY_SERVICE : service;
        sustain = sustain == null ? DEFAULT_SUSTAIN : sustain;
        clearAfter = clearAfter == null ? DEFAULT_CLEAR_AFTER : clearAfter;
        noDataAfter = noDataAfter == null ? DEFAULT_NO_DATA_AFTER : noDataAfter;
        severity = severity == null ? Severity.MAJOR : severity;
    }
}
