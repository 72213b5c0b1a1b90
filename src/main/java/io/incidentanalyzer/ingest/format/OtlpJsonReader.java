package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of {@link OtlpJsonDecoder}: reads an OTLP/JSON request with Jackson's streaming
 * parser (no tree) and writes it as protobuf's binary encoding into a reused buffer, which the
 * request's generated parser then reads, as {@code otlp-proto} does. One reader serves every OTLP
 * message, driven by the descriptors of the proto jar, so a field the jar knows is never missed.
 *
 * <p>It follows the OTLP/JSON rules (the protobuf JSON mapping with OTLP's exceptions):
 * lowerCamelCase keys or the original proto names; 64-bit integers as decimal strings or numbers;
 * enums as integers; {@code traceId}, {@code spanId} and {@code parentSpanId} as hex, in any
 * message; other bytes as base64; unknown keys skipped. It only ever accepts what protobuf's {@code
 * JsonFormat} reads to the same request: anything it does not handle (a null, a key twice, two
 * members of one oneof, an enum by name, a number in a form or range it does not read, a hex id
 * whose length is not a multiple of four, broken JSON, content after the object) makes {@link
 * #read} return null, and the decoder reads the record with {@code JsonFormat} as before, so every
 * rejection keeps its reason and detail. {@code OtlpJsonReaderTest} holds the two paths to that.
 *
 * <p>Not thread-safe: one per decoder instance (a Flink subtask).
 */
final class OtlpJsonReader {
    private static final JsonFactory FACTORY =
            JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    /**
     * Nesting of messages the fast path reads; deeper records (only nested attribute values get
     * there) go to JsonFormat, whose limit (100, as protobuf's binary parser's) then decides.
     */
    static final int MAX_DEPTH = 32;

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH = 2;
    private static final int WIRE_FIXED32 = 5;

    /** What the reader does with a field's JSON value. */
    private enum Kind {
        STRING,
        BYTES,
        HEX_ID,
        BOOL,
        INT32,
        SINT32,
        UINT32,
        FIXED32,
        INT64,
        SINT64,
        UINT64,
        SFIXED64,
        FIXED64,
        DOUBLE,
        MESSAGE,
        /** float, map, group, a well-known type: none in OTLP; such a record goes to JsonFormat. */
        UNHANDLED
    }

    /** One field of a message: where its bits go on the wire and how its JSON value is read. */
    private static final class Field {
        final SerializedString name;
        final int bit;
        final int oneof;
        final Kind kind;
        final int tag;
        final boolean repeated;
        Schema message;

        /** The field that came after this one in the last object of its message read. */
        Field next;

        Field(SerializedString name, int bit, int oneof, Kind kind, int tag, boolean repeated) {
            this.name = name;
            this.bit = bit;
            this.oneof = oneof;
            this.kind = kind;
            this.tag = tag;
            this.repeated = repeated;
        }
    }

    /** A message's fields by both of their JSON names. */
    private static final class Schema {
        final Map<String, Field> fields = new HashMap<>();

        /** The first field of the last object of this message read. */
        Field first;
    }

    /** Thrown (without a stack trace) where the fast path leaves the record to JsonFormat. */
    private static final class Unhandled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unhandled() {
            super(null, null, false, false);
        }
    }

    private static final Unhandled UNHANDLED = new Unhandled();

    private final Map<Descriptor, Schema> schemas = new HashMap<>();
    private byte[] buf = new byte[1024];
    private int pos;

    /**
     * The record as the request {@code parser} reads, or null where JsonFormat must read it (see
     * the class comment). {@code type} is the request's descriptor.
     */
    <T extends Message> T read(byte[] value, Descriptor type, Parser<T> parser) {
        if (value == null || value.length == 0) {
            return null;
        }
        Schema root = schema(type);
        pos = 0;
        try (JsonParser p = FACTORY.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            message(p, root, 0);
            if (p.nextToken() != null) {
                return null;
            }
        } catch (IOException | Unhandled e) {
            return null;
        }
        try {
            return parser.parseFrom(buf, 0, pos);
        } catch (InvalidProtocolBufferException e) {
            return null; // not expected: the bytes were written from the same descriptors
        }
    }

    // ---- JSON to wire ----

    /**
     * One object of {@code schema}'s message. Producers write the fields of a message in the same
     * order every time, so the reader asks the parser first for the field that followed the
     * previous one last time, by its bytes ({@link JsonParser#nextFieldName(
     * com.fasterxml.jackson.core.SerializableString)}), which skips the parser's symbol table and
     * the map lookup; any other order still works.
     */
    private void message(JsonParser p, Schema schema, int depth) throws IOException {
        long seen = 0;
        long oneofs = 0;
        Field prev = null;
        while (true) {
            Field expected = prev == null ? schema.first : prev.next;
            Field f;
            boolean predicted = expected != null && p.nextFieldName(expected.name);
            if (expected == null) {
                p.nextToken();
            }
            if (predicted) {
                f = expected;
            } else if (p.currentToken() == JsonToken.FIELD_NAME) {
                f = schema.fields.get(p.currentName());
                if (f == null) {
                    p.nextToken();
                    p.skipChildren(); // an unknown key: OTLP/JSON receivers must ignore it
                    continue;
                }
                if (prev == null) schema.first = f;
                else prev.next = f;
            } else {
                return; // END_OBJECT
            }
            prev = f;
            JsonToken t = p.nextToken();
            long bit = 1L << f.bit;
            if (t == JsonToken.VALUE_NULL || (seen & bit) != 0) {
                throw UNHANDLED;
            }
            seen |= bit;
            if (f.oneof >= 0) {
                long one = 1L << f.oneof;
                if ((oneofs & one) != 0) {
                    throw UNHANDLED;
                }
                oneofs |= one;
            }
            if (!f.repeated) {
                value(p, t, f, depth);
                continue;
            }
            if (t != JsonToken.START_ARRAY) {
                throw UNHANDLED;
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == JsonToken.VALUE_NULL) {
                    throw UNHANDLED;
                }
                value(p, t, f, depth);
            }
        }
    }

    private void value(JsonParser p, JsonToken t, Field f, int depth) throws IOException {
        switch (f.kind) {
            case MESSAGE -> {
                if (t != JsonToken.START_OBJECT || depth >= MAX_DEPTH) {
                    throw UNHANDLED;
                }
                varint(f.tag);
                int start = pos;
                ensure(1);
                pos++; // the length, one byte unless the message turns out longer
                message(p, f.message, depth + 1);
                length(start);
            }
            case STRING -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw UNHANDLED;
                }
                varint(f.tag);
                utf8(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
            case HEX_ID -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw UNHANDLED;
                }
                varint(f.tag);
                hex(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
            case BYTES -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw UNHANDLED;
                }
                byte[] bytes = base64(p.getText());
                varint(f.tag);
                varint(bytes.length);
                ensure(bytes.length);
                System.arraycopy(bytes, 0, buf, pos, bytes.length);
                pos += bytes.length;
            }
            case BOOL -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw UNHANDLED;
                }
                varint(f.tag);
                varint(t == JsonToken.VALUE_TRUE ? 1 : 0);
            }
            case INT32 -> {
                varint(f.tag);
                varint64(int32(p, t)); // negative int32 and enums: sign-extended, as protobuf
            }
            case SINT32 -> {
                int v = int32(p, t);
                varint(f.tag);
                varint((v << 1) ^ (v >> 31));
            }
            case UINT32 -> {
                long v = int64(p, t);
                if (v < 0 || v > 0xFFFF_FFFFL) {
                    throw UNHANDLED;
                }
                varint(f.tag);
                varint64(v);
            }
            case FIXED32 -> {
                long v = int64(p, t);
                if (v < 0 || v > 0xFFFF_FFFFL) {
                    throw UNHANDLED;
                }
                varint(f.tag);
                fixed32((int) v);
            }
            case INT64 -> {
                long v = int64(p, t);
                varint(f.tag);
                varint64(v);
            }
            case SINT64 -> {
                long v = int64(p, t);
                varint(f.tag);
                varint64((v << 1) ^ (v >> 63));
            }
            case UINT64 -> {
                long v = uint64(p, t);
                varint(f.tag);
                varint64(v);
            }
            case SFIXED64 -> {
                long v = int64(p, t);
                varint(f.tag);
                fixed64(v);
            }
            case FIXED64 -> {
                long v = uint64(p, t);
                varint(f.tag);
                fixed64(v);
            }
            case DOUBLE -> {
                double v = dbl(p, t);
                varint(f.tag);
                fixed64(Double.doubleToRawLongBits(v));
            }
            default -> throw UNHANDLED;
        }
    }

    /** An int32 or enum: a JSON integer in range (JsonFormat also reads strings and names). */
    private static int int32(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw UNHANDLED;
        }
        return p.getIntValue();
    }

    /**
     * A signed 64-bit integer: a JSON integer in range, or a string that {@link Long#parseLong}
     * reads, which is what JsonFormat tries first.
     */
    private static long int64(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
                throw UNHANDLED;
            }
            return p.getLongValue();
        }
        if (t != JsonToken.VALUE_STRING) {
            throw UNHANDLED;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int n = p.getTextLength();
        boolean negative = n > 1 && c[off] == '-';
        int digits = negative ? n - 1 : n;
        if (digits > 0 && digits <= 18) {
            long v = 0;
            int i = negative ? off + 1 : off;
            for (; i < off + n; i++) {
                int d = c[i] - '0';
                if (d < 0 || d > 9) break;
                v = v * 10 + d;
            }
            if (i == off + n) {
                return negative ? -v : v;
            }
        }
        try {
            return Long.parseLong(new String(c, off, n)); // the rarer forms, as JsonFormat
        } catch (NumberFormatException e) {
            throw UNHANDLED;
        }
    }

    /**
     * An unsigned 64-bit integer (as protobuf holds it: above {@link Long#MAX_VALUE} negative): a
     * JSON integer, or a string of at most 20 decimal digits, in range.
     */
    private static long uint64(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = p.getNumberType();
            if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                long v = p.getLongValue();
                if (v < 0) {
                    throw UNHANDLED;
                }
                return v;
            }
            BigInteger big = p.getBigIntegerValue();
            if (big.signum() < 0 || big.bitLength() > 64) {
                throw UNHANDLED;
            }
            return big.longValue();
        }
        if (t != JsonToken.VALUE_STRING) {
            throw UNHANDLED;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int n = p.getTextLength();
        if (n == 0 || n > 20) {
            throw UNHANDLED;
        }
        long v = 0;
        for (int i = off; i < off + n; i++) {
            int d = c[i] - '0';
            if (d < 0 || d > 9) {
                throw UNHANDLED;
            }
            v = v * 10 + d;
        }
        // Below 10^19 < 2^64 the sum is exact as an unsigned long; 20 digits may be out of range.
        return n < 20 ? v : unsigned(c, off, n);
    }

    /** The rare long form: up to 2^64 - 1, or JsonFormat's out-of-range rejection. */
    private static long unsigned(char[] c, int off, int n) {
        try {
            return Long.parseUnsignedLong(new String(c, off, n));
        } catch (NumberFormatException e) {
            throw UNHANDLED;
        }
    }

    /**
     * A double: a finite JSON number (a negative zero excepted: JsonFormat makes it positive), or
     * one of the strings NaN, Infinity, -Infinity.
     */
    private static double dbl(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            double v = p.getDoubleValue();
            if (Double.isInfinite(v) || Double.doubleToRawLongBits(v) == Long.MIN_VALUE) {
                throw UNHANDLED;
            }
            return v;
        }
        if (t == JsonToken.VALUE_STRING) {
            switch (p.getText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    throw UNHANDLED;
            }
        }
        throw UNHANDLED;
    }

    /** base64 as JsonFormat reads it: standard, else URL-safe. */
    private static byte[] base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException again) {
                throw UNHANDLED;
            }
        }
    }

    /**
     * A hex id as its bytes. Only lengths that are a multiple of four: then JsonFormat's reading of
     * the same text as base64 gives it back exactly (see {@link OtlpJsonDecoder}), and both paths
     * give the same id.
     */
    private void hex(char[] c, int off, int n) {
        if ((n & 3) != 0) {
            throw UNHANDLED;
        }
        varint(n / 2);
        ensure(n / 2);
        for (int i = off; i < off + n; i += 2) {
            int hi = Character.digit(c[i], 16);
            int lo = Character.digit(c[i + 1], 16);
            if (hi < 0 || lo < 0 || c[i] > 'f' || c[i + 1] > 'f') {
                throw UNHANDLED; // not hex (Character.digit also takes other scripts' digits)
            }
            buf[pos++] = (byte) (hi << 4 | lo);
        }
    }

    /** A string as its length and UTF-8; a lone surrogate (not valid UTF-8) goes to JsonFormat. */
    private void utf8(char[] c, int off, int n) {
        int start = pos;
        ensure(1);
        pos++; // the length, one byte unless the string turns out longer
        ensure(n);
        int end = off + n;
        for (int i = off; i < end; i++) {
            char ch = c[i];
            if (ch < 0x80) {
                if (pos == buf.length) ensure(1);
                buf[pos++] = (byte) ch;
            } else if (ch < 0x800) {
                ensure(2);
                buf[pos++] = (byte) (0xC0 | ch >> 6);
                buf[pos++] = (byte) (0x80 | ch & 0x3F);
            } else if (Character.isSurrogate(ch)) {
                if (!Character.isHighSurrogate(ch)
                        || i + 1 == end
                        || !Character.isLowSurrogate(c[i + 1])) {
                    throw UNHANDLED;
                }
                int cp = Character.toCodePoint(ch, c[++i]);
                ensure(4);
                buf[pos++] = (byte) (0xF0 | cp >> 18);
                buf[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | cp & 0x3F);
            } else {
                ensure(3);
                buf[pos++] = (byte) (0xE0 | ch >> 12);
                buf[pos++] = (byte) (0x80 | ch >> 6 & 0x3F);
                buf[pos++] = (byte) (0x80 | ch & 0x3F);
            }
        }
        length(start);
    }

    // ---- wire ----

    /**
     * Writes the length of what follows the byte reserved at {@code at}, moving it up when the
     * length needs more than that byte.
     */
    private void length(int at) {
        int len = pos - at - 1;
        if (len < 0x80) {
            buf[at] = (byte) len;
            return;
        }
        int size = varintSize(len);
        ensure(size - 1);
        System.arraycopy(buf, at + 1, buf, at + size, len);
        pos += size - 1;
        int end = pos;
        pos = at;
        varint(len);
        pos = end;
    }

    private static int varintSize(int v) {
        int size = 1;
        while ((v & ~0x7F) != 0) {
            v >>>= 7;
            size++;
        }
        return size;
    }

    private void varint(int v) {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void varint64(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private void fixed32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    private void fixed64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    /** Room for {@code n} more bytes; the buffer grows to the largest record and stays. */
    private void ensure(int n) {
        if (pos + n > buf.length) {
            byte[] bigger = new byte[Math.max(buf.length * 2, pos + n)];
            System.arraycopy(buf, 0, bigger, 0, pos);
            buf = bigger;
        }
    }

    // ---- schemas ----

    private Schema schema(Descriptor type) {
        Schema schema = schemas.get(type);
        if (schema != null) {
            return schema;
        }
        schema = new Schema();
        schemas.put(type, schema); // before the fields: messages nest (AnyValue in AnyValue)
        List<FieldDescriptor> fields = type.getFields();
        for (int i = 0; i < fields.size() && i < 64; i++) {
            FieldDescriptor fd = fields.get(i);
            var oneof = fd.getRealContainingOneof();
            Kind kind = kind(fd);
            Field f =
                    new Field(
                            new SerializedString(fd.getJsonName()),
                            i,
                            oneof == null ? -1 : oneof.getIndex(),
                            kind,
                            fd.getNumber() << 3 | wireType(kind),
                            fd.isRepeated());
            if (kind == Kind.MESSAGE) {
                f.message = schema(fd.getMessageType());
            }
            schema.fields.put(fd.getJsonName(), f);
            schema.fields.put(fd.getName(), f);
        }
        return schema;
    }

    private static Kind kind(FieldDescriptor fd) {
        if (fd.isMapField()) {
            return Kind.UNHANDLED;
        }
        return switch (fd.getType()) {
            case STRING -> Kind.STRING;
            case BYTES -> hexId(fd.getName()) ? Kind.HEX_ID : Kind.BYTES;
            case BOOL -> Kind.BOOL;
            case INT32, ENUM -> Kind.INT32;
            case SINT32 -> Kind.SINT32;
            case UINT32 -> Kind.UINT32;
            case FIXED32 -> Kind.FIXED32;
            case INT64 -> Kind.INT64;
            case SINT64 -> Kind.SINT64;
            case UINT64 -> Kind.UINT64;
            case SFIXED64 -> Kind.SFIXED64;
            case FIXED64 -> Kind.FIXED64;
            case DOUBLE -> Kind.DOUBLE;
            case MESSAGE ->
                    fd.getMessageType().getFullName().startsWith("google.protobuf.")
                            ? Kind.UNHANDLED
                            : Kind.MESSAGE;
            default -> Kind.UNHANDLED;
        };
    }

    /** OTLP/JSON writes these as hex in every message (Span, Link, LogRecord, Exemplar). */
    static boolean hexId(String protoName) {
        return protoName.equals("trace_id")
                || protoName.equals("span_id")
                || protoName.equals("parent_span_id");
    }

    private static int wireType(Kind kind) {
        return switch (kind) {
            case STRING, BYTES, HEX_ID, MESSAGE, UNHANDLED -> WIRE_LENGTH;
            case FIXED32 -> WIRE_FIXED32;
            case SFIXED64, FIXED64, DOUBLE -> WIRE_FIXED64;
            default -> WIRE_VARINT;
        };
    }
}
