package io.incidentanalyzer.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Wire format of an input topic. Only the native JSON form exists so far (docs/formats.md). */
public enum InputFormat {
    @JsonProperty("native-json")
    NATIVE_JSON
}
