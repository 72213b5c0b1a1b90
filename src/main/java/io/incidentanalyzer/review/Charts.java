package io.incidentanalyzer.review;

import io.incidentanalyzer.model.Signal;
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
}
