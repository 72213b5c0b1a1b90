package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;

/**
 * One queue the backlog detector watches (docs/detectors.md#backlog-growth): the series' last value
 * in each {@code interval} is a step; the signal opens when, over the last {@code intervals} steps,
 * the value rose in at least three quarters of them, by at least {@code minGrowth} in all, and
 * stands at or above {@code minDepth}. It clears once the value is back at or below its level at
 * the onset (or {@code minDepth}) for {@code clearAfter}.
 *
 * @param service the service; {@code "*"} watches every service
 */
public record BacklogRule(
        String name,
        String service,
        String metric,
        Duration interval,
        Integer intervals,
        Double minGrowth,
        Double minDepth,
        Duration clearAfter,
        Duration noDataAfter,
        Severity severity)
        implements MetricRule, Serializable {

    public BacklogRule {
        service = service == null ? ANY_SERVICE : service;
        interval = interval == null ? Duration.ofSeconds(10) : interval;
        intervals = intervals == null ? 4 : intervals;
        minGrowth = minGrowth == null ? 0.0 : minGrowth;
        minDepth = minDepth == null ? 0.0 : minDepth;
        clearAfter = clearAfter == null ? Duration.ofMinutes(2) : clearAfter;
        noDataAfter = noDataAfter == null ? Duration.ofMinutes(5) : noDataAfter;
        severity = severity == null ? Severity.MAJOR : severity;
    }
}
