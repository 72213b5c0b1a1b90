package io.incidentanalyzer.config;

import java.io.Serializable;

/** Input limits; a record over them goes to the dead-letter topic. */
public record Limits(Integer maxRecordBytes) implements Serializable {
    public static final int DEFAULT_MAX_RECORD_BYTES = 64 * 1024;

    public Limits {
        maxRecordBytes = maxRecordBytes == null ? DEFAULT_MAX_RECORD_BYTES : maxRecordBytes;
    }

    static Limits defaults() {
        return new Limits(null);
    }
}
