package io.incidentanalyzer.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The state of a status-page component, with Statuspage's names for it. */
public enum ComponentState {
    @JsonProperty("operational")
    OPERATIONAL,
    @JsonProperty("degraded_performance")
    DEGRADED_PERFORMANCE,
    @JsonProperty("partial_outage")
    PARTIAL_OUTAGE,
    @JsonProperty("major_outage")
    MAJOR_OUTAGE;

    /** The worse of two states. */
    public ComponentState worst(ComponentState other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
