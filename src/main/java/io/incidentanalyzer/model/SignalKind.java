package io.incidentanalyzer.model;

/** The detector pattern a signal reports; docs/detectors.md has one section per kind. */
public enum SignalKind {
    /** A bounded resource (CPU, connection pool, memory) held at its ceiling. */
    SATURATION,
    /** A rate, latency, error ratio or queue depth far from its own robust, seasonal baseline. */
    BASELINE_SHIFT,
    /** Queue depth or in-flight requests growing interval after interval. */
    BACKLOG_GROWTH,
    /** Token refreshes far above their baseline and above what token lifetimes allow. */
    REFRESH_STORM,
    /** A spike of requests without a token or failing verification, per calling service. */
    AUTH_FAILURES,
    /** A service talking to a dependency host other than the configured one or its peers'. */
    DEPENDENCY_DRIFT,
    /** A new or surging log-message template of one service. */
    ERROR_PATTERN
}
