package io.incidentanalyzer.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.incidentanalyzer.model.RejectReason;
import java.io.IOException;
import java.util.Locale;

/**
 * The JSON side every JSON decoder shares: the mapper, parsing one record value into a tree with a
 * rejection instead of an exception, and the short descriptions of values that details quote.
 */
public final class JsonInput {

    /** Values quoted in a detail are cut to this length so the detail stays one short sentence. */
    private static final int MAX_QUOTED_CHARS = 60;

    private JsonInput() {}

    /** A mapper that refuses trailing content: "{...} junk" or two objects is a broken producer. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** Checks the size limit: larger records are TOO_LARGE before anything parses them. */
    public static void checkSize(byte[] value, int maxRecordBytes) throws Reject {
        if (value != null && value.length > maxRecordBytes) {
            throw new Reject(
                    RejectReason.TOO_LARGE,
                    "record is " + value.length + " bytes; limit is " + maxRecordBytes);
        }
    }

    /** The record value as a JSON object, or a NOT_JSON rejection. */
    public static JsonNode parseObject(ObjectMapper mapper, byte[] value) throws Reject {
        JsonNode node = parse(mapper, value);
        if (!node.isObject()) {
            throw new Reject(
                    RejectReason.NOT_JSON, "expected a JSON object, got " + describe(node));
        }
        return node;
    }

    /** The record value as any JSON value, or a NOT_JSON rejection. */
    public static JsonNode parse(ObjectMapper mapper, byte[] value) throws Reject {
        if (value == null) {
            throw new Reject(RejectReason.NOT_JSON, "record value is null (a tombstone?)");
        }
        if (value.length == 0) {
            throw new Reject(RejectReason.NOT_JSON, "record value is empty");
        }
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JacksonException e) {
            // Covers syntax errors, invalid UTF-8, trailing content and the nesting/number-length
            // limits of StreamReadConstraints.
            throw new Reject(RejectReason.NOT_JSON, "not valid JSON: " + shorten(e));
        } catch (IOException e) {
            throw new Reject(RejectReason.NOT_JSON, "not valid JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw new Reject(RejectReason.NOT_JSON, "record value holds no JSON value");
        }
        return node;
    }

    private static String shorten(JacksonException e) {
        String msg = e.getOriginalMessage();
        if (msg == null) {
            msg = e.getClass().getSimpleName();
        }
        // Jackson quotes the offending bytes; control characters would garble the detail.
        return truncate(msg.replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?"), 160);
    }

    /** A value's type and a short form of it, for details: "string 'abc'", "an object". */
    public static String describe(JsonNode v) {
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

    public static String quote(String s) {
        return "'" + truncate(s, MAX_QUOTED_CHARS) + "'";
    }

    public static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
