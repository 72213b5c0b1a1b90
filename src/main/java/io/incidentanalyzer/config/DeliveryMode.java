package io.incidentanalyzer.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Delivery guarantee of the Kafka sinks (incidents and dead letters). */
public enum DeliveryMode {
    /** Transactional writes committed on checkpoint: no duplicates, latency up to one interval. */
    @JsonProperty("exactly-once")
    EXACTLY_ONCE,
    /** Flushed on checkpoint, visible at once: duplicates possible after a restore. */
    @JsonProperty("at-least-once")
    AT_LEAST_ONCE
}
