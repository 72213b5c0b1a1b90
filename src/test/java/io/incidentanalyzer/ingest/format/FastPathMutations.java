package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Mutants of a valid JSON record for comparing a streaming fast path with its tree path: half of
 * them byte-level ({@link DecoderFuzz#mutate}: truncation, bit flips, fragments), half structural
 * and still valid JSON (a field removed, set to null or to a value of another type or form, a
 * duplicate key added, fields reordered), so that many reach the fast path's field checks rather
 * than the parser's.
 */
final class FastPathMutations {
    private FastPathMutations() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Values a field is set to: other types, blank, other time forms, nested shapes. */
    private static final String[] VALUES = {
        "null",
        "\"\"",
        "\" \"",
        "0",
        "1.5",
        "true",
        "{}",
        "[]",
        "[{}]",
        "{\"a\":1}",
        "\"x\"",
        "\"Pod\"",
        "\"Deployment\"",
        "\"ReplicaSet\"",
        "\"db-0\"",
        "\"web-5f9c7d8b6\"",
        "\"ScalingReplicaSet\"",
        "\"Warning\"",
        "\"resolved\"",
        "\"firing\"",
        "\"4\"",
        "4",
        "\"critical\"",
        "\"none\"",
        "{\"alertname\":\"X\",\"service\":\"s\",\"severity\":\"info\"}",
        "{\"alertname\":\"X\",\"job\":\"j\",\"n\":1}",
        "{\"alertname\":\"X\",\"service\":null}",
        "\"2024-02-16T08:30:00Z\"",
        "\"2024-02-16T08:30:00.123456+01:00\"",
        "\"2024-02-16T08:30:00+0100\"",
        "\"2024-02-16 08:30:00Z\"",
        "\"2024-02-30T08:30:00Z\"",
        "\"2099-02-16T08:30:00Z\"",
        "\"0001-01-01T00:00:00Z\"",
        "\"2024-02-16T07:00:00Z\"",
        "\"a1b2\"",
        "\"not a fingerprint!\"",
        "{\"host\":\"n\"}",
        "{\"host\":5}",
        "{\"lastObservedTime\":\"2024-02-16T08:40:00Z\"}",
        "{\"creationTimestamp\":\"2024-02-16T08:20:00Z\"}",
        "{\"kind\":\"Pod\",\"name\":\"x-7d4b9c8f6-abcde\"}",
        "{\"kind\":\"StatefulSet\",\"name\":\"db\",\"namespace\":\"\"}",
    };

    /** Fields the two formats read, added where they were not. */
    private static final String[] NAMES = {
        "message",
        "note",
        "source",
        "host",
        "lastTimestamp",
        "deprecatedLastTimestamp",
        "eventTime",
        "firstTimestamp",
        "series",
        "metadata",
        "creationTimestamp",
        "lastObservedTime",
        "involvedObject",
        "regarding",
        "reportingInstance",
        "type",
        "reason",
        "kind",
        "name",
        "namespace",
        "version",
        "alerts",
        "status",
        "labels",
        "annotations",
        "startsAt",
        "endsAt",
        "fingerprint",
        "severity",
        "alertname",
        "service",
        "job",
        "resourceLogs"
    };

    /** One mutant of {@code example}. */
    static byte[] mutate(Random random, String example) {
        if (random.nextBoolean()) {
            return DecoderFuzz.mutate(random, example.getBytes(StandardCharsets.UTF_8));
        }
        try {
            JsonNode root = MAPPER.readTree(example);
            String json = example;
            int steps = 1 + random.nextInt(3);
            for (int s = 0; s < steps; s++) {
                List<ObjectNode> objects = new ArrayList<>();
                collect(root, objects);
                ObjectNode o = objects.get(random.nextInt(objects.size()));
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name =
                        names.isEmpty() || random.nextInt(4) == 0
                                ? NAMES[random.nextInt(NAMES.length)]
                                : names.get(random.nextInt(names.size()));
                String value = VALUES[random.nextInt(VALUES.length)];
                switch (random.nextInt(4)) {
                    case 0 -> o.remove(name);
                    case 1 -> o.set(name, MAPPER.readTree(value));
                    case 2 -> {
                        // Fields in another order: the fast path tries the usual one first.
                        JsonNode v = o.remove(name);
                        if (v != null) o.set(name, v);
                    }
                    default -> {
                        json = MAPPER.writeValueAsString(root);
                        return duplicate(random, json, name, value);
                    }
                }
                json = MAPPER.writeValueAsString(root);
            }
            return json.getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text with {@code "name":value,} put before one occurrence of the key: a duplicate. */
    private static byte[] duplicate(Random random, String json, String name, String value) {
        String key = "\"" + name + "\":";
        int at = json.indexOf(key);
        String out;
        if (at >= 0 && random.nextBoolean()) {
            out = json.substring(0, at) + key + value + "," + json.substring(at);
        } else {
            // At the end of the record, where it is the one the tree keeps.
            out = json.substring(0, json.length() - 1) + "," + key + value + "}";
        }
        return out.getBytes(StandardCharsets.UTF_8);
    }

    private static void collect(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) collect(it.next(), out);
        } else if (node instanceof ArrayNode a) {
            for (JsonNode e : a) collect(e, out);
        }
    }
}
