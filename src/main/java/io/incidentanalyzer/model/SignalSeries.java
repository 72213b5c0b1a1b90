package io.incidentanalyzer.model;

import java.util.List;

/**
 * The figures of one signal as the incident's events reported them, for a small chart: its value at
 * each report, against its baseline.
 *
 * @param signal the signal's id
 * @param ts event times of the reports, epoch ms, ascending
 * @param values the signal's value in each report
 */
public record SignalSeries(
        String signal,
        String service,
        String subject,
        double baseline,
        List<Long> ts,
        List<Double> values) {
    public SignalSeries {
        ts = List.copyOf(ts);
        values = List.copyOf(values);
    }
}
