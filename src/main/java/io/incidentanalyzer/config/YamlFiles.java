package io.incidentanalyzer.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the project's YAML files (job files, scenarios) into records. Every mistake becomes a
 * {@link ConfigException} whose message names the file, the field path (e.g. {@code faults[2].at})
 * and the expected form; unknown keys are errors. Durations are written as people say them ({@code
 * 30s}, {@code 5m}), local date-times as {@code 2024-02-16T08:30}.
 */
public final class YamlFiles {

    private YamlFiles() {}

    /** The text of {@code file}; {@code what} completes "pass the path of …" when it is missing. */
    public static String readText(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file; pass the path of " + what);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file + ": cannot read the file (" + e.getMessage() + ")");
        }
    }

    /**
     * Maps YAML text onto {@code type}; {@code source} names the text in error messages and {@code
     * example} names a file to copy from when the text is empty.
     */
    public static <T> T parse(String yaml, String source, Class<T> type, String example) {
        if (yaml.isBlank()) {
            throw new ConfigException(source + ": the file is empty; see " + example);
        }
        T value;
        try {
            value = mapper().readValue(yaml, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + describe(e));
        }
        if (value == null) {
            throw new ConfigException(source + ": the file holds no settings");
        }
        return value;
    }

    private static ObjectMapper mapper() {
        SimpleModule durations = new SimpleModule("durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        durations.addDeserializer(LocalDateTime.class, new LocalDateTimeDeserializer());
        return JsonMapper.builder(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(durations)
                .build();
    }

    /** Turns Jackson's message into "path: what is wrong; what is expected". */
    private static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String at = path(u);
            Collection<Object> known = u.getKnownPropertyIds();
            String where = at.isEmpty() ? "" : at + ": ";
            return where
                    + "unknown key '"
                    + u.getPropertyName()
                    + "'"
                    + (known == null || known.isEmpty()
                            ? ""
                            : "; expected one of: "
                                    + known.stream()
                                            .map(String::valueOf)
                                            .sorted()
                                            .collect(Collectors.joining(", ")));
        }
        if (e instanceof InvalidFormatException f) {
            return path(f)
                    + ": expected "
                    + expectedForm(f.getTargetType())
                    + ", got '"
                    + f.getValue()
                    + "'";
        }
        if (e instanceof MismatchedInputException m) {
            String at = path(m);
            return (at.isEmpty() ? "top level" : at)
                    + ": expected "
                    + expectedForm(m.getTargetType())
                    + line(m);
        }
        if (e instanceof JsonMappingException m) {
            String at = path(m);
            return (at.isEmpty() ? "" : at + ": ") + rootMessage(m);
        }
        var loc = e.getLocation();
        String position =
                loc == null
                        ? ""
                        : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
        return position + "not valid YAML (" + e.getOriginalMessage() + ")";
    }

    private static String line(JsonProcessingException e) {
        var loc = e.getLocation();
        return loc == null || loc.getLineNr() < 1 ? "" : " (line " + loc.getLineNr() + ")";
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c instanceof JsonProcessingException j ? j.getOriginalMessage() : c.getMessage();
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) b.append('.');
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    static final String LOCAL_DATE_TIME = "a local date and time such as 2024-02-16T08:30";

    static String expectedForm(Class<?> type) {
        if (type == null) return "another form";
        if (type == Duration.class) return DurationText.EXPECTED;
        if (type == LocalDateTime.class) return LOCAL_DATE_TIME;
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class)
            return "a whole number";
        if (type == Double.class || type == double.class) return "a number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (type == String.class) return "a text value";
        if (type.isEnum()) return "one of: " + enumForms(type);
        if (List.class.isAssignableFrom(type)) return "a list";
        if (Map.class.isAssignableFrom(type) || type.isRecord())
            return "a mapping of keys to values";
        return "a value of type " + type.getSimpleName();
    }

    private static String enumForms(Class<?> type) {
        return Arrays.stream(type.getFields())
                .filter(java.lang.reflect.Field::isEnumConstant)
                .map(
                        f -> {
                            JsonProperty p = f.getAnnotation(JsonProperty.class);
                            return p != null ? p.value() : f.getName().toLowerCase();
                        })
                .collect(Collectors.joining(", "));
    }

    /** Durations in job files are written as people say them: 30s, 5m, 2h. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw InvalidFormatException.from(p, "not a duration", p.getText(), Duration.class);
            }
            Duration d = DurationText.parse(p.getText());
            if (d == null) {
                throw InvalidFormatException.from(p, "not a duration", p.getText(), Duration.class);
            }
            return d;
        }
    }

    /** Local date-times as written in scenarios: {@code 2024-02-16T08:30} (seconds optional). */
    private static final class LocalDateTimeDeserializer extends JsonDeserializer<LocalDateTime> {
        @Override
        public LocalDateTime deserialize(JsonParser p, DeserializationContext ctx)
                throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return LocalDateTime.parse(p.getText().trim());
                } catch (DateTimeParseException e) {
                    // reported below with the field path
                }
            }
            throw InvalidFormatException.from(
                    p, "not a local date-time", p.getText(), LocalDateTime.class);
        }
    }
}
