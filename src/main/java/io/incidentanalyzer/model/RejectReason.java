package io.incidentanalyzer.model;

/** Why a record went to the dead-letter topic instead of into the pipeline. */
public enum RejectReason {
    /** The bytes are not a JSON object (JSON formats). */
    NOT_JSON,
    /**
     * The bytes are not a record of the topic's non-JSON format: protobuf or OTLP/JSON that is not
     * a request, a replay line that is not base64, a line that is not a Keycloak log line.
     */
    MALFORMED,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong type or a value outside its domain. */
    BAD_VALUE,
    /** The timestamp cannot be read as ISO-8601 or epoch milliseconds. */
    BAD_TIMESTAMP,
    /**
     * A well-formed record of a kind the analyzer has no event for: a Keycloak event type that is
     * not a token grant, refresh, verification or logout. Kept as a dead letter so that nothing
     * disappears silently; a producer that can filter (Keycloak's enabled event types) should.
     */
    NOT_ANALYSED,
    /** The record is larger than the configured limit. */
    TOO_LARGE,
    /**
     * The timestamp is further ahead than {@code limits.maxFuture}: of the wall clock on Kafka, of
     * its file's own event time in a replay. Admitted, it would move the watermark ahead and make
     * every later valid record late.
     */
    FUTURE_TIMESTAMP,
    /** The event arrived after the watermark had passed its timestamp. */
    LATE_EVENT
}
