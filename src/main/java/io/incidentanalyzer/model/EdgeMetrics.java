package io.incidentanalyzer.model;

/**
 * The metrics of the calls from one service to another, learned from traces: each a series of the
 * caller whose name carries the callee, {@code call.latency.p99{callee=payments}}. The callee in
 * the name keeps one series per edge wherever a series is keyed by service and metric (the metric
 * detectors, the signal ids); a detector rule names the base metric ({@code call.latency.p99}) to
 * watch every edge of a caller ({@code config.MetricRule}).
 */
public final class EdgeMetrics {
    /** Calls per second over the bucket. */
    public static final String RATE = "call.rate";

    /** Failed calls over all calls in the bucket, 0 to 1. */
    public static final String FAILED_SHARE = "call.error.ratio";

    /** Latency quantiles as the caller saw them, seconds: {@code call.latency.p50} … */
    public static final String LATENCY = "call.latency";

    private static final String OPEN = "{callee=";

    private EdgeMetrics() {}

    /** The series name of {@code base} on the calls to {@code callee}. */
    public static String name(String base, String callee) {
        return base + OPEN + callee + "}";
    }

    /** The callee an edge metric's name carries; null for any other metric. */
    public static String callee(String metric) {
        int at = metric == null ? -1 : metric.indexOf(OPEN);
        if (at <= 0 || !metric.endsWith("}")) return null;
        return metric.substring(at + OPEN.length(), metric.length() - 1);
    }

    /** An edge metric's name without its callee; null for any other metric. */
    public static String base(String metric) {
        return callee(metric) == null ? null : metric.substring(0, metric.indexOf(OPEN));
    }

    /** Whether the metric is a latency of calls to another service. */
    public static boolean isCallLatency(String metric) {
        String base = base(metric);
        return base != null && base.startsWith(LATENCY + ".");
    }
}
