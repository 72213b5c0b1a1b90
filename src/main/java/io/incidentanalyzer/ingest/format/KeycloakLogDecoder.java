package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes Keycloak's {@code jboss-logging} event listener lines, one per record, as a log shipper
 * forwards them: the event is the message {@code type="REFRESH_TOKEN", realmId="…", clientId="…",
 * …} (values quoted since Keycloak 22, unquoted before; {@code null} for none), in a plain console
 * line {@code 2024-02-16 08:33:00,123 DEBUG [org.keycloak.events] (executor-thread-1) type=…} or in
 * Keycloak's JSON console log ({@code {"timestamp": …, "loggerName": "org.keycloak.events",
 * "message": "type=…"}}). The mapping is {@link KeycloakEvents}'.
 *
 * <p>A plain line's time has no zone in Keycloak's default format; it is read as UTC (a container's
 * default), and an offset in it is honoured. A well-formed log line that holds no event is
 * NOT_ANALYSED; one that is not a log line at all is MALFORMED.
 */
public final class KeycloakLogDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    private static final Pattern PLAIN =
            Pattern.compile(
                    "^(\\d{4}-\\d{2}-\\d{2})[ T](\\d{2}:\\d{2}:\\d{2}(?:[,.]\\d{1,9})?)"
                        + "(Z|[+-]\\d{2}:?\\d{2})?\\s+([A-Z]+)\\s+\\[([^\\]]*)\\]\\s*(?:\\([^)]*\\)\\s*)?(.*)$",
                    Pattern.DOTALL);

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private final String service;

    public KeycloakLogDecoder(String service, int maxRecordBytes) {
        super(StreamKind.AUTH, maxRecordBytes);
        this.service = service;
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        requireBytes(value);
        String line = new String(value, StandardCharsets.UTF_8).strip();
        long ts;
        String message;
        if (line.startsWith("{")) {
            JsonNode r = jsonObject(value);
            String time = r.hasNonNull("timestamp") ? "timestamp" : "@timestamp";
            ts = EventTimes.iso(FormatFields.text(r, time), time);
            message = FormatFields.text(r, "message");
        } else {
            Matcher m = PLAIN.matcher(line);
            if (!m.matches()) {
                throw new Reject(
                        RejectReason.MALFORMED,
                        "not a Keycloak log line (expected 'yyyy-MM-dd HH:mm:ss,SSS LEVEL"
                                + " [category] …' or a JSON log object): "
                                + JsonInput.quote(line));
            }
            String zone = m.group(3) == null ? "Z" : m.group(3);
            ts = EventTimes.iso(m.group(1) + "T" + m.group(2).replace(',', '.') + zone, "time");
            message = m.group(6);
        }
        out.add(KeycloakEvents.event(ts, service, pairs(message)));
    }

    /**
     * The {@code key=value} pairs of an event message, from its {@code type=} on; values quoted
     * (with backslash escapes) or running to the next ", ".
     */
    static Map<String, String> pairs(String message) throws Reject {
        int at = message.startsWith("type=") ? 0 : message.indexOf(" type=") + 1;
        if (at < 0 || !message.startsWith("type=", at)) {
            throw new Reject(
                    RejectReason.NOT_ANALYSED,
                    "log line holds no Keycloak event (no type=…): " + JsonInput.quote(message));
        }
        Map<String, String> pairs = new HashMap<>();
        int i = at;
        int n = message.length();
        while (i < n) {
            int eq = message.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = message.substring(i, eq).trim();
            if (!KEY.matcher(key).matches()) {
                throw new Reject(
                        RejectReason.MALFORMED,
                        "event field name " + JsonInput.quote(key) + " is not a name");
            }
            int v = eq + 1;
            String val;
            if (v < n && message.charAt(v) == '"') {
                StringBuilder b = new StringBuilder();
                int j = v + 1;
                while (j < n && message.charAt(j) != '"') {
                    char c = message.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        c = message.charAt(++j);
                    }
                    b.append(c);
                    j++;
                }
                if (j >= n) {
                    throw new Reject(
                            RejectReason.MALFORMED,
                            "event field '" + key + "' has an unterminated quoted value");
                }
                val = b.toString();
                i = j + 1;
            } else {
                int end = message.indexOf(", ", v);
                end = end < 0 ? n : end;
                val = message.substring(v, end).trim();
                i = end;
            }
            pairs.putIfAbsent(key, val);
            if (i < n && message.startsWith(", ", i)) {
                i += 2;
            } else if (i < n && message.charAt(i) == ',') {
                i += 1;
            } else {
                break;
            }
        }
        return pairs;
    }
}
