package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.StreamingFields.Fields;
import io.incidentanalyzer.ingest.format.StreamingFields.TreePath;
import io.incidentanalyzer.model.AuthEvent;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decodes Keycloak user events as the community Kafka event listeners write them: Keycloak's {@code
 * Event} serialized as JSON ({@code time} in epoch milliseconds, {@code type}, {@code realmId},
 * {@code clientId}, {@code userId}, {@code sessionId}, {@code ipAddress}, {@code error}, {@code
 * details}). The mapping onto token events is {@link KeycloakEvents}'; admin events (no {@code
 * type}, an {@code operationType}) are NOT_ANALYSED. Every event is logged by the topic's {@code
 * service} (default {@code keycloak}).
 *
 * <p>Two paths: a record in the common shapes is read by the streaming fast path ({@link
 * StreamingFields}, no tree); every other record goes through the tree path, the reference for what
 * the fast path may accept ({@code StreamingFastPathTest} compares both).
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
        AuthEvent fast = readStreaming(value);
        if (fast != null) {
            out.add(fast);
        } else {
            readTree(value, out);
        }
    }

    // Keycloak's Event in the order Jackson serializes it; id and realmId are not read.
    private static final Fields FIELDS =
            new Fields(
                    "id",
                    "time",
                    "type",
                    "realmId",
                    "clientId",
                    "userId",
                    "sessionId",
                    "ipAddress",
                    "error",
                    "details");

    // The six top-level fields the mapping reads (FIELDS 2, 4-8), then details' response_type.
    private static final Fields DETAILS =
            new Fields(
                    "type",
                    "clientId",
                    "userId",
                    "sessionId",
                    "ipAddress",
                    "error",
                    "response_type");

    /**
     * The fast path: the event read with the streaming parser, or null when the tree path must
     * decide (anything {@link StreamingFields} leaves to it, a missing type or time, details that
     * are not strings). The rejections it gives, of event types without a token event, are the
     * tree's: {@link KeycloakEvents} reads the same values there, every field before it accepted.
     */
    AuthEvent readStreaming(byte[] value) throws Reject {
        try (JsonParser p = StreamingFields.object(value)) {
            long ts = 0;
            // By DETAILS' index: the top-level value, and the one in details, which the tree
            // takes when the top-level one is absent or null.
            String[] top = new String[7];
            String[] details = new String[7];
            int seen = 0;
            for (int f = FIELDS.next(p, -1); f != Fields.END; f = FIELDS.next(p, f)) {
                JsonToken t = p.nextToken();
                seen = StreamingFields.once(seen, f);
                switch (f) {
                    case 1 -> ts = StreamingFields.epochTime(p, t, TimeUnit.MILLISECONDS);
                    case 2 -> top[0] = StreamingFields.text(p, t);
                    case 4, 5, 6, 7, 8 -> top[f - 3] = StreamingFields.optionalText(p, t);
                    case 9 -> details(p, t, details);
                    default -> StreamingFields.skip(p, t);
                }
            }
            StreamingFields.end(p);
            StreamingFields.required(seen, 0b110);
            for (int i = 0; i < 6; i++) {
                if (top[i] == null) {
                    top[i] = details[i];
                }
            }
            return KeycloakEvents.event(
                    ts, service, top[0], details[6], top[1], top[2], top[3], top[4], top[5]);
        } catch (TreePath | IOException | RuntimeException e) {
            return null;
        }
    }

    /** The string details the mapping reads, the last of duplicates winning, nulls dropped. */
    private static void details(JsonParser p, JsonToken t, String[] into)
            throws IOException, TreePath {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw StreamingFields.TREE_PATH;
        }
        for (int f = DETAILS.next(p, Fields.UNKNOWN); f != Fields.END; f = DETAILS.next(p, f)) {
            JsonToken v = p.nextToken();
            if (f == Fields.UNKNOWN) {
                StreamingFields.skip(p, v);
            } else {
                into[f] = StreamingFields.optionalText(p, v);
            }
        }
    }

    /** The reference path: every record the fast path leaves, and every other rejection. */
    void readTree(byte[] value, Events out) throws Reject {
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
