package io.incidentanalyzer.review;

import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalSeries;
import java.util.Locale;

/** Small server-rendered SVG charts; no script, nothing fetched. */
final class Charts {
    private Charts() {}

    /**
     * A signal's figures side by side: its baseline (the usual value, or the ceiling), its peak and
     * its latest value, on one scale.
     */
    static String around(Signal s) {
        double max = Math.max(Math.max(s.peak(), s.value()), Math.max(s.baseline(), 1e-9));
        String[] labels = {"usual", "peak", "latest"};
        double[] values = {s.baseline(), s.peak(), s.value()};
        String[] colors = {"#9ca3af", "#dc2626", "#2563eb"};
        StringBuilder b =
                new StringBuilder(
                        "<svg class=\"chart\" width=\"260\" height=\"64\" role=\"img\""
                                + " aria-label=\"");
        b.append(Html.esc(s.service() + " " + s.subject())).append("\">");
        for (int i = 0; i < 3; i++) {
            double w = 150 * values[i] / max;
            int y = 4 + i * 20;
            b.append(
                            String.format(
                                    Locale.ROOT,
                                    "<text x=\"0\" y=\"%d\" font-size=\"11\">%s</text>",
                                    y + 11,
                                    labels[i]))
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "<rect x=\"44\" y=\"%d\" width=\"%.1f\" height=\"14\""
                                            + " fill=\"%s\"/>",
                                    y,
                                    Math.max(1, w),
                                    colors[i]))
                    .append(
                            String.format(
                                    Locale.ROOT,
                                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>",
                                    48 + Math.max(1, w),
                                    y + 11,
                                    Html.esc(number(values[i]))));
        }
        return b.append("</svg>").toString();
    }

    static String number(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%,.0f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * A series as a line over its reports' event times, with its baseline dashed; the first and
     * last times and the highest value are labelled.
     */
    static String series(SignalSeries s, java.time.format.DateTimeFormatter time) {
        int n = s.values().size();
        if (n == 0) return "";
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
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        double by = 8 + (h - 16) * (1 - s.baseline() / max);
        StringBuilder b =
                new StringBuilder("<svg class=\"chart series\" width=\"")
                        .append(w)
                        .append("\" height=\"")
                        .append(h + 14)
                        .append("\" role=\"img\" aria-label=\"")
                        .append(Html.esc(s.service() + " " + s.subject()))
                        .append("\">");
        b.append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"0\" y=\"12\" font-size=\"10\">%s</text>",
                                Html.esc(number(max))))
                .append(
                        String.format(
                                Locale.ROOT,
                                "<line x1=\"40\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\""
                                        + " stroke=\"#9ca3af\" stroke-dasharray=\"3 3\"/>",
                                w - 10,
                                by,
                                by))
                .append("<polyline fill=\"none\" stroke=\"#dc2626\" stroke-width=\"1.5\" points=\"")
                .append(pts.toString().trim())
                .append("\"/>")
                .append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"40\" y=\"%d\" font-size=\"10\">%s</text>",
                                h + 12,
                                Html.esc(time.format(java.time.Instant.ofEpochMilli(t0)))))
                .append(
                        String.format(
                                Locale.ROOT,
                                "<text x=\"%d\" y=\"%d\" font-size=\"10\""
                                        + " text-anchor=\"end\">%s</text>",
                                w - 10,
                                h + 12,
                                Html.esc(time.format(java.time.Instant.ofEpochMilli(t1)))));
        return b.append("</svg>").toString();
    }
}
