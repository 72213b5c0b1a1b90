package io.incidentanalyzer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CustomResourceDefinition's {@code openAPIV3Schema}, turned into a JSON Schema that rejects what
 * a Kubernetes API server rejects when a resource's {@code spec} is applied with strict field
 * validation ({@code kubectl apply}'s default since Kubernetes 1.27).
 *
 * <p>The schemas of a CRD are structural: Kubernetes reads an object without {@code
 * additionalProperties} as closed (an unknown field is an error under strict validation, pruned
 * silently otherwise) unless it says {@code x-kubernetes-preserve-unknown-fields}, and {@code
 * x-kubernetes-int-or-string} as "an integer or a string". JSON Schema reads both the other way
 * (open objects, no type check), so {@link #translate} writes them out as {@code
 * additionalProperties: false} and {@code anyOf}. Any other keyword that Kubernetes evaluates and
 * this translation does not (CEL rules in {@code x-kubernetes-validations}, {@code nullable},
 * {@code format}, ...) is reported by {@link #unhandledKeywords()} rather than silently ignored.
 */
final class CrdSchema {
    /** The keywords {@link #translate} handles; a CRD using others needs this class extended. */
    private static final Set<String> HANDLED =
            Set.of(
                    "type",
                    "properties",
                    "items",
                    "enum",
                    "anyOf",
                    "additionalProperties",
                    "required",
                    "description",
                    "x-kubernetes-int-or-string",
                    "x-kubernetes-preserve-unknown-fields");

    private static final String INT_OR_STRING = "x-kubernetes-int-or-string";
    private static final String PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields";

    private final JsonNode crd;

    private CrdSchema(JsonNode crd) {
        this.crd = crd;
    }

    /** Reads a CRD from the test classpath. */
    static CrdSchema fromResource(String resource) {
        try (InputStream in = CrdSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return new CrdSchema(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    String group() {
        return crd.path("spec").path("group").asText();
    }

    String kind() {
        return crd.path("spec").path("names").path("kind").asText();
    }

    /** {@code group/version} of every version the CRD serves. */
    List<String> servedApiVersions() {
        List<String> served = new ArrayList<>();
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("served").asBoolean(false)) {
                served.add(group() + "/" + version.path("name").asText());
            }
        }
        return served;
    }

    /**
     * Validates a resource's {@code spec} against the schema of its {@code apiVersion}.
     *
     * @return one line per violation (where, and what); empty when the spec is valid
     */
    List<String> validateSpec(String apiVersion, JsonNode spec) {
        Schema schema =
                SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
                        .getSchema(translate(specSchema(apiVersion), "spec", new ArrayList<>()));
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(spec)) {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    /**
     * Keywords of the spec schemas of every served version that {@link #translate} does not handle,
     * each as {@code path: keyword}; empty when the translation is complete.
     */
    List<String> unhandledKeywords() {
        List<String> unhandled = new ArrayList<>();
        for (String apiVersion : servedApiVersions()) {
            translate(specSchema(apiVersion), apiVersion + " spec", unhandled);
        }
        return unhandled;
    }

    private JsonNode specSchema(String apiVersion) {
        for (JsonNode version : crd.path("spec").path("versions")) {
            if ((group() + "/" + version.path("name").asText()).equals(apiVersion)) {
                JsonNode spec =
                        version.path("schema")
                                .path("openAPIV3Schema")
                                .path("properties")
                                .path("spec");
                if (!spec.isObject()) {
                    throw new IllegalStateException(apiVersion + " has no spec schema");
                }
                return spec;
            }
        }
        throw new IllegalArgumentException(
                apiVersion + " is not a version of the CRD; it has " + servedApiVersions());
    }

    /** The schema at {@code path}, translated; keywords it cannot translate go to unhandled. */
    private static JsonNode translate(JsonNode schema, String path, List<String> unhandled) {
        if (!schema.isObject()) {
            return schema;
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode out = nodes.objectNode();
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            switch (keyword) {
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    for (Map.Entry<String, JsonNode> p : value.properties()) {
                        properties.set(
                                p.getKey(),
                                translate(p.getValue(), path + "." + p.getKey(), unhandled));
                    }
                }
                case "items", "additionalProperties" ->
                        out.set(keyword, translate(value, path + "[]", unhandled));
                case "anyOf" -> {
                    ArrayNode alternatives = out.putArray(keyword);
                    for (JsonNode alternative : value) {
                        alternatives.add(translate(alternative, path, unhandled));
                    }
                }
                case INT_OR_STRING, PRESERVE_UNKNOWN -> {
                    // Written out below.
                }
                default -> {
                    if (!HANDLED.contains(keyword)) {
                        unhandled.add(path + ": " + keyword);
                    }
                    out.set(keyword, value);
                }
            }
        }
        if (schema.path(INT_OR_STRING).asBoolean(false) && !out.has("anyOf")) {
            ArrayNode anyOf = out.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        boolean object = out.has("properties") || "object".equals(out.path("type").asText());
        if (object
                && !out.has("additionalProperties")
                && !schema.path(PRESERVE_UNKNOWN).asBoolean(false)) {
            out.put("additionalProperties", false);
        }
        return out;
    }
}
