package io.incidentanalyzer.model;

/**
 * What kind of thing caused an outage, as named in a scenario's ground truth and, later, in an
 * incident's ranked root-cause candidates. A cause is a kind plus the service it sits on.
 */
public enum CauseKind {
    /** A client refreshing tokens far more often than the token lifetime requires. */
    TOKEN_REFRESH_STORM,
    /** A resource (CPU, connection pool) at its ceiling because of the service's own load. */
    RESOURCE_SATURATION,
    /** A service answering slower than usual, its backlog growing. */
    SERVICE_SLOWDOWN,
    /** A release that raised errors or latency. */
    BAD_DEPLOY,
    /** A service connecting to another host for a dependency than it should. */
    DEPENDENCY_DRIFT,
    /** A caller sending requests without a token. */
    MISSING_TOKEN,
    /** A dependency outside the team's control slowing down. */
    EXTERNAL_DEPENDENCY,
    /** More real users than usual. */
    TRAFFIC_SURGE
}
