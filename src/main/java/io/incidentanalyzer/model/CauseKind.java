package io.incidentanalyzer.model;

/**
 * What kind of thing caused an outage, as named in a scenario's ground truth and, later, in an
 * incident's ranked root-cause candidates. A cause is a kind plus the service it sits on.
 */
public enum CauseKind {
    /** A client refreshing tokens far more often than the token lifetime requires. */
    TOKEN_REFRESH_STORM("token-refresh storm"),
    /** A resource (CPU, connection pool) at its ceiling because of the service's own load. */
    RESOURCE_SATURATION("saturation under its own load"),
    /** A service answering slower than usual, its backlog growing. */
    SERVICE_SLOWDOWN("slowdown"),
    /** A release that raised errors or latency. */
    BAD_DEPLOY("bad deploy"),
    /** A service connecting to another host for a dependency than it should. */
    DEPENDENCY_DRIFT("dependency on the wrong host"),
    /** A caller sending requests without a token. */
    MISSING_TOKEN("requests sent without a token"),
    /** A dependency outside the team's control slowing down. */
    EXTERNAL_DEPENDENCY("slow external dependency"),
    /** More real users than usual. */
    TRAFFIC_SURGE("traffic surge");

    private final String words;

    CauseKind(String words) {
        this.words = words;
    }

    /** The cause in a few plain words, e.g. "token-refresh storm". */
    public String words() {
        return words;
    }
}
