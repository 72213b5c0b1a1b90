package io.incidentanalyzer.ingest;

import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.Limits;
import io.incidentanalyzer.config.TimestampUnits;
import io.incidentanalyzer.ingest.format.AlertmanagerDecoder;
import io.incidentanalyzer.ingest.format.CdEventsDecoder;
import io.incidentanalyzer.ingest.format.KeycloakJsonDecoder;
import io.incidentanalyzer.ingest.format.KeycloakLogDecoder;
import io.incidentanalyzer.ingest.format.KubernetesEventsDecoder;
import io.incidentanalyzer.ingest.format.OtlpJsonDecoder;
import io.incidentanalyzer.ingest.format.OtlpProtoDecoder;
import io.incidentanalyzer.ingest.format.PrometheusAdapterDecoder;
import io.incidentanalyzer.ingest.format.ServiceNames;
import io.incidentanalyzer.ingest.format.TelegrafJsonDecoder;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where every input path gets its decoder and calls it: the Kafka sources and the replay's file
 * sources use the same decoder for the same topic format, so the same bytes give the same event or
 * the same dead letter whichever way they arrive.
 */
public final class RecordDecoders {
    private RecordDecoders() {}

    /** The decoder for {@code topic}'s format, reading events of {@code kind}. */
    public static RecordDecoder forTopic(InputTopic topic, StreamKind kind, Limits limits) {
        int max = limits.maxRecordBytes();
        return switch (topic.format()) {
            case NATIVE_JSON -> NativeJsonDecoder.forKind(kind, max);
            case PROMETHEUS_KAFKA_ADAPTER ->
                    new PrometheusAdapterDecoder(services(topic, "service", "job"), max);
            case OTLP_PROTO -> new OtlpProtoDecoder(kind, services(topic, "service.name"), max);
            case OTLP_JSON -> new OtlpJsonDecoder(kind, services(topic, "service.name"), max);
            case TELEGRAF_JSON ->
                    new TelegrafJsonDecoder(
                            services(topic, "service"),
                            topic.timestampUnits() != null
                                    ? TimestampUnits.parse(topic.timestampUnits())
                                    : TimeUnit.SECONDS,
                            max);
            case KEYCLOAK_JSON -> new KeycloakJsonDecoder(keycloak(topic), max);
            case KEYCLOAK_LOG -> new KeycloakLogDecoder(keycloak(topic), max);
            case CDEVENTS -> new CdEventsDecoder(max);
            case KUBERNETES_EVENTS -> new KubernetesEventsDecoder(kind, max);
            // Alerts are signals, not one of the four streams: kind plays no part.
            case ALERTMANAGER_WEBHOOK -> forExternalAlerts(topic, limits);
        };
    }

    /** The decoder of the optional externalAlerts topic, whose records become signals. */
    public static RecordDecoder forExternalAlerts(InputTopic topic, Limits limits) {
        return new AlertmanagerDecoder(services(topic, "service", "job"), limits.maxRecordBytes());
    }

    /**
     * The decoder of the optional traces topic (otlp-proto or otlp-json), whose records become
     * spans; the service from {@code service.name} unless the topic says otherwise.
     */
    public static RecordDecoder forTraces(InputTopic topic, Limits limits) {
        ServiceNames services = services(topic, "service.name");
        return topic.format() == io.incidentanalyzer.config.InputFormat.OTLP_PROTO
                ? OtlpProtoDecoder.traces(services, limits.maxRecordBytes())
                : OtlpJsonDecoder.traces(services, limits.maxRecordBytes());
    }

    /** The service that logs Keycloak's events: the topic's {@code service}, else keycloak. */
    private static String keycloak(InputTopic topic) {
        return topic.service() != null ? topic.service() : "keycloak";
    }

    /**
     * The topic's {@code serviceFrom} and {@code service}, or the format's default keys: one place
     * for every format's defaults, listed in docs/formats.md.
     */
    static ServiceNames services(InputTopic topic, String... defaultKeys) {
        return new ServiceNames(
                topic.serviceFrom() != null ? topic.serviceFrom() : List.of(defaultKeys),
                topic.service());
    }

    /**
     * Decodes one record and always returns one envelope. The contract says decoders never throw
     * and never return null; this guards against one that does, so that a plug-in decoder's bug
     * becomes a dead letter instead of a failed job (which would read the same record again).
     */
    public static Decoded decode(
            RecordDecoder decoder, String topic, int partition, long offset, byte[] value) {
        try {
            Decoded decoded = decoder.decode(topic, partition, offset, value);
            if (decoded != null) {
                return decoded;
            }
            return reject(
                    "decoder error: decoder returned no result", topic, partition, offset, value);
        } catch (RuntimeException e) {
            return Decoded.rejected(DeadLetters.decoderError(e, topic, partition, offset, value));
        }
    }

    /**
     * Decodes one record into all its outcomes, never fewer than one; like {@link #decode}, a
     * decoder that throws or returns nothing gives a rejection instead.
     */
    public static List<Decoded> decodeAll(
            RecordDecoder decoder, String topic, int partition, long offset, byte[] value) {
        try {
            List<Decoded> all = decoder.decodeAll(topic, partition, offset, value);
            if (all != null && !all.isEmpty() && noNulls(all)) {
                return all;
            }
            return List.of(
                    reject(
                            "decoder error: decoder returned no result",
                            topic,
                            partition,
                            offset,
                            value));
        } catch (RuntimeException e) {
            return List.of(
                    Decoded.rejected(DeadLetters.decoderError(e, topic, partition, offset, value)));
        }
    }

    /** A loop, not a stream: this runs once per record on the source thread. */
    private static boolean noNulls(List<Decoded> all) {
        for (int i = 0, n = all.size(); i < n; i++) {
            if (all.get(i) == null) {
                return false;
            }
        }
        return true;
    }

    private static Decoded reject(
            String detail, String topic, int partition, long offset, byte[] value) {
        return Decoded.rejected(
                DeadLetters.of(RejectReason.BAD_VALUE, detail, topic, partition, offset, value));
    }
}
