package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
        if (value == null || value.length == 0 || !utf8(value)) {
            return null;
        }
        Schema root = schema(type);
        pos = 0;
        Message built = null;
        try (JsonParser p = FACTORY.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            if (type == ExportMetricsServiceRequest.getDescriptor()) {
                built = metricsRequest(p, root);
            } else if (type == ExportTraceServiceRequest.getDescriptor()) {
                built = tracesRequest(p, root);
            } else {
                message(p, root, 0);
            }
            if (p.nextToken() != null) {
                return null;
            }
        } catch (IOException | Unhandled e) {
            return null;
        }
        if (built != null) {
            @SuppressWarnings("unchecked")
            T request = (T) built;
            return request;
        }
        try {
            return parser.parseFrom(buf, 0, pos);
        } catch (InvalidProtocolBufferException e) {
            return null; // not expected: the bytes were written from the same descriptors
        }
    }

    /**
     * Whether the record is well-formed UTF-8. JsonFormat reads the record as a Java string, which
     * replaces malformed bytes; Jackson decodes some of them (an overlong form, an encoded
     * surrogate) to other characters. Such records go to JsonFormat.
     */
    private static boolean utf8(byte[] value) {
        for (byte b : value) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(value));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- JSON into the builders: the messages of metrics and spans that every record has ----

    // Each reads its fields as nextField finds them (so duplicates, nulls and oneofs are checked as
    // on the wire path) and hands any other field to escape(), which writes it as wire bytes and
    // merges them into the builder: the generated parser's reading of the same field.

    private ExportMetricsServiceRequest metricsRequest(JsonParser p, Schema s) throws IOException {
        ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
        begin(0);
        Field f;
        while ((f = nextField(p, s, 0)) != null) {
            if (f.tag >>> 3 != 1) {
                escape(p, f, b, 0);
                continue;
            }
            Schema rm = f.message;
            while (element(p) != null) {
                b.addResourceMetrics(resourceMetrics(p, rm, 1));
            }
        }
        return b.build();
    }

    private ResourceMetrics resourceMetrics(JsonParser p, Schema s, int depth) throws IOException {
        ResourceMetrics.Builder b = ResourceMetrics.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            switch (f.tag >>> 3) {
                case 1 -> b.setResource(resource(p, f.message, depth + 1));
                case 2 -> {
                    while (element(p) != null) {
                        b.addScopeMetrics(scopeMetrics(p, f.message, depth + 1));
                    }
                }
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private ScopeMetrics scopeMetrics(JsonParser p, Schema s, int depth) throws IOException {
        ScopeMetrics.Builder b = ScopeMetrics.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            if (f.tag >>> 3 != 2) {
                escape(p, f, b, depth);
                continue;
            }
            while (element(p) != null) {
                b.addMetrics(metric(p, f.message, depth + 1));
            }
        }
        return b.build();
    }

    private Metric metric(JsonParser p, Schema s, int depth) throws IOException {
        Metric.Builder b = Metric.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            switch (f.tag >>> 3) {
                case 1 -> b.setName(string(p));
                case 3 -> b.setUnit(string(p));
                case 5 -> b.setGauge(gauge(p, f.message, depth + 1));
                case 7 -> b.setSum(sum(p, f.message, depth + 1));
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private Gauge gauge(JsonParser p, Schema s, int depth) throws IOException {
        Gauge.Builder b = Gauge.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            if (f.tag >>> 3 != 1) {
                escape(p, f, b, depth);
                continue;
            }
            while (element(p) != null) {
                b.addDataPoints(numberPoint(p, f.message, depth + 1));
            }
        }
        return b.build();
    }

    private Sum sum(JsonParser p, Schema s, int depth) throws IOException {
        Sum.Builder b = Sum.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            switch (f.tag >>> 3) {
                case 1 -> {
                    while (element(p) != null) {
                        b.addDataPoints(numberPoint(p, f.message, depth + 1));
                    }
                }
                case 2 -> b.setAggregationTemporalityValue(int32(p, p.currentToken()));
                case 3 -> b.setIsMonotonic(bool(p));
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private NumberDataPoint numberPoint(JsonParser p, Schema s, int depth) throws IOException {
        NumberDataPoint.Builder b = NumberDataPoint.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            JsonToken t = p.currentToken();
            switch (f.tag >>> 3) {
                case 2 -> b.setStartTimeUnixNano(uint64(p, t));
                case 3 -> b.setTimeUnixNano(uint64(p, t));
                case 4 -> b.setAsDouble(dbl(p, t));
                case 6 -> b.setAsInt(int64(p, t));
                case 7 -> {
                    while (element(p) != null) {
                        b.addAttributes(keyValue(p, f.message, depth + 1));
                    }
                }
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private ExportTraceServiceRequest tracesRequest(JsonParser p, Schema s) throws IOException {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        begin(0);
        Field f;
        while ((f = nextField(p, s, 0)) != null) {
            if (f.tag >>> 3 != 1) {
                escape(p, f, b, 0);
                continue;
            }
            while (element(p) != null) {
                b.addResourceSpans(resourceSpans(p, f.message, 1));
            }
        }
        return b.build();
    }

    private ResourceSpans resourceSpans(JsonParser p, Schema s, int depth) throws IOException {
        ResourceSpans.Builder b = ResourceSpans.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            switch (f.tag >>> 3) {
                case 1 -> b.setResource(resource(p, f.message, depth + 1));
                case 2 -> {
                    while (element(p) != null) {
                        b.addScopeSpans(scopeSpans(p, f.message, depth + 1));
                    }
                }
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private ScopeSpans scopeSpans(JsonParser p, Schema s, int depth) throws IOException {
        ScopeSpans.Builder b = ScopeSpans.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            if (f.tag >>> 3 != 2) {
                escape(p, f, b, depth);
                continue;
            }
            while (element(p) != null) {
                b.addSpans(span(p, f.message, depth + 1));
            }
        }
        return b.build();
    }

    private Span span(JsonParser p, Schema s, int depth) throws IOException {
        Span.Builder b = Span.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            JsonToken t = p.currentToken();
            switch (f.tag >>> 3) {
                case 1 -> b.setTraceId(hexBytes(p));
                case 2 -> b.setSpanId(hexBytes(p));
                case 4 -> b.setParentSpanId(hexBytes(p));
                case 5 -> b.setName(string(p));
                case 6 -> b.setKindValue(int32(p, t));
                case 7 -> b.setStartTimeUnixNano(uint64(p, t));
                case 8 -> b.setEndTimeUnixNano(uint64(p, t));
                case 9 -> {
                    while (element(p) != null) {
                        b.addAttributes(keyValue(p, f.message, depth + 1));
                    }
                }
                case 15 -> b.setStatus(status(p, f.message, depth + 1));
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private Status status(JsonParser p, Schema s, int depth) throws IOException {
        Status.Builder b = Status.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            switch (f.tag >>> 3) {
                case 2 -> b.setMessage(string(p));
                case 3 -> b.setCodeValue(int32(p, p.currentToken()));
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private Resource resource(JsonParser p, Schema s, int depth) throws IOException {
        Resource.Builder b = Resource.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            if (f.tag >>> 3 != 1) {
                escape(p, f, b, depth);
                continue;
            }
            while (element(p) != null) {
                b.addAttributes(keyValue(p, f.message, depth + 1));
            }
        }
        return b.build();
    }

    private KeyValue keyValue(JsonParser p, Schema s, int depth) throws IOException {
        KeyValue.Builder b = KeyValue.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            switch (f.tag >>> 3) {
                case 1 -> b.setKey(string(p));
                case 2 -> b.setValue(anyValue(p, f.message, depth + 1));
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    private AnyValue anyValue(JsonParser p, Schema s, int depth) throws IOException {
        AnyValue.Builder b = AnyValue.newBuilder();
        objectAt(p, depth);
        Field f;
        while ((f = nextField(p, s, depth)) != null) {
            JsonToken t = p.currentToken();
            switch (f.tag >>> 3) {
                case 1 -> b.setStringValue(string(p));
                case 2 -> b.setBoolValue(bool(p));
                case 3 -> b.setIntValue(int64(p, t));
                case 4 -> b.setDoubleValue(dbl(p, t));
                default -> escape(p, f, b, depth);
            }
        }
        return b.build();
    }

    /** Checks that the value the parser is on is an object, to be read at {@code depth}. */
    private void objectAt(JsonParser p, int depth) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw UNHANDLED;
        }
        begin(depth);
    }

    private static String string(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw UNHANDLED;
        }
        return p.getText();
    }

    private static boolean bool(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw UNHANDLED;
        }
        return t == JsonToken.VALUE_TRUE;
    }

    /** A hex id's bytes, by the wire path's rules ({@link #hex}). */
    private ByteString hexBytes(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw UNHANDLED;
        }
        pos = 0;
        hex(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        int n = p.getTextLength() / 2;
        return UnsafeByteOperations.unsafeWrap(Arrays.copyOfRange(buf, pos - n, pos));
    }

    /**
     * Any other field of a message read into its builder: written as wire bytes and merged, which
     * is what the generated parser does with them.
     */
    private void escape(JsonParser p, Field f, Message.Builder b, int depth) throws IOException {
        pos = 0;
        field(p, p.currentToken(), f, depth);
        try {
            b.mergeFrom(buf, 0, pos);
        } catch (InvalidProtocolBufferException e) {
            throw UNHANDLED; // not expected: the bytes were written from the same descriptors
        }
    }

    // ---- JSON to wire ----

    /** Per nesting depth: the fields and oneofs of the object being read, and its last field. */
    private final long[] seen = new long[MAX_DEPTH + 2];

    private final long[] oneofs = new long[MAX_DEPTH + 2];
    private final Field[] prev = new Field[MAX_DEPTH + 2];

    /** Starts reading an object of some message at {@code depth}. */
    private void begin(int depth) {
        if (depth > MAX_DEPTH) {
            throw UNHANDLED;
        }
        seen[depth] = 0;
        oneofs[depth] = 0;
        prev[depth] = null;
    }

    /**
     * The next known field of the object at {@code depth}, the parser on its value's first token
     * (never null); null at the object's end. Unknown keys are skipped; a null value, a field twice
     * or a second member of a oneof go to JsonFormat.
     *
     * <p>Producers write the fields of a message in the same order every time, so the reader asks
     * the parser first for the field that followed the previous one last time, by its bytes ({@link
     * JsonParser#nextFieldName(com.fasterxml.jackson.core.SerializableString)}), which skips the
     * parser's symbol table and the map lookup; any other order still works.
     */
    private Field nextField(JsonParser p, Schema schema, int depth) throws IOException {
        while (true) {
            Field last = prev[depth];
            Field expected = last == null ? schema.first : last.next;
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
                if (last == null) schema.first = f;
                else last.next = f;
            } else {
                return null; // END_OBJECT
            }
            prev[depth] = f;
            JsonToken t = p.nextToken();
            long bit = 1L << f.bit;
            if (t == JsonToken.VALUE_NULL || (seen[depth] & bit) != 0) {
                throw UNHANDLED;
            }
            seen[depth] |= bit;
            if (f.oneof >= 0) {
                long one = 1L << f.oneof;
                if ((oneofs[depth] & one) != 0) {
                    throw UNHANDLED;
                }
                oneofs[depth] |= one;
            }
            if (f.repeated && t != JsonToken.START_ARRAY) {
                throw UNHANDLED;
            }
            return f;
        }
    }

    /** The next element of the array the parser is in (never null); null at its end. */
    private static JsonToken element(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_ARRAY) {
            return null;
        }
        if (t == JsonToken.VALUE_NULL) {
            throw UNHANDLED;
        }
        return t;
    }

    /** One object of {@code schema}'s message, as wire bytes. */
    private void message(JsonParser p, Schema schema, int depth) throws IOException {
        begin(depth);
        Field f;
        while ((f = nextField(p, schema, depth)) != null) {
            field(p, p.currentToken(), f, depth);
        }
    }

    /** A field's value (all of them, if repeated) as wire bytes. */
    private void field(JsonParser p, JsonToken t, Field f, int depth) throws IOException {
        if (!f.repeated) {
            value(p, t, f, depth);
            return;
        }
        while ((t = element(p)) != null) {
            value(p, t, f, depth);
        }
    }

    private void value(JsonParser p, JsonToken t, Field f, int depth) throws IOException {
        switch (f.kind) {
            case MESSAGE -> {
                if (t != JsonToken.START_OBJECT) {
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
