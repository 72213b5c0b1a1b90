package io.incidentanalyzer.simulate;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a fault starts an outage of its own or makes one (named by partOf) worse. */
public enum FaultRole {
    @JsonProperty("root")
    ROOT,
    @JsonProperty("contributing")
    CONTRIBUTING
}
