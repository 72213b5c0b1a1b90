package io.incidentanalyzer.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the input sources start when the job has no checkpoint to restore from. */
public enum StartingOffsets {
    @JsonProperty("earliest")
    EARLIEST,
    @JsonProperty("latest")
    LATEST,
    /** The consumer group's committed offsets, falling back to earliest. */
    @JsonProperty("committed")
    COMMITTED
}
