package io.incidentanalyzer.config;

import java.io.Serializable;

/** An input topic and the format its records are written in. */
public record InputTopic(String name, InputFormat format) implements Serializable {
    public InputTopic {
        format = format == null ? InputFormat.NATIVE_JSON : format;
    }
}
