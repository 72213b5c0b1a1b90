package io.incidentanalyzer.review;

/** HTML text: everything from logs, signals and people goes through {@link #esc}. */
final class Html {
    private Html() {}

    /** Escapes text for an element body or a quoted attribute value. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A page with the shared stylesheet ({@link #STYLE}, served as {@code /style.css} so that the
     * Content-Security-Policy needs no inline style); {@code title} is escaped, {@code body} is
     * already HTML.
     */
    static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>"
                + esc(title)
                + "</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body>"
                + body
                + "</body></html>";
    }

    /**
     * An engineer page: {@link #page} with the script that keeps it live ({@code /live.js}, see
     * {@link LiveUpdates}).
     */
    static String livePage(String title, String body) {
        return page(title, body)
                .replace("</head>", "<script src=\"/live.js\" defer></script></head>");
    }

    static final String STYLE =
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2937;"
                + "background:#f8fafc}main{max-width:960px;margin:0"
                + " auto;padding:24px}h1{font-size:24px;margin:0 0"
                + " 16px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}"
                + "table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px"
                + " solid #e5e7eb;padding:6px"
                + " 8px;text-align:left;vertical-align:top;font-size:14px}.card{background:#fff;border:1px"
                + " solid #e5e7eb;border-radius:8px;padding:12px 16px;margin:8px 0}"
                + ".muted{color:#6b7280;font-size:13px}"
                + ".banner{padding:16px;border-radius:8px;color:#fff;font-weight:600;font-size:18px}"
                + ".operational{background:#16a34a}.degraded_performance{background:#ca8a04}"
                + ".partial_outage{background:#ea580c}.major_outage{background:#dc2626}"
                + ".state{font-size:13px;font-weight:600}"
                + ".state.operational{color:#16a34a;background:none}"
                + ".state.degraded_performance{color:#ca8a04;background:none}"
                + ".state.partial_outage{color:#ea580c;background:none}"
                + ".state.major_outage{color:#dc2626;background:none}textarea{width:100%;font:13px"
                + " ui-monospace,monospace;box-sizing:border-box}button{padding:6px 12px;margin:4px"
                + " 4px 4px 0}ul.timeline{padding-left:18px}ul.timeline li{margin:2px"
                + " 0;font-size:14px}svg.bars rect{shape-rendering:crispEdges}a{color:#1d4ed8}"
                + ".postmortem{white-space:pre-wrap}";
}
