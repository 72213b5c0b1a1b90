package io.incidentanalyzer.model;

/** Why a record went to the dead-letter topic instead of into the pipeline. */
public enum RejectReason {
    /** The bytes are not a JSON object. */
    NOT_JSON,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong type or a value outside its domain. */
    BAD_VALUE,
    /** The timestamp cannot be read as ISO-8601 or epoch milliseconds. */
    BAD_TIMESTAMP,
    /** The record is larger than the configured limit. */
    TOO_LARGE,
    /** The event arrived after the watermark had passed its timestamp. */
    LATE_EVENT
}
