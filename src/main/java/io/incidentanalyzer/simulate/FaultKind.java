package io.incidentanalyzer.simulate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.incidentanalyzer.model.CauseKind;

/** The faults a scenario can inject, and the cause each one is in the ground truth. */
public enum FaultKind {
    /** A client version that refreshes its token in a loop: client, version, refreshEvery. */
    @JsonProperty("refresh-storm")
    REFRESH_STORM(CauseKind.TOKEN_REFRESH_STORM),
    /** Extra work of the service's own (a heavy query, a batch job): factor × capacity. */
    @JsonProperty("saturation")
    SATURATION(CauseKind.RESOURCE_SATURATION),
    /** The service gets slower by factor; its backlog grows and reaches its callers. */
    @JsonProperty("slowdown")
    SLOWDOWN(CauseKind.SERVICE_SLOWDOWN),
    /** A deploy of version that fails errorRatio of requests and is slower by factor. */
    @JsonProperty("bad-deploy")
    BAD_DEPLOY(CauseKind.BAD_DEPLOY),
    /** The service connects to host for dependency; queries are slower by factor. */
    @JsonProperty("wrong-host")
    WRONG_HOST(CauseKind.DEPENDENCY_DRIFT),
    /** The service stops sending tokens; callee logs MISSING_TOKEN for each request. */
    @JsonProperty("missing-token")
    MISSING_TOKEN(CauseKind.MISSING_TOKEN),
    /** A dependency outside the team's control answers factor times slower. */
    @JsonProperty("external-slow")
    EXTERNAL_SLOW(CauseKind.EXTERNAL_DEPENDENCY),
    /** factor times the usual number of real users, refreshing tokens normally. */
    @JsonProperty("surge")
    SURGE(CauseKind.TRAFFIC_SURGE),
    /** metric swings around a value (around ± amplitude, one period per cycle). */
    @JsonProperty("flapping")
    FLAPPING(CauseKind.RESOURCE_SATURATION);

    private final CauseKind cause;

    FaultKind(CauseKind cause) {
        this.cause = cause;
    }

    /** The kind of root cause this fault is in the ground truth. */
    public CauseKind cause() {
        return cause;
    }

    /** The name used in scenario files, e.g. refresh-storm. */
    public String fileName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
