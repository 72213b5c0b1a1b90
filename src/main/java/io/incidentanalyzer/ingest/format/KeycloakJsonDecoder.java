package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decodes Keycloak user events as the community Kafka event listeners write them: Keycloak's {@code
 * Event} serialized as JSON ({@code time} in epoch milliseconds, {@code type}, {@code realmId},
 * {@code clientId}, {@code userId}, {@code sessionId}, {@code ipAddress}, {@code error}, {@code
 * details}). The mapping onto token events is {@link KeycloakEvents}'; admin events (no {@code
 * type}, an {@code operationType}) are NOT_ANALYSED. Every event is logged by the topic's {@code
 * service} (default {@code keycloak}).
 */
public final class KeycloakJsonDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    private final String service;

    public KeycloakJsonDecoder(String service, int maxRecordBytes) {
        super(StreamKind.AUTH, maxRecordBytes);
        this.service = service;
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        JsonNode r = jsonObject(value);
        if (!r.hasNonNull("type") && r.has("operationType")) {
            throw new Reject(
                    io.incidentanalyzer.model.RejectReason.NOT_ANALYSED,
                    "a Keycloak admin event has no token event");
        }
        FormatFields.present(r, "type");
        long ts =
                EventTimes.epoch(
                        FormatFields.integer(FormatFields.present(r, "time"), "time"),
                        TimeUnit.MILLISECONDS,
                        "time");
        Map<String, String> fields = FormatFields.stringMap(r, "details");
        for (String name :
                new String[] {"type", "clientId", "userId", "sessionId", "ipAddress", "error"}) {
            String v = FormatFields.optionalText(r, name);
            if (v != null) {
                fields.put(name, v);
            }
        }
        out.add(KeycloakEvents.event(ts, service, fields));
    }
}
