package io.incidentanalyzer.model;

/**
 * What a signal measured, as typed fields; which are set depends on the signal's kind, the others
 * are null. {@link Signal#subject()} stays the display and id form of the same thing; consumers
 * decide on these fields, never on the subject's text.
 *
 * @param metric the metric, for {@code SATURATION}, {@code BASELINE_SHIFT} and {@code
 *     BACKLOG_GROWTH}
 * @param authEvent the token events counted: {@code REFRESH} for a refresh storm, the failure type
 *     for {@code AUTH_FAILURES}
 * @param caller for {@code AUTH_FAILURES}: the calling service the events named (the signal's
 *     service); null when they named none and were counted under the service that logged them
 * @param dependency for {@code DEPENDENCY_DRIFT}: the dependency whose host drifted; for a metric
 *     of calls between services (learned from traces): the service called
 * @param host for {@code DEPENDENCY_DRIFT}: the unexpected host the service reports
 */
public record Measured(
        String metric, AuthEventType authEvent, String caller, String dependency, String host) {

    /**
     * A metric's series (saturation, baseline shift, backlog). For a metric of the calls to another
     * service ({@link EdgeMetrics}), {@code dependency} is the service called.
     */
    public static Measured metric(String metric) {
        return new Measured(metric, null, null, EdgeMetrics.callee(metric), null);
    }

    /** Token events of one type, from {@code caller} (null: the events named none). */
    public static Measured authEvents(AuthEventType type, String caller) {
        return new Measured(null, type, caller, null, null);
    }

    /** A service's host for {@code dependency}. */
    public static Measured dependencyHost(String dependency, String host) {
        return new Measured(null, null, null, dependency, host);
    }

    /** A log template (its text is the signal's subject). */
    public static Measured logTemplate() {
        return new Measured(null, null, null, null, null);
    }

    /** Whether this counted token events of {@code type}. */
    public boolean counts(AuthEventType type) {
        return authEvent == type;
    }

    /** Whether this is the series of {@code name}. */
    public boolean isMetric(String name) {
        return metric != null && metric.equals(name);
    }
}
