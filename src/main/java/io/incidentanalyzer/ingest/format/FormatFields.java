package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.JsonInput.describe;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Field readers the JSON producer formats share: required and optional text, string maps, sample
 * values written as strings, and the checks that turn a wrong type into a rejection naming the
 * field. Each returns a value or throws a {@link Reject}; none throws anything else.
 */
public final class FormatFields {
    private FormatFields() {}

    /** The field as a JSON object; MISSING_FIELD when absent or null, BAD_VALUE otherwise. */
    public static JsonNode object(JsonNode r, String name) throws Reject {
        JsonNode v = present(r, name);
        if (!v.isObject()) {
            throw Reject.badValue("field '" + name + "' must be an object, got " + describe(v));
        }
        return v;
    }

    /** The field as a JSON array; MISSING_FIELD when absent or null, BAD_VALUE otherwise. */
    public static JsonNode array(JsonNode r, String name) throws Reject {
        JsonNode v = present(r, name);
        if (!v.isArray()) {
            throw Reject.badValue("field '" + name + "' must be an array, got " + describe(v));
        }
        return v;
    }

    /** The field, present and not null. */
    public static JsonNode present(JsonNode r, String name) throws Reject {
        JsonNode v = r.get(name);
        if (v == null || v.isNull()) {
            throw Reject.missing(name);
        }
        return v;
    }

    /** A required non-blank string. */
    public static String text(JsonNode r, String name) throws Reject {
        JsonNode v = present(r, name);
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw Reject.badValue(
                    "field '" + name + "' must be a non-empty string, got " + describe(v));
        }
        return v.textValue();
    }

    /**
     * An optional string: null when absent, null or blank; a number or boolean in its text form; an
     * object or array is BAD_VALUE.
     */
    public static String optionalText(JsonNode r, String name) throws Reject {
        JsonNode v = r.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isValueNode()) {
            return v.isTextual() ? v.textValue() : v.asText();
        }
        throw Reject.badValue("field '" + name + "' must be a string, got " + describe(v));
    }

    /**
     * An optional object of scalars as a mutable map (Flink's MapSerializer needs one): strings as
     * they are, numbers and booleans in text form, nested values as JSON text, nulls dropped.
     */
    public static Map<String, String> stringMap(JsonNode r, String name) throws Reject {
        Map<String, String> map = new HashMap<>();
        JsonNode v = r.get(name);
        if (v == null || v.isNull()) {
            return map;
        }
        if (!v.isObject()) {
            throw Reject.badValue(
                    "field '" + name + "' must be an object of strings, got " + describe(v));
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

    /**
     * A finite sample value from a JSON number or a decimal string. Exporters write NaN and the
     * infinities as strings ("NaN", "+Inf", "-Inf", "Infinity"): those are BAD_VALUE with a detail
     * that says which, never a silent zero.
     */
    public static double finite(JsonNode v, String name) throws Reject {
        double d;
        if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual()) {
            String t = v.textValue().trim();
            if (EventTimes.DECIMAL.matcher(t).matches()) {
                d = Double.parseDouble(t);
            } else {
                String special = special(t);
                if (special != null) {
                    throw Reject.badValue(
                            "field '"
                                    + name
                                    + "' is "
                                    + special
                                    + "; only finite samples are analysed");
                }
                throw Reject.badValue("field '" + name + "' must be a number, got " + describe(v));
            }
        } else {
            throw Reject.badValue("field '" + name + "' must be a number, got " + describe(v));
        }
        if (!Double.isFinite(d)) {
            throw Reject.badValue(
                    "field '" + name + "' is out of range for a double: " + describe(v));
        }
        return d;
    }

    /** A name for NaN and the infinities in their usual spellings, or null. */
    public static String special(String t) {
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "nan" -> "NaN (Prometheus writes it for stale series and empty ratios)";
            case "+inf", "inf", "+infinity", "infinity" -> "+Inf";
            case "-inf", "-infinity" -> "-Inf";
            default -> null;
        };
    }

    /** A finite double, or BAD_VALUE naming the field (for values a parser gave as a double). */
    public static double finite(double d, String name) throws Reject {
        if (Double.isNaN(d)) {
            throw Reject.badValue("field '" + name + "' is NaN; only finite samples are analysed");
        }
        if (Double.isInfinite(d)) {
            throw Reject.badValue(
                    "field '"
                            + name
                            + "' is "
                            + (d > 0 ? "+Inf" : "-Inf")
                            + "; only finite samples are analysed");
        }
        return d;
    }

    /** A JSON integer as a long, or BAD_VALUE naming the field. */
    public static long integer(JsonNode v, String name) throws Reject {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        throw Reject.badValue(
                "field '" + name + "' must be an integer that fits 64 bits, got " + describe(v));
    }
}
