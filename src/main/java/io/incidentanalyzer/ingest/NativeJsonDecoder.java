package io.incidentanalyzer.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.ingest.format.FormatFields;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Decodes the project's native JSON form of one input stream (one JSON object per Kafka record,
 * documented in {@code docs/formats.md}) into the event model. Every problem becomes a rejection
 * with a reason and a one-sentence detail naming the field; nothing is thrown.
 *
 * <p>Checks run in a fixed order, so that a record with several problems is always rejected for the
 * same reason: size, JSON syntax, presence of required fields, the timestamp, then values.
 *
 * <p>Two paths: a well-formed record in the common shapes is read by {@link NativeJsonReader}
 * (streaming, no tree, three times faster); every other record, and every rejection, goes through
 * the tree path below, which is the reference for what the fast path may accept.
 */
public final class NativeJsonDecoder implements RecordDecoder {

    private static final long serialVersionUID = 1L;

    static final long MIN_TS = EventTimes.MIN_TS;

    static final long MAX_TS = EventTimes.MAX_TS;

    private final StreamKind kind;
    private final int maxRecordBytes;

    // Built lazily in the task: ObjectMapper is heavy and need not be serializable.
    private transient ObjectMapper mapper;

    private transient NativeJsonReader reader;

    public NativeJsonDecoder(StreamKind kind, int maxRecordBytes) {
        this.kind = Objects.requireNonNull(kind, "kind");
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be positive, got " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public static NativeJsonDecoder forKind(StreamKind kind, int maxRecordBytes) {
        return new NativeJsonDecoder(kind, maxRecordBytes);
    }

    public StreamKind kind() {
        return kind;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    @Override
    public Decoded decode(String topic, int partition, long offset, byte[] value) {
        try {
            return decodeOrReject(value);
        } catch (Reject r) {
            return Decoded.rejected(
                    DeadLetters.of(r.reason(), r.getMessage(), topic, partition, offset, value));
        } catch (RuntimeException e) {
            // Last resort: a bug here must cost one record, not the job.
            return Decoded.rejected(DeadLetters.decoderError(e, topic, partition, offset, value));
        }
    }

    private Decoded decodeOrReject(byte[] value) throws Reject {
        JsonInput.checkSize(value, maxRecordBytes);
        if (reader == null) {
            reader = new NativeJsonReader(kind);
        }
        Decoded fast = reader.read(value);
        if (fast != null) {
            return fast;
        }
        return decodeTree(value);
    }

    /** The reference path: every record the fast path leaves, and every rejection. */
    Decoded decodeTree(byte[] value) throws Reject {
        JsonNode record = parseObject(value);
        switch (kind) {
            case METRICS:
                return Decoded.of(metric(record));
            case AUTH:
                return Decoded.of(auth(record));
            case LOGS:
                return Decoded.of(log(record));
            case CHANGES:
                return Decoded.of(change(record));
            default:
                throw new IllegalStateException("no decoder for " + kind);
        }
    }

    // ---- the four forms ----

    private static MetricSample metric(JsonNode r) throws Reject {
        requirePresent(r, "ts", "service", "metric", "value");
        long ts = timestamp(r.get("ts"));
        return new MetricSample(
                ts,
                requiredText(r, "service"),
                requiredText(r, "metric"),
                finiteNumber(r, "value"),
                stringMap(r, "labels"));
    }

    private static AuthEvent auth(JsonNode r) throws Reject {
        requirePresent(r, "ts", "service", "type");
        long ts = timestamp(r.get("ts"));
        return new AuthEvent(
                ts,
                requiredText(r, "service"),
                enumValue(r, "type", AuthEventType.class),
                optionalText(r, "clientId"),
                optionalText(r, "clientVersion"),
                optionalText(r, "userId"),
                optionalText(r, "sessionId"),
                optionalText(r, "ip"),
                optionalText(r, "caller"),
                optionalText(r, "outcome"),
                optionalText(r, "error"));
    }

    private static LogEvent log(JsonNode r) throws Reject {
        requirePresent(r, "ts", "service", "message");
        long ts = timestamp(r.get("ts"));
        String service = requiredText(r, "service");
        String message = requiredText(r, "message");
        String level = optionalText(r, "level");
        level = level == null || level.isBlank() ? "INFO" : level.trim().toUpperCase(Locale.ROOT);
        return new LogEvent(ts, service, level, message, stringMap(r, "attributes"));
    }

    private static ChangeEvent change(JsonNode r) throws Reject {
        requirePresent(r, "ts", "service", "kind");
        long ts = timestamp(r.get("ts"));
        return new ChangeEvent(
                ts,
                requiredText(r, "service"),
                enumValue(r, "kind", ChangeKind.class),
                optionalText(r, "version"),
                optionalText(r, "description"));
    }

    // ---- parsing ----

    private JsonNode parseObject(byte[] value) throws Reject {
        if (mapper == null) {
            mapper = JsonInput.mapper();
        }
        return JsonInput.parseObject(mapper, value);
    }

    // ---- fields ----

    private static void requirePresent(JsonNode r, String... names) throws Reject {
        for (String name : names) {
            JsonNode v = r.get(name);
            if (v == null || v.isNull()) {
                throw Reject.missing(name);
            }
        }
    }

    /** Epoch milliseconds from an integer or an ISO-8601 string with a zone. */
    static long timestamp(JsonNode ts) throws Reject {
        if (ts.isIntegralNumber()) {
            if (!ts.canConvertToLong()) {
                throw badTs("ts " + ts.asText() + " is not a plausible epoch-milliseconds time");
            }
            long v = ts.longValue();
            if (v >= MIN_TS && v <= MAX_TS) {
                return v;
            }
            throw badTs(outOfRange(v));
        }
        if (ts.isTextual()) {
            return isoTimestamp(ts.textValue());
        }
        if (ts.isNumber()) {
            throw badTs(
                    "ts "
                            + ts.asText()
                            + " is a decimal number; send integer epoch milliseconds or an"
                            + " ISO-8601 string");
        }
        throw badTs(
                "ts must be integer epoch milliseconds or an ISO-8601 string, got " + describe(ts));
    }

    private static String outOfRange(long v) {
        if (v >= MIN_TS / 1000 && v <= MAX_TS / 1000) {
            return "ts " + v + " looks like epoch seconds; send milliseconds";
        }
        if (v >= MIN_TS * 1000 && v <= MAX_TS * 1000) {
            return "ts " + v + " looks like epoch microseconds; send milliseconds";
        }
        if (v >= MIN_TS * 1_000_000 && v <= MAX_TS * 1_000_000) {
            return "ts " + v + " looks like epoch nanoseconds; send milliseconds";
        }
        return "ts " + v + " is outside 2000-01-01..2100-01-01 as epoch milliseconds";
    }

    private static long isoTimestamp(String text) throws Reject {
        return EventTimes.iso(text, "ts");
    }

    private static String requiredText(JsonNode r, String name) throws Reject {
        return FormatFields.text(r, name);
    }

    /**
     * An optional string field; absent or null gives {@code null}. Numbers and booleans are taken
     * in their text form (a version sent as {@code 2.3} is still a version); objects and arrays are
     * rejected.
     */
    private static String optionalText(JsonNode r, String name) throws Reject {
        return FormatFields.optionalText(r, name);
    }

    private static double finiteNumber(JsonNode r, String name) throws Reject {
        JsonNode v = r.get(name);
        double d;
        if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual() && EventTimes.DECIMAL.matcher(v.textValue().trim()).matches()) {
            d = Double.parseDouble(v.textValue().trim());
        } else {
            throw badValue(
                    "field '"
                            + name
                            + "' must be a finite number or a numeric string, got "
                            + describe(v));
        }
        if (!Double.isFinite(d)) {
            throw badValue("field '" + name + "' is out of range for a double: " + describe(v));
        }
        return d;
    }

    private static <E extends Enum<E>> E enumValue(JsonNode r, String name, Class<E> type)
            throws Reject {
        String text = requiredText(r, name);
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(normalized)) {
                return e;
            }
        }
        throw badValue(
                "field '"
                        + name
                        + "' has unknown value "
                        + quote(text)
                        + "; expected one of "
                        + Arrays.stream(type.getEnumConstants())
                                .map(Enum::name)
                                .collect(Collectors.joining(", ")));
    }

    /**
     * An optional object of strings, as a {@link HashMap} (Flink's MapSerializer copies into one;
     * the JDK's immutable maps are not safe there). Non-string values keep their text form, nested
     * objects and arrays their JSON text; null values are dropped.
     */
    private static Map<String, String> stringMap(JsonNode r, String name) throws Reject {
        return FormatFields.stringMap(r, name);
    }

    // ---- details ----

    private static String describe(JsonNode v) {
        return JsonInput.describe(v);
    }

    private static String quote(String s) {
        return JsonInput.quote(s);
    }

    private static Reject badTs(String detail) {
        return Reject.badTimestamp(detail);
    }

    private static Reject badValue(String detail) {
        return Reject.badValue(detail);
    }
}
