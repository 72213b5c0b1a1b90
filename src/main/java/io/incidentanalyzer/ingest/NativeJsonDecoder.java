package io.incidentanalyzer.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Decodes the project's native JSON form of one input stream (one JSON object per Kafka record,
 * documented in {@code docs/formats.md}) into the event model. Every problem becomes a rejection
 * with a reason and a one-sentence detail naming the field; nothing is thrown.
 *
 * <p>Checks run in a fixed order, so that a record with several problems is always rejected for the
 * same reason: size, JSON syntax, presence of required fields, the timestamp, then values.
 */
public final class NativeJsonDecoder implements RecordDecoder {

    private static final long serialVersionUID = 1L;

    /** Event times outside [2000-01-01, 2100-01-01] are producer bugs, not history. */
    static final long MIN_TS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

    static final long MAX_TS = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    /** What exporters write for a number in a string; Double.parseDouble alone would take "NaN". */
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * ISO-8601 local date-time with an optional offset and an optional [zone] suffix, so that a
     * missing zone can be told apart from an unreadable string. The offset may also be in the basic
     * form {@code +0100} that strftime's %z writes.
     */
    private static final DateTimeFormatter ISO_DATE_TIME =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    .optionalStart()
                    // Lenient "+HH" takes +01, +0100 and +01:00 alike.
                    .parseLenient()
                    .appendOffset("+HH", "Z")
                    .parseStrict()
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral('[')
                    .parseCaseSensitive()
                    .appendZoneRegionId()
                    .appendLiteral(']')
                    .optionalEnd()
                    .toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT)
                    .withChronology(IsoChronology.INSTANCE);

    /** Values quoted in a detail are cut to this length so the detail stays one short sentence. */
    private static final int MAX_QUOTED_CHARS = 60;

    private final StreamKind kind;
    private final int maxRecordBytes;

    // Built lazily in the task: ObjectMapper is heavy and need not be serializable.
    private transient ObjectMapper mapper;

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
                    DeadLetters.of(r.reason, r.getMessage(), topic, partition, offset, value));
        } catch (RuntimeException e) {
            // Last resort: a bug here must cost one record, not the job.
            return Decoded.rejected(
                    DeadLetters.of(
                            RejectReason.BAD_VALUE,
                            "decoder error: "
                                    + (e.getMessage() != null
                                            ? e.getMessage()
                                            : e.getClass().getName()),
                            topic,
                            partition,
                            offset,
                            value));
        }
    }

    private Decoded decodeOrReject(byte[] value) throws Reject {
        if (value != null && value.length > maxRecordBytes) {
            throw new Reject(
                    RejectReason.TOO_LARGE,
                    "record is " + value.length + " bytes; limit is " + maxRecordBytes);
        }
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
        if (value == null) {
            throw new Reject(RejectReason.NOT_JSON, "record value is null (a tombstone?)");
        }
        if (value.length == 0) {
            throw new Reject(RejectReason.NOT_JSON, "record value is empty");
        }
        JsonNode node;
        try {
            node = mapper().readTree(value);
        } catch (JacksonException e) {
            // Covers syntax errors, invalid UTF-8, trailing content and the nesting/number-length
            // limits of StreamReadConstraints.
            throw new Reject(RejectReason.NOT_JSON, "not valid JSON: " + shorten(e));
        } catch (IOException e) {
            throw new Reject(RejectReason.NOT_JSON, "not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Reject(
                    RejectReason.NOT_JSON, "expected a JSON object, got " + describe(node));
        }
        return node;
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper =
                    JsonMapper.builder()
                            // "{...} junk" or two objects in one record is a broken producer.
                            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                            .build();
        }
        return mapper;
    }

    private static String shorten(JacksonException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        // Jackson quotes the offending bytes; control characters would garble the detail.
        return truncate(msg.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?"), 160);
    }

    // ---- fields ----

    private static void requirePresent(JsonNode r, String... names) throws Reject {
        for (String name : names) {
            JsonNode v = r.get(name);
            if (v == null || v.isNull()) {
                throw new Reject(
                        RejectReason.MISSING_FIELD, "missing required field '" + name + "'");
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
        String quoted = quote(text);
        TemporalAccessor parsed;
        try {
            parsed = ISO_DATE_TIME.parse(text.trim());
        } catch (DateTimeParseException e) {
            if (DECIMAL.matcher(text.trim()).matches()) {
                throw badTs(
                        "ts "
                                + quoted
                                + " is a number in a string; send epoch milliseconds as a JSON"
                                + " number or an ISO-8601 string");
            }
            throw badTs("ts " + quoted + " is not an ISO-8601 date-time");
        }
        if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            throw badTs("ts " + quoted + " has no zone or offset; add Z or an offset");
        }
        Instant instant;
        try {
            instant = Instant.from(parsed);
        } catch (DateTimeException e) {
            throw badTs("ts " + quoted + " is not a representable instant");
        }
        if (instant.isBefore(Instant.ofEpochMilli(MIN_TS))
                || instant.isAfter(Instant.ofEpochMilli(MAX_TS))) {
            throw badTs("ts " + quoted + " is outside 2000-01-01..2100-01-01");
        }
        return instant.toEpochMilli();
    }

    private static String requiredText(JsonNode r, String name) throws Reject {
        JsonNode v = r.get(name);
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw badValue("field '" + name + "' must be a non-empty string, got " + describe(v));
        }
        return v.textValue();
    }

    /**
     * An optional string field; absent or null gives {@code null}. Numbers and booleans are taken
     * in their text form (a version sent as {@code 2.3} is still a version); objects and arrays are
     * rejected.
     */
    private static String optionalText(JsonNode r, String name) throws Reject {
        JsonNode v = r.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isValueNode()) {
            return v.isTextual() ? v.textValue() : v.asText();
        }
        throw badValue("field '" + name + "' must be a string, got " + describe(v));
    }

    private static double finiteNumber(JsonNode r, String name) throws Reject {
        JsonNode v = r.get(name);
        double d;
        if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual() && DECIMAL.matcher(v.textValue().trim()).matches()) {
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
        Map<String, String> map = new HashMap<>();
        JsonNode v = r.get(name);
        if (v == null || v.isNull()) {
            return map;
        }
        if (!v.isObject()) {
            throw badValue("field '" + name + "' must be an object of strings, got " + describe(v));
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                continue;
            }
            map.put(
                    e.getKey(),
                    value.isTextual()
                            ? value.textValue()
                            : value.isValueNode() ? value.asText() : value.toString());
        }
        return map;
    }

    // ---- details ----

    private static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        switch (v.getNodeType()) {
            case STRING:
                return "string " + quote(v.textValue());
            case NUMBER:
                return "number " + truncate(v.asText(), MAX_QUOTED_CHARS);
            case BOOLEAN:
                return "boolean " + v.asText();
            case NULL:
                return "null";
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            default:
                return v.getNodeType().toString().toLowerCase(Locale.ROOT);
        }
    }

    private static String quote(String s) {
        return "'" + truncate(s, MAX_QUOTED_CHARS) + "'";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static Reject badTs(String detail) {
        return new Reject(RejectReason.BAD_TIMESTAMP, detail);
    }

    private static Reject badValue(String detail) {
        return new Reject(RejectReason.BAD_VALUE, detail);
    }

    /**
     * A rejection on its way out of the field helpers. Checked, so that no helper can forget to
     * turn it into a dead letter; stackless, because it is ordinary control flow for bad input.
     */
    static final class Reject extends Exception {
        private static final long serialVersionUID = 1L;
        final RejectReason reason;

        Reject(RejectReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
