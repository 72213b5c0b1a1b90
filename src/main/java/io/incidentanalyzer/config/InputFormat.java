package io.incidentanalyzer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;
import java.util.Set;

/**
 * Wire format of an input topic, named in the job file as {@code format:} (docs/formats.md,
 * "Producer formats"). Each format feeds the streams it has events for; the job file is refused
 * when a topic names a format that has none of its stream's kind.
 */
public enum InputFormat {
    @JsonProperty("native-json")
    NATIVE_JSON(false, false, "metrics", "auth", "logs", "changes"),
    @JsonProperty("prometheus-kafka-adapter")
    PROMETHEUS_KAFKA_ADAPTER(false, false, "metrics"),
    @JsonProperty("otlp-proto")
    OTLP_PROTO(true, false, "metrics", "logs", "traces"),
    @JsonProperty("otlp-json")
    OTLP_JSON(false, false, "metrics", "logs", "traces"),
    @JsonProperty("telegraf-json")
    TELEGRAF_JSON(false, true, "metrics"),
    @JsonProperty("keycloak-json")
    KEYCLOAK_JSON(false, false, "auth"),
    @JsonProperty("keycloak-log")
    KEYCLOAK_LOG(false, false, "auth"),
    @JsonProperty("cdevents")
    CDEVENTS(false, false, "changes"),
    @JsonProperty("kubernetes-events")
    KUBERNETES_EVENTS(false, false, "logs", "changes"),
    /** Alertmanager's webhook body (version 4), on the optional externalAlerts topic. */
    @JsonProperty("alertmanager-webhook")
    ALERTMANAGER_WEBHOOK(false, false, "externalAlerts");

    private final boolean binary;
    private final boolean timestampUnits;
    private final Set<String> streams;

    InputFormat(boolean binary, boolean timestampUnits, String... streams) {
        this.binary = binary;
        this.timestampUnits = timestampUnits;
        this.streams = Set.of(streams);
    }

    /**
     * Whether records are binary: a replay file then holds one base64 record per line instead of
     * the record itself.
     */
    public boolean binary() {
        return binary;
    }

    /** Whether the topic's {@code timestampUnits} applies to this format's integer times. */
    public boolean readsTimestampUnits() {
        return timestampUnits;
    }

    /**
     * Whether samples of this format can be running totals that a keyed step after decoding turns
     * into rates (ingest.CumulativeRates).
     */
    public boolean emitsRunningTotals() {
        return this == OTLP_PROTO || this == OTLP_JSON;
    }

    /** Whether records of this format name their service by labels that serviceFrom picks. */
    public boolean readsServiceFrom() {
        return this == PROMETHEUS_KAFKA_ADAPTER
                || this == OTLP_PROTO
                || this == OTLP_JSON
                || this == TELEGRAF_JSON
                || this == ALERTMANAGER_WEBHOOK;
    }

    /** Whether the topic's fixed {@code service} applies to this format. */
    public boolean readsService() {
        return readsServiceFrom() || this == KEYCLOAK_JSON || this == KEYCLOAK_LOG;
    }

    /**
     * Whether this format has events for the stream (metrics, auth, logs, changes, externalAlerts
     * or traces).
     */
    public boolean feeds(String stream) {
        return streams.contains(stream);
    }

    /** The name used in job files, e.g. {@code otlp-json}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
