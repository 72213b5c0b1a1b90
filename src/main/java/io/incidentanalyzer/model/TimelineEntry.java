package io.incidentanalyzer.model;

import java.util.List;

/**
 * One line of a drafted timeline.
 *
 * @param ts event time the line is about, epoch ms
 * @param day the day in the job's time zone, e.g. "Friday 16 February 2024"
 * @param time the time of day in the job's zone and clock, e.g. "8:26 AM"
 * @param text the sentence
 * @param signals ids of the signals behind it
 */
public record TimelineEntry(long ts, String day, String time, String text, List<String> signals) {
    public TimelineEntry {
        signals = List.copyOf(signals);
    }
}
