package io.incidentanalyzer.draft;

/**
 * What kind of symptom a signal is, for the timeline: a cascade's line tells its symptoms a clause
 * per category, in the order of {@link Words#cascade}.
 */
enum SymptomCategory {
    /** A latency (or any other metric) far from its baseline. */
    LATENCY,
    /** The error metric ({@code correlation.errorMetric}) far from its baseline. */
    ERRORS,
    /** The load metric ({@code correlation.loadMetric}) far from its baseline. */
    LOAD,
    /** A resource at its ceiling; each saturation is a line of its own. */
    SATURATION,
    BACKLOG,
    /** Token verifications failing for a caller. */
    VERIFY_FAILURES,
    /** Requests without a token. */
    MISSING_TOKENS,
    /** Any other kind of token failure. */
    OTHER_AUTH_FAILURES,
    /** A new or surging log template. */
    LOG,
    STORM,
    DRIFT
}
