package io.incidentanalyzer.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How drafted text writes times of day: "8:30 AM" or "08:30". */
public enum ClockStyle {
    @JsonProperty("12h")
    TWELVE_HOUR,
    @JsonProperty("24h")
    TWENTY_FOUR_HOUR
}
