package io.incidentanalyzer.model;

import java.util.List;

/**
 * A detector's finding about one subject of one service, reported when it opens, when its figures
 * change and when it clears. Every field is derived from event time and the input, so replaying the
 * same input yields the same signals with the same ids.
 *
 * @param id deterministic: kind, environment, service, subject and onset
 * @param subject what the signal is about within the service, in words, e.g. the metric name: its
 *     display and id form; consumers decide on {@code measured}
 * @param ts event time of this report (the sample that confirmed the state change)
 * @param onset event time the episode began (first sample past the ceiling)
 * @param peakTs event time of the highest value seen so far
 * @param value the latest value
 * @param baseline the reference the value is compared with (for saturation: the ceiling)
 * @param ratio peak divided by baseline
 * @param evidence short human-readable facts behind the signal
 * @param recoveredAt for a CLEAR: event time the condition ended, i.e. the start of the calm that
 *     confirmed the clear (or the last sample, when silence cleared it); -1 otherwise
 * @param measured what the signal measured, as typed fields (the subject is their display form)
 * @param heavyHitter for a refresh storm, the value behind most of its excess; null when none
 *     carries the reporting share, and for every other kind
 */
public record Signal(
        String id,
        SignalKind kind,
        String environment,
        String service,
        String subject,
        SignalState state,
        long ts,
        long onset,
        long peakTs,
        double peak,
        double value,
        double baseline,
        double ratio,
        Severity severity,
        List<String> evidence,
        long recoveredAt,
        Measured measured,
        HeavyHitter heavyHitter) {}
