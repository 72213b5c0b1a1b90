package io.incidentanalyzer.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.incidentanalyzer.ingest.format.StreamingFields;
import io.incidentanalyzer.ingest.format.StreamingFields.Fields;
import io.incidentanalyzer.ingest.format.StreamingFields.TreePath;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The fast path of {@link NativeJsonDecoder}: reads a well-formed native-JSON record with Jackson's
 * streaming parser (no tree) and the common RFC 3339 timestamps without {@code java.time}, with the
 * field readers the producer formats share ({@link StreamingFields}).
 *
 * <p>It only ever accepts: anything it is not sure of (a missing, null, duplicate or oddly typed
 * field, a timestamp in a rarer form, broken JSON, trailing content) makes {@link #read} return
 * null, and the decoder's tree path decides, so every rejection keeps the reason and detail it had.
 * A record it accepts gives the event the tree path gives ({@code NativeJsonReaderTest} compares
 * both on valid and mutated records).
 *
 * <p>Thread-safe: the parser is per call. Strings are not interned or cached: a cache of repeated
 * values (service, metric, label names) cost more CPU in hashing and comparing than the copies it
 * saved (about 10% per record, measured), since Jackson already copies a string in one pass.
 */
final class NativeJsonReader {

    private static final Map<String, AuthEventType> AUTH_TYPES = names(AuthEventType.class);
    private static final Map<String, ChangeKind> CHANGE_KINDS = names(ChangeKind.class);
    private static final AuthEventType[] AUTH_TYPE_VALUES = AuthEventType.values();
    private static final ChangeKind[] CHANGE_KIND_VALUES = ChangeKind.values();

    private final StreamKind kind;

    NativeJsonReader(StreamKind kind) {
        this.kind = kind;
    }

    /** The decoded event, or null when the tree path must decide. */
    Decoded read(byte[] value) {
        try (JsonParser p = StreamingFields.object(value)) {
            Decoded decoded =
                    switch (kind) {
                        case METRICS -> Decoded.of(metric(p));
                        case AUTH -> Decoded.of(auth(p));
                        case LOGS -> Decoded.of(log(p));
                        case CHANGES -> Decoded.of(change(p));
                    };
            // The tree path's mapper refuses trailing content the same way.
            StreamingFields.end(p);
            return decoded;
        } catch (TreePath | IOException | RuntimeException e) {
            return null;
        }
    }

    // The fields of each form, in the order producers usually write them (docs/formats.md): the
    // parser is asked for the next one by its bytes, which skips its symbol-table lookup.
    private static final Fields METRIC = new Fields("ts", "service", "metric", "value", "labels");
    private static final Fields AUTH =
            new Fields(
                    "ts",
                    "service",
                    "type",
                    "clientId",
                    "clientVersion",
                    "userId",
                    "sessionId",
                    "ip",
                    "caller",
                    "outcome",
                    "error");
    private static final Fields LOG = new Fields("ts", "service", "level", "message", "attributes");
    private static final Fields CHANGE =
            new Fields("ts", "service", "kind", "version", "description");

    private MetricSample metric(JsonParser p) throws IOException, TreePath {
        long ts = 0;
        String service = null;
        String metric = null;
        double value = 0;
        Map<String, String> labels = null;
        int seen = 0;
        for (int f = METRIC.next(p, -1); f != Fields.END; f = METRIC.next(p, f)) {
            JsonToken t = p.nextToken();
            seen = StreamingFields.once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = StreamingFields.text(p, t);
                case 2 -> metric = StreamingFields.text(p, t);
                case 3 -> value = StreamingFields.finite(p, t);
                case 4 -> labels = StreamingFields.stringMap(p, t);
                default -> StreamingFields.skip(p, t);
            }
        }
        StreamingFields.required(seen, 0b1111);
        return new MetricSample(
                ts, service, metric, value, labels != null ? labels : new HashMap<>());
    }

    private AuthEvent auth(JsonParser p) throws IOException, TreePath {
        long ts = 0;
        String service = null;
        AuthEventType type = null;
        String clientId = null;
        String clientVersion = null;
        String userId = null;
        String sessionId = null;
        String ip = null;
        String caller = null;
        String outcome = null;
        String error = null;
        int seen = 0;
        for (int f = AUTH.next(p, -1); f != Fields.END; f = AUTH.next(p, f)) {
            JsonToken t = p.nextToken();
            seen = StreamingFields.once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = StreamingFields.text(p, t);
                case 2 -> type = enumValue(p, t, AUTH_TYPE_VALUES, AUTH_TYPES);
                case 3 -> clientId = StreamingFields.optionalText(p, t);
                case 4 -> clientVersion = StreamingFields.optionalText(p, t);
                case 5 -> userId = StreamingFields.optionalText(p, t);
                case 6 -> sessionId = StreamingFields.optionalText(p, t);
                case 7 -> ip = StreamingFields.optionalText(p, t);
                case 8 -> caller = StreamingFields.optionalText(p, t);
                case 9 -> outcome = StreamingFields.optionalText(p, t);
                case 10 -> error = StreamingFields.optionalText(p, t);
                default -> StreamingFields.skip(p, t);
            }
        }
        StreamingFields.required(seen, 0b111);
        return new AuthEvent(
                ts,
                service,
                type,
                clientId,
                clientVersion,
                userId,
                sessionId,
                ip,
                caller,
                outcome,
                error);
    }

    private LogEvent log(JsonParser p) throws IOException, TreePath {
        long ts = 0;
        String service = null;
        String level = null;
        String message = null;
        Map<String, String> attributes = null;
        int seen = 0;
        for (int f = LOG.next(p, -1); f != Fields.END; f = LOG.next(p, f)) {
            JsonToken t = p.nextToken();
            seen = StreamingFields.once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = StreamingFields.text(p, t);
                case 2 -> level = StreamingFields.optionalText(p, t);
                case 3 -> message = StreamingFields.text(p, t);
                case 4 -> attributes = StreamingFields.stringMap(p, t);
                default -> StreamingFields.skip(p, t);
            }
        }
        StreamingFields.required(seen, 0b1011);
        // As the tree path: trim and toUpperCase return the same string when nothing changes.
        level = level == null || level.isBlank() ? "INFO" : level.trim().toUpperCase(Locale.ROOT);
        return new LogEvent(
                ts, service, level, message, attributes != null ? attributes : new HashMap<>());
    }

    private ChangeEvent change(JsonParser p) throws IOException, TreePath {
        long ts = 0;
        String service = null;
        ChangeKind changeKind = null;
        String version = null;
        String description = null;
        int seen = 0;
        for (int f = CHANGE.next(p, -1); f != Fields.END; f = CHANGE.next(p, f)) {
            JsonToken t = p.nextToken();
            seen = StreamingFields.once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = StreamingFields.text(p, t);
                case 2 -> changeKind = enumValue(p, t, CHANGE_KIND_VALUES, CHANGE_KINDS);
                case 3 -> version = StreamingFields.optionalText(p, t);
                case 4 -> description = StreamingFields.optionalText(p, t);
                default -> StreamingFields.skip(p, t);
            }
        }
        StreamingFields.required(seen, 0b111);
        return new ChangeEvent(ts, service, changeKind, version, description);
    }

    // ---- fields: each returns what the tree path would, or throws TREE_PATH ----

    /** Integer epoch milliseconds in range, or a common RFC 3339 string. */
    private static long timestamp(JsonParser p, JsonToken t) throws IOException, TreePath {
        return t == JsonToken.VALUE_STRING
                ? StreamingFields.isoTime(p, t)
                : StreamingFields.epochTime(p, t, TimeUnit.MILLISECONDS);
    }

    /** An enum constant by name; an exact name is matched in the parser's chars, without a copy. */
    private static <E extends Enum<E>> E enumValue(
            JsonParser p, JsonToken t, E[] constants, Map<String, E> byName)
            throws IOException, TreePath {
        if (t != JsonToken.VALUE_STRING) {
            throw StreamingFields.TREE_PATH;
        }
        int i = constant(p, constants);
        if (i >= 0) {
            return constants[i];
        }
        String text = StreamingFields.text(p, t);
        E e = byName.get(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        if (e == null) {
            throw StreamingFields.TREE_PATH;
        }
        return e;
    }

    /** The index of the constant whose name the current string token spells exactly, or -1. */
    private static int constant(JsonParser p, Enum<?>[] constants) throws IOException {
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        for (int i = 0; i < constants.length; i++) {
            String name = constants[i].name();
            if (name.length() == len && spells(name, chars, off)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean spells(String name, char[] chars, int off) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) != chars[off + i]) {
                return false;
            }
        }
        return true;
    }

    private static <E extends Enum<E>> Map<String, E> names(Class<E> type) {
        Map<String, E> map = new HashMap<>();
        for (E e : type.getEnumConstants()) {
            map.put(e.name(), e);
        }
        return map;
    }
}
