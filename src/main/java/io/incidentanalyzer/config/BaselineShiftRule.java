package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;

/**
 * One kind of series the baseline-shift detector watches (docs/detectors.md#baseline-shift). A
 * sample counts as shifted when it is at least {@code minDeviation} robust spreads from the series'
 * baseline in the watched direction, at least {@code minChange} (relative) and {@code minDelta}
 * (absolute, in the metric's units) away from it. The signal opens after shifted samples for {@code
 * sustain}, and clears after {@code clearAfter} of samples at less than half those margins (the
 * hysteresis).
 *
 * @param service the service; {@code "*"} watches every service
 * @param relearnAfter a shift that lasts this long is the new normal: the signal clears and the
 *     baseline starts again from the current level
 */
public record BaselineShiftRule(
        String name,
        String service,
        String metric,
        Direction direction,
        Double minDeviation,
        Double minChange,
        Double minDelta,
        Duration sustain,
        Duration clearAfter,
        Duration noDataAfter,
        Duration relearnAfter,
        Severity severity)
        implements MetricRule, Serializable {

    public static final double DEFAULT_MIN_DEVIATION = 6;
    public static final double DEFAULT_MIN_CHANGE = 0.5;

    public BaselineShiftRule {
        service = service == null ? ANY_SERVICE : service;
        direction = direction == null ? Direction.UP : direction;
        minDeviation = minDeviation == null ? DEFAULT_MIN_DEVIATION : minDeviation;
        minChange = minChange == null ? DEFAULT_MIN_CHANGE : minChange;
        minDelta = minDelta == null ? 0.0 : minDelta;
        sustain = sustain == null ? Duration.ofSeconds(30) : sustain;
        clearAfter = clearAfter == null ? Duration.ofMinutes(2) : clearAfter;
        noDataAfter = noDataAfter == null ? Duration.ofMinutes(5) : noDataAfter;
        relearnAfter = relearnAfter == null ? Duration.ofHours(6) : relearnAfter;
        severity = severity == null ? Severity.MAJOR : severity;
    }
}
