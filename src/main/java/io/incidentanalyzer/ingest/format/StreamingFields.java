package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.io.SerializedString;
import io.incidentanalyzer.ingest.EventTimes;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The field readers of the producer formats' streaming fast paths: Jackson's {@link JsonParser}
 * read token by token, no tree. Each reader returns what the tree path's {@link FormatFields}
 * reader returns for the same token, or throws {@link TreePath} when it is not sure (a wrong type,
 * a numeric label, a rarer timestamp form): the decoder then reads the record again with its tree
 * path, so that every rejection keeps the reason and detail it has there. None of them rejects.
 *
 * <p>A fast path built on these must also leave to the tree: a duplicate field it uses (the tree
 * keeps the last), broken JSON (the parser throws {@link IOException}) and trailing content ({@link
 * #end}). Unused values are read with {@link #skip}, which decodes what the tree decodes, so that
 * bytes the tree refuses are not accepted here.
 */
public final class StreamingFields {
    private StreamingFields() {}

    // One factory for all (it is thread-safe), with the tree mapper's limits. Its fast double
    // parser gives the same correctly rounded doubles as Double.parseDouble, in less time.
    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    /** Thrown (preallocated, stackless) when the record needs the tree path. */
    public static final class TreePath extends Exception {
        private static final long serialVersionUID = 1L;

        private TreePath() {
            super(null, null, false, false);
        }
    }

    public static final TreePath TREE_PATH = new TreePath();

    /**
     * A parser on the record, positioned on its opening brace; {@link #TREE_PATH} for an empty or
     * null value or one that is not an object.
     */
    public static JsonParser object(byte[] value) throws IOException, TreePath {
        if (value == null || value.length == 0) {
            throw TREE_PATH;
        }
        JsonParser p = FACTORY.createParser(value);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.close();
            throw TREE_PATH;
        }
        return p;
    }

    /** After the record's object: anything more is trailing content, which the tree refuses. */
    public static void end(JsonParser p) throws IOException, TreePath {
        if (p.nextToken() != null) {
            throw TREE_PATH;
        }
    }

    /**
     * The field names of one object, with their UTF-8 bytes prepared for the parser, so that a
     * field in the expected order is matched without the parser's symbol-table lookup.
     */
    public static final class Fields {
        public static final int END = -1;
        public static final int UNKNOWN = 31;

        private final String[] names;
        private final SerializedString[] serialized;

        public Fields(String... names) {
            if (names.length >= UNKNOWN) {
                throw new IllegalArgumentException("at most 30 names, got " + names.length);
            }
            this.names = names;
            this.serialized = new SerializedString[names.length];
            for (int i = 0; i < names.length; i++) {
                serialized[i] = new SerializedString(names[i]);
            }
        }

        /**
         * Advances to the next field: its index, {@link #UNKNOWN} for a field not named here,
         * {@link #END} at the end of the object. Tries the field after {@code previous} first
         * ({@code -1} at the start of the object).
         */
        public int next(JsonParser p, int previous) throws IOException {
            int expected = previous + 1;
            if (expected >= 0 && expected < names.length) {
                if (p.nextFieldName(serialized[expected])) {
                    return expected;
                }
            } else {
                p.nextToken();
            }
            if (p.currentToken() != JsonToken.FIELD_NAME) {
                // END_OBJECT: nothing else can follow a value inside an object.
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

    /** Marks field {@code f} seen; a duplicate goes to the tree path, where the last one wins. */
    public static int once(int seen, int f) throws TreePath {
        if (f == Fields.UNKNOWN) {
            return seen;
        }
        int bit = 1 << f;
        if ((seen & bit) != 0) {
            throw TREE_PATH;
        }
        return seen | bit;
    }

    /** The tree path when any of the fields in {@code bits} was not seen. */
    public static void required(int seen, int bits) throws TreePath {
        if ((seen & bits) != bits) {
            throw TREE_PATH;
        }
    }

    /** A common RFC 3339 string ({@link EventTimes#commonIso}) as epoch milliseconds. */
    public static long isoTime(JsonParser p, JsonToken t) throws IOException, TreePath {
        if (t != JsonToken.VALUE_STRING) {
            throw TREE_PATH;
        }
        long ts = EventTimes.commonIso(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        if (ts == EventTimes.NOT_COMMON) {
            throw TREE_PATH;
        }
        return ts;
    }

    /**
     * An integer epoch time in {@code unit} as epoch milliseconds inside the range, as {@link
     * EventTimes#epoch} gives it.
     */
    public static long epochTime(JsonParser p, JsonToken t, java.util.concurrent.TimeUnit unit)
            throws IOException, TreePath {
        if (t != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw TREE_PATH;
        }
        long value = p.getLongValue();
        long millis = unit.toMillis(value);
        // No saturated conversion falls in the range, so the range check is the whole test.
        if (millis < EventTimes.MIN_TS || millis > EventTimes.MAX_TS) {
            throw TREE_PATH;
        }
        return millis;
    }

    /** A non-blank string ({@link FormatFields#text}). */
    public static String text(JsonParser p, JsonToken t) throws IOException, TreePath {
        if (t != JsonToken.VALUE_STRING) {
            throw TREE_PATH;
        }
        String s = p.getText();
        if (s.isBlank()) {
            throw TREE_PATH;
        }
        return s;
    }

    /**
     * A string or null ({@link FormatFields#optionalText}); numbers and booleans, which the tree
     * takes in their text form, go there.
     */
    public static String optionalText(JsonParser p, JsonToken t) throws IOException, TreePath {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw TREE_PATH;
    }

    /** A JSON number, finite, as the tree's node gives it as a double. */
    public static double finite(JsonParser p, JsonToken t) throws IOException, TreePath {
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

    /**
     * A finite sample value from a JSON number or a decimal string ({@link FormatFields#finite}); a
     * string with surrounding spaces, NaN or an infinity goes to the tree path.
     */
    public static double number(JsonParser p, JsonToken t) throws IOException, TreePath {
        if (t != JsonToken.VALUE_STRING) {
            return finite(p, t);
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (!decimal(c, off, len)) {
            throw TREE_PATH;
        }
        // Jackson's fast parser, correctly rounded: the double Double.parseDouble gives.
        double d = NumberInput.parseDouble(c, off, len, true);
        if (!Double.isFinite(d)) {
            throw TREE_PATH;
        }
        return d;
    }

    /**
     * Whether the chars spell {@link EventTimes#DECIMAL} ({@code [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?
     * \d+)?}) exactly, without the regex.
     */
    static boolean decimal(char[] c, int off, int len) {
        int i = off;
        int end = off + len;
        if (i < end && (c[i] == '+' || c[i] == '-')) {
            i++;
        }
        int start = i;
        while (i < end && isDigit(c[i])) {
            i++;
        }
        boolean whole = i > start;
        if (i < end && c[i] == '.') {
            i++;
            int fraction = i;
            while (i < end && isDigit(c[i])) {
                i++;
            }
            if (!whole && i == fraction) {
                return false;
            }
        } else if (!whole) {
            return false;
        }
        if (i < end && (c[i] == 'e' || c[i] == 'E')) {
            i++;
            if (i < end && (c[i] == '+' || c[i] == '-')) {
                i++;
            }
            int exponent = i;
            while (i < end && isDigit(c[i])) {
                i++;
            }
            if (i == exponent) {
                return false;
            }
        }
        return i == end;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * An object of strings ({@link FormatFields#stringMap}), nulls dropped, the last of duplicate
     * keys winning as in the tree; numbers, booleans and nested values, which the tree takes in
     * text form, go there. A null value gives an empty map.
     */
    public static Map<String, String> stringMap(JsonParser p, JsonToken t)
            throws IOException, TreePath {
        Map<String, String> map = new HashMap<>();
        strings(
                p,
                t,
                (k, v) -> {
                    if (v != null) {
                        map.put(k, v);
                    } else {
                        map.remove(k);
                    }
                });
        return map;
    }

    /** Where {@link #strings} puts each key and value (null for a JSON null). */
    private interface StringSink {
        void put(String key, String value);
    }

    /** The keys and values of an object of strings, in order; null reads as none. */
    private static void strings(JsonParser p, JsonToken t, StringSink sink)
            throws IOException, TreePath {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw TREE_PATH;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING) {
                sink.put(key, p.getText());
            } else if (v == JsonToken.VALUE_NULL) {
                sink.put(key, null);
            } else {
                throw TREE_PATH;
            }
        }
    }

    /**
     * An object of strings kept as pairs, for a decoder that gives several events a map each: a map
     * built from the pairs costs less than a copy of a map, which walks its table.
     */
    public static final class Pairs {
        private String[] keys = new String[8];
        private String[] values = new String[8];
        private int size;

        /**
         * The pairs of an object of strings, as {@link #stringMap} reads it: nulls dropped, the
         * last of duplicate keys winning; null reads as no pairs.
         */
        public static Pairs read(JsonParser p, JsonToken t) throws IOException, TreePath {
            Pairs pairs = new Pairs();
            strings(p, t, pairs::put);
            return pairs;
        }

        /** Sets or (for null) removes {@code key}, keeping the order of the others. */
        private void put(String key, String value) {
            for (int i = 0; i < size; i++) {
                if (keys[i].equals(key)) {
                    if (value != null) {
                        values[i] = value;
                    } else {
                        size--;
                        System.arraycopy(keys, i + 1, keys, i, size - i);
                        System.arraycopy(values, i + 1, values, i, size - i);
                    }
                    return;
                }
            }
            if (value == null) {
                return;
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, 2 * size);
                values = Arrays.copyOf(values, 2 * size);
            }
            keys[size] = key;
            values[size++] = value;
        }

        /** A new mutable map of the pairs. */
        public Map<String, String> toMap() {
            Map<String, String> map = new HashMap<>((int) (size / 0.75f) + 1);
            for (int i = 0; i < size; i++) {
                map.put(keys[i], values[i]);
            }
            return map;
        }
    }

    /** The current value as an object: true at its start, false for null, else the tree path. */
    public static boolean objectOrNull(JsonToken t) throws TreePath {
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw TREE_PATH;
    }

    /**
     * Reads past a value without decoding its strings: the parser still checks their UTF-8, escapes
     * and control characters when it moves on, numbers are checked when tokenised, and the nesting
     * limit holds for skipped objects and arrays; cheaper than {@link #skip} for records with many
     * unused fields ({@code KubernetesEventsReaderTest} and {@code AlertmanagerReaderTest} flip
     * bits to check that it refuses what the tree path refuses).
     */
    public static void skipUnread(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        } else if (t == null) {
            throw new IOException("unexpected end of input");
        }
    }

    /**
     * Reads past a value the decoder does not use, decoding what the tree would decode (strings,
     * numbers), so that bytes the tree path refuses are not accepted here.
     */
    public static void skip(JsonParser p, JsonToken t) throws IOException {
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
}
