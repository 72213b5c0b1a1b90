package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Thrown by the streaming fast paths of the producer formats ({@link KubernetesEventsReader},
 * {@link AlertmanagerReader}) when a record needs the decoder's tree path, with the field readers
 * they share. A fast path only ever accepts: a missing, null, duplicate or oddly typed field,
 * broken JSON or trailing content makes it give up, and the tree path, which decoded every record
 * before, decides, so every rejection keeps its reason and detail.
 *
 * <p>Preallocated and stackless: giving up costs no more than a return.
 */
final class TreeFallback extends Exception {
    private static final long serialVersionUID = 1L;

    static final TreeFallback INSTANCE = new TreeFallback();

    /** One factory for all (thread-safe), with the tree path's mapper's read limits. */
    static final JsonFactory FACTORY = JsonFactory.builder().build();

    private TreeFallback() {
        super(null, null, false, false);
    }

    /** The field names an object's reader looks for, with their UTF-8 bytes for the parser. */
    static final class Names {
        static final int END = -1;
        static final int UNKNOWN = 31;

        private final String[] names;
        private final SerializedString[] serialized;

        Names(String... names) {
            if (names.length >= UNKNOWN) {
                throw new IllegalArgumentException("at most 30 names");
            }
            this.names = names;
            this.serialized = new SerializedString[names.length];
            for (int i = 0; i < names.length; i++) {
                serialized[i] = new SerializedString(names[i]);
            }
        }

        /**
         * Advances to the next field and its value: the field's index, {@link #UNKNOWN} for one not
         * looked for, {@link #END} at the end of the object. Tries the name after {@code previous}
         * (the last field looked for, or END) first: asking the parser by its bytes skips the
         * symbol-table lookup, so fields in the order producers write them cost least; any order
         * works.
         */
        int next(JsonParser p, int previous) throws IOException {
            int expected = previous == UNKNOWN ? names.length : previous + 1;
            if (expected < names.length && p.nextFieldName(serialized[expected])) {
                return expected;
            } else if (expected >= names.length) {
                p.nextToken();
            }
            if (p.currentToken() != JsonToken.FIELD_NAME) {
                return END; // END_OBJECT: nothing else can follow a value inside an object
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

    /** Marks field {@code f} seen; a duplicate goes to the tree path (where the last one wins). */
    static int once(int seen, int f) throws TreeFallback {
        if (f == Names.UNKNOWN) {
            return seen;
        }
        int bit = 1 << f;
        if ((seen & bit) != 0) {
            throw INSTANCE;
        }
        return seen | bit;
    }

    /** A string (blank or not) or null; any other value goes to the tree path. */
    static String stringOrNull(JsonParser p, JsonToken t) throws IOException, TreeFallback {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw INSTANCE;
    }

    /** The current value as an object: true at its start, false for null, else the tree path. */
    static boolean objectOrNull(JsonToken t) throws TreeFallback {
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw INSTANCE;
    }

    /**
     * An object of strings as {@code FormatFields.stringMap} reads its tree: nulls dropped, the
     * last of duplicate keys winning; numbers, booleans and nested values (text forms in the tree)
     * go to the tree path. Null (JSON null) gives an empty map, as absent does.
     */
    static Map<String, String> stringMap(JsonParser p, JsonToken t)
            throws IOException, TreeFallback {
        Map<String, String> map = new HashMap<>();
        if (!objectOrNull(t)) {
            return map;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_STRING) {
                map.put(key, p.getText());
            } else if (v == JsonToken.VALUE_NULL) {
                map.remove(key);
            } else {
                throw INSTANCE;
            }
        }
        return map;
    }

    /**
     * Reads past a value the fast path does not use. A string is left to the parser, which skips it
     * without building it but still checks its UTF-8, escapes and control characters, as decoding
     * does; numbers are checked (length, syntax) when tokenised; the nesting limit holds for
     * skipped objects and arrays too. So bytes the tree path refuses are refused here, at less cost
     * ({@code KubernetesEventsReaderTest} and {@code AlertmanagerReaderTest} flip bits to check).
     */
    static void skip(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
        } else if (t == null) {
            throw new IOException("unexpected end of input");
        }
    }

    /** A parser at the start of the record's object; the tree path decides anything else. */
    static JsonParser objectParser(byte[] value) throws IOException, TreeFallback {
        if (value == null || value.length == 0) {
            throw INSTANCE;
        }
        JsonParser p = FACTORY.createParser(value);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.close();
            throw INSTANCE;
        }
        return p;
    }

    /** Past the record's object: trailing content goes to the tree path, which refuses it too. */
    static void end(JsonParser p) throws IOException, TreeFallback {
        if (p.nextToken() != null) {
            throw INSTANCE;
        }
    }
}
