package io.incidentanalyzer.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
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

/**
 * The fast path of {@link NativeJsonDecoder}: reads a well-formed native-JSON record with Jackson's
 * streaming parser (no tree) and the common RFC 3339 timestamps without {@code java.time}.
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

    // One factory for all (it is thread-safe), with the tree path's limits. Its fast double parser
    // gives the same correctly rounded doubles as Double.parseDouble, in less time.
    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    private static final Map<String, AuthEventType> AUTH_TYPES = names(AuthEventType.class);
    private static final Map<String, ChangeKind> CHANGE_KINDS = names(ChangeKind.class);
    private static final AuthEventType[] AUTH_TYPE_VALUES = AuthEventType.values();
    private static final ChangeKind[] CHANGE_KIND_VALUES = ChangeKind.values();

    /** Thrown (preallocated, stackless) when the record needs the tree path. */
    private static final class TreePath extends Exception {
        private static final long serialVersionUID = 1L;

        TreePath() {
            super(null, null, false, false);
        }
    }

    private static final TreePath TREE_PATH = new TreePath();

    private final StreamKind kind;

    NativeJsonReader(StreamKind kind) {
        this.kind = kind;
    }

    /** The decoded event, or null when the tree path must decide. */
    Decoded read(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Decoded decoded =
                    switch (kind) {
                        case METRICS -> Decoded.of(metric(p));
                        case AUTH -> Decoded.of(auth(p));
                        case LOGS -> Decoded.of(log(p));
                        case CHANGES -> Decoded.of(change(p));
                    };
            // The tree path's mapper refuses trailing content the same way.
            return p.nextToken() == null ? decoded : null;
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
            seen = once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = requiredText(p, t);
                case 2 -> metric = requiredText(p, t);
                case 3 -> value = finiteNumber(p, t);
                case 4 -> labels = stringMap(p, t);
                default -> skip(p, t);
            }
        }
        required(seen, 0b1111);
        return new MetricSample(ts, service, metric, value, orEmpty(labels));
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
            seen = once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = requiredText(p, t);
                case 2 -> type = enumValue(p, t, AUTH_TYPE_VALUES, AUTH_TYPES);
                case 3 -> clientId = optionalText(p, t);
                case 4 -> clientVersion = optionalText(p, t);
                case 5 -> userId = optionalText(p, t);
                case 6 -> sessionId = optionalText(p, t);
                case 7 -> ip = optionalText(p, t);
                case 8 -> caller = optionalText(p, t);
                case 9 -> outcome = optionalText(p, t);
                case 10 -> error = optionalText(p, t);
                default -> skip(p, t);
            }
        }
        required(seen, 0b111);
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
            seen = once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = requiredText(p, t);
                case 2 -> level = optionalText(p, t);
                case 3 -> message = requiredText(p, t);
                case 4 -> attributes = stringMap(p, t);
                default -> skip(p, t);
            }
        }
        required(seen, 0b1011);
        // As the tree path: trim and toUpperCase return the same string when nothing changes.
        level = level == null || level.isBlank() ? "INFO" : level.trim().toUpperCase(Locale.ROOT);
        return new LogEvent(ts, service, level, message, orEmpty(attributes));
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
            seen = once(seen, f);
            switch (f) {
                case 0 -> ts = timestamp(p, t);
                case 1 -> service = requiredText(p, t);
                case 2 -> changeKind = enumValue(p, t, CHANGE_KIND_VALUES, CHANGE_KINDS);
                case 3 -> version = optionalText(p, t);
                case 4 -> description = optionalText(p, t);
                default -> skip(p, t);
            }
        }
        required(seen, 0b111);
        return new ChangeEvent(ts, service, changeKind, version, description);
    }

    /** The field names of one form, with their UTF-8 bytes prepared for the parser. */
    private static final class Fields {
        static final int END = -1;
        static final int UNKNOWN = 31;

        private final String[] names;
        private final SerializedString[] serialized;

        Fields(String... names) {
            this.names = names;
            this.serialized = new SerializedString[names.length];
            for (int i = 0; i < names.length; i++) {
                serialized[i] = new SerializedString(names[i]);
            }
        }

        /**
         * Advances to the next field: its index, {@link #UNKNOWN} for a field the form does not
         * use, {@link #END} at the end of the object. Tries the field after {@code previous} first.
         */
        int next(JsonParser p, int previous) throws IOException {
            int expected = previous + 1;
            if (expected < names.length) {
                if (p.nextFieldName(serialized[expected])) {
                    return expected;
                }
            } else {
                p.nextToken();
            }
            if (p.currentToken() != JsonToken.FIELD_NAME) {
                // END_OBJECT: anything else cannot follow a value inside an object.
                return END;
            }
            String name = p.currentName();
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return UNKNOWN;
        }
    }

    // ---- fields: each returns what the tree path would, or throws TREE_PATH ----

    /** Marks field {@code f} seen; a duplicate goes to the tree path (where the last one wins). */
    private static int once(int seen, int f) throws TreePath {
        if (f == Fields.UNKNOWN) {
            return seen;
        }
        int bit = 1 << f;
        if ((seen & bit) != 0) {
            throw TREE_PATH;
        }
        return seen | bit;
    }

    private static void required(int seen, int bits) throws TreePath {
        if ((seen & bits) != bits) {
            throw TREE_PATH;
        }
    }

    /** Integer epoch milliseconds in range, or a common RFC 3339 string. */
    private static long timestamp(JsonParser p, JsonToken t) throws IOException, TreePath {
        long ts;
        if (t == JsonToken.VALUE_STRING) {
            ts = EventTimes.commonIso(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (ts == EventTimes.NOT_COMMON) {
                throw TREE_PATH;
            }
            return ts;
        }
        if (t == JsonToken.VALUE_NUMBER_INT
                && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            ts = p.getLongValue();
            if (ts >= EventTimes.MIN_TS && ts <= EventTimes.MAX_TS) {
                return ts;
            }
        }
        throw TREE_PATH;
    }

    /** A non-blank string. */
    private static String requiredText(JsonParser p, JsonToken t) throws IOException, TreePath {
        if (t != JsonToken.VALUE_STRING) {
            throw TREE_PATH;
        }
        String s = p.getText();
        if (s.isBlank()) {
            throw TREE_PATH;
        }
        return s;
    }

    /** A string or null; numbers and booleans (text form in the tree path) go there. */
    private static String optionalText(JsonParser p, JsonToken t) throws IOException, TreePath {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw TREE_PATH;
    }

    /** A JSON number as the tree's node gives it as a double; numeric strings go to the tree. */
    private static double finiteNumber(JsonParser p, JsonToken t) throws IOException, TreePath {
        if (t == JsonToken.VALUE_NUMBER_FLOAT
                || (t == JsonToken.VALUE_NUMBER_INT
                        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER)) {
            double d = p.getDoubleValue();
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw TREE_PATH;
    }

    /** An enum constant by name; an exact name is matched in the parser's chars, without a copy. */
    private static <E extends Enum<E>> E enumValue(
            JsonParser p, JsonToken t, E[] constants, Map<String, E> byName)
            throws IOException, TreePath {
        if (t != JsonToken.VALUE_STRING) {
            throw TREE_PATH;
        }
        int i = constant(p, constants);
        if (i >= 0) {
            return constants[i];
        }
        String text = requiredText(p, t);
        E e = byName.get(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        if (e == null) {
            throw TREE_PATH;
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

    /** An object of strings, nulls dropped (the last of duplicate keys wins, as in the tree). */
    private static Map<String, String> stringMap(JsonParser p, JsonToken t)
            throws IOException, TreePath {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw TREE_PATH;
        }
        Map<String, String> map = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING) {
                map.put(key, p.getText());
            } else if (v == JsonToken.VALUE_NULL) {
                map.remove(key);
            } else {
                // Numbers, booleans and nested values take the tree's text forms.
                throw TREE_PATH;
            }
        }
        return map;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map != null ? map : new HashMap<>();
    }

    /**
     * Reads past a field the form does not use, decoding what the tree would decode (strings,
     * numbers), so that bytes the tree path refuses are not accepted here.
     */
    private static void skip(JsonParser p, JsonToken t) throws IOException {
        int depth = 0;
        while (true) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> p.getTextLength();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
                default -> {}
            }
            if (depth == 0) {
                return;
            }
            t = p.nextToken();
            if (t == null) {
                throw new IOException("unexpected end of input");
            }
        }
    }

    private static <E extends Enum<E>> Map<String, E> names(Class<E> type) {
        Map<String, E> map = new HashMap<>();
        for (E e : type.getEnumConstants()) {
            map.put(e.name(), e);
        }
        return map;
    }
}
