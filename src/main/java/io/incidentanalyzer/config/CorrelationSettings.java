package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;

/**
 * How signals become incidents and how their root cause is ranked ({@code correlation:} in the job
 * file; docs/formats.md#correlation).
 *
 * @param quietPeriod once every signal of an incident has cleared, the incident is MONITORING for
 *     this long in event time; a related signal that opens meanwhile reopens it (flapping never
 *     spawns a new incident), otherwise it is RESOLVED when the period ends
 * @param gap a signal opening within this long after the last clear always reopens the incident,
 *     related or not; later in the quiet period only a signal on a service linked to the incident's
 *     services through the service graph does, and an unrelated one resolves it and opens a new one
 * @param minSeverity minimum evidence: one open signal of at least this severity opens an incident
 * @param minSignals minimum evidence: or this many open signals of any severity together
 * @param rankWindow signals whose onset is this long after the incident's first one are later
 *     findings: they can be contributing causes, never the root cause
 * @param identifyAt the top root-cause candidate's confidence from which the incident is IDENTIFIED
 * @param identifyAfter how long a confident top candidate must stay on top before the incident is
 *     IDENTIFIED; a self-evident cause (a refresh storm, a wrong host, missing tokens, a deploy
 *     just before the onset) is identified at once
 * @param changeWindow a change this long before a candidate's onset still counts as coinciding
 * @param effectWindow a change's effect is the root-cause signal's value this long after it
 * @param loadMetric the metric that measures work arriving at a service (its request rate): a
 *     service whose load rises with its callers' is loaded by them, not by itself
 * @param errorMetric the metric that measures the share of failed requests: drafts read a shift of
 *     it as an outage (cut-offs in {@code patterns.thresholds}: by default half or more failing is
 *     major, a twentieth partial)
 * @param growingAfter minimum evidence: or one signal below {@code minSeverity} that reports a new
 *     peak at least this long after its onset (a load that keeps growing, docs/detectors.md#slow-
 *     onsets)
 * @param separateAfter concurrent outages: a signal on a service that shares no path in the service
 *     graph with any service of an open incident, and whose onset is more than this apart from that
 *     incident's onset, does not join it: it waits for evidence of its own and opens a separate
 *     incident. Closer in time it joins (one fault can reach unlinked services through what the
 *     graph does not model, a shared host or network, and shows there within the detectors'
 *     confirmation delays). Defaults to {@code gap}, the correlator's one notion of "near in time"
 */
public record CorrelationSettings(
        Duration quietPeriod,
        Duration gap,
        Severity minSeverity,
        Integer minSignals,
        Duration rankWindow,
        Double identifyAt,
        Duration identifyAfter,
        Duration changeWindow,
        Duration effectWindow,
        String loadMetric,
        String errorMetric,
        Duration growingAfter,
        Duration separateAfter)
        implements Serializable {
    public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofMinutes(15);

    public CorrelationSettings {
        quietPeriod = quietPeriod == null ? DEFAULT_QUIET_PERIOD : quietPeriod;
        if (gap == null) {
            gap =
                    quietPeriod.compareTo(Duration.ofMinutes(5)) < 0
                            ? quietPeriod
                            : Duration.ofMinutes(5);
        }
        minSeverity = minSeverity == null ? Severity.MAJOR : minSeverity;
        minSignals = minSignals == null ? 2 : minSignals;
        rankWindow = rankWindow == null ? Duration.ofMinutes(30) : rankWindow;
        identifyAt = identifyAt == null ? 0.6 : identifyAt;
        identifyAfter = identifyAfter == null ? Duration.ofMinutes(2) : identifyAfter;
        changeWindow = changeWindow == null ? Duration.ofMinutes(30) : changeWindow;
        effectWindow = effectWindow == null ? Duration.ofMinutes(2) : effectWindow;
        loadMetric = loadMetric == null ? "request_rate" : loadMetric;
        errorMetric = errorMetric == null ? "error_ratio" : errorMetric;
        growingAfter = growingAfter == null ? Duration.ofMinutes(2) : growingAfter;
        separateAfter = separateAfter == null ? gap : separateAfter;
    }

    /** Every default, with this quiet period. */
    public static CorrelationSettings withQuietPeriod(Duration quietPeriod) {
        return new CorrelationSettings(
                quietPeriod,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static CorrelationSettings defaults() {
        return withQuietPeriod(null);
    }
}
