package io.incidentanalyzer.review;

import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalSeries;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small server-rendered SVG charts; no script, nothing fetched. This class lays them out; the
 * templates {@code review/chart-around.mustache} and {@code review/chart-series.mustache} draw
 * them.
 */
final class Charts {
    private Charts() {}

    /** A signal's figures side by side: its label and one bar a figure. */
    public record Around(String label, List<Bar> bars) {}

    /** One figure's label, its bar and its value, on a row starting at {@code y}. */
    public record Bar(
            String name,
            int y,
            int textY,
            String width,
            String fill,
            String valueX,
            String value) {}

    /** A series' line: sizes, the highest value, the baseline, the points and the end times. */
    public record Series(
            String label,
            int width,
            int height,
            int right,
            String max,
            String baselineY,
            String points,
            int timeY,
            String from,
            String to) {}

    /**
     * A signal's figures side by side: its baseline (the usual value, or the ceiling), its peak and
     * its latest value, on one scale.
     */
    static Around around(Signal s) {
        double max = Math.max(Math.max(s.peak(), s.value()), Math.max(s.baseline(), 1e-9));
        String[] labels = {"usual", "peak", "latest"};
        double[] values = {s.baseline(), s.peak(), s.value()};
        String[] colors = {"#9ca3af", "#dc2626", "#2563eb"};
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            double w = Math.max(1, 150 * values[i] / max);
            int y = 4 + i * 20;
            bars.add(
                    new Bar(
                            labels[i],
                            y,
                            y + 11,
                            decimal(w),
                            colors[i],
                            decimal(48 + w),
                            number(values[i])));
        }
        return new Around(s.service() + " " + s.subject(), bars);
    }

    static String number(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%,.0f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String decimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * A series as a line over its reports' event times, with its baseline dashed; the first and
     * last times and the highest value are labelled. Null for an empty series.
     */
    static Series series(SignalSeries s, DateTimeFormatter time) {
        int n = s.values().size();
        if (n == 0) return null;
        double max = s.baseline();
        for (double v : s.values()) max = Math.max(max, v);
        if (max <= 0) max = 1;
        long t0 = s.ts().get(0);
        long t1 = Math.max(t0 + 1, s.ts().get(n - 1));
        int w = 300;
        int h = 60;
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double x = 40 + (w - 50) * (double) (s.ts().get(i) - t0) / (t1 - t0);
            double y = 8 + (h - 16) * (1 - s.values().get(i) / max);
            pts.append(decimal(x)).append(',').append(decimal(y)).append(' ');
        }
        return new Series(
                s.service() + " " + s.subject(),
                w,
                h + 14,
                w - 10,
                number(max),
                decimal(8 + (h - 16) * (1 - s.baseline() / max)),
                pts.toString().trim(),
                h + 12,
                time.format(Instant.ofEpochMilli(t0)),
                time.format(Instant.ofEpochMilli(t1)));
    }
}
