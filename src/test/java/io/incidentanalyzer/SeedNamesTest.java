package io.incidentanalyzer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed system's knowledge lives in job files, not in the pipeline's code: no source file (code
 * or comment) of the pipeline's packages names a service, host, metric, client or version of the
 * seed system. The names are read from the seed's job file, its scenario and that scenario's
 * traffic file, so the list is written once, there.
 */
class SeedNamesTest {
    private static final Path SEED_SCENARIO = Path.of("jobs/scenarios/watermelon-2024-02-16.yaml");
    private static final List<String> PACKAGES =
            List.of("ingest", "detect", "correlate", "draft", "job", "review", "gateway", "stream");
    private static final Path SOURCES = Path.of("src/main/java/io/incidentanalyzer");

    /** Keys whose values name something of the seed system, wherever they appear. */
    private static final Set<String> NAMING_KEYS =
            Set.of(
                    "metric",
                    "loadMetric",
                    "errorMetric",
                    "hosts",
                    "host",
                    "dbHost",
                    "client",
                    "version",
                    "service",
                    "dependency",
                    "callee",
                    "tokenService");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The seed system's names: from its scenario, job file and traffic file, and its own name. */
    static Set<String> seedNames() throws IOException {
        JsonNode scenario = read(SEED_SCENARIO);
        Path dir = SEED_SCENARIO.getParent();
        JsonNode job = read(dir.resolve(scenario.get("job").asText()));
        JsonNode traffic = read(dir.resolve(scenario.get("trafficFrom").asText()));
        Set<String> names = new TreeSet<>();
        names.add("watermelon");
        for (JsonNode doc : List.of(scenario, job, traffic)) {
            collect(doc, names);
            JsonNode services = doc.path("services");
            services.fieldNames().forEachRemaining(names::add);
            for (JsonNode c : doc.path("clients")) {
                names.add(c.path("id").asText());
                names.add(c.path("version").asText());
            }
        }
        names.removeIf(n -> n.isBlank() || n.equals("*"));
        return names;
    }

    private static JsonNode read(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    private static void collect(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (NAMING_KEYS.contains(e.getKey())) {
                    if (e.getValue().isArray()) e.getValue().forEach(v -> into.add(v.asText()));
                    else if (e.getValue().isValueNode()) into.add(e.getValue().asText());
                }
                collect(e.getValue(), into);
            }
        } else if (node.isArray()) {
            node.forEach(v -> collect(v, into));
        }
    }

    /**
     * A name as a whole token, any case: not inside a longer name ({@code web} is not found in
     * {@code webhook} nor in {@code web-app}, which is a name of its own).
     */
    static Pattern token(String name) {
        return Pattern.compile(
                "(?<![A-Za-z0-9_-])" + Pattern.quote(name) + "(?![A-Za-z0-9_-])",
                Pattern.CASE_INSENSITIVE);
    }

    /** Each line of the files under {@code root} that names one of {@code names}. */
    static List<String> findings(Path root, Set<String> names) throws IOException {
        List<Pattern> patterns = names.stream().map(SeedNamesTest::token).toList();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    // This project's own packages (io.incidentanalyzer.web) are not the seed's.
                    String line = lines.get(i).strip();
                    if (line.startsWith("import ") || line.startsWith("package ")) continue;
                    for (Pattern p : patterns) {
                        var m = p.matcher(lines.get(i));
                        if (m.find()) {
                            found.add(f + ":" + (i + 1) + ": names '" + m.group() + "'");
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theSeedsNamesAreReadFromItsFiles() throws IOException {
        // If the files change shape and nothing is read, the scan below would pass vacuously.
        assertThat(seedNames())
                .contains("watermelon")
                .contains("token-verification", "database") // services
                .contains("db-main.internal", "db-legacy.internal") // hosts
                .contains("cpu_utilization", "request_rate") // metrics
                .contains("web", "2024.02.16"); // a client and its faulty version
    }

    @Test
    void noPipelineSourceNamesTheSeedSystem() throws IOException {
        Set<String> names = seedNames();
        List<String> found = new ArrayList<>();
        for (String pkg : PACKAGES) found.addAll(findings(SOURCES.resolve(pkg), names));
        assertThat(found)
                .as("the seed's names belong in jobs/, not in the pipeline's code or comments")
                .isEmpty();
    }

    @Test
    void theScanFindsANamePlantedInASourceFile(@TempDir Path dir) throws IOException {
        Files.writeString(
                dir.resolve("Planted.java"),
                String.join(
                        "\n",
                        "package planted;",
                        "import io.incidentanalyzer.web.HttpServers;",
                        "class Planted {",
                        "  // calls the Token-Verification server",
                        "  String h = \"db-legacy.internal\";",
                        "  String webhook = \"web-apps\";",
                        "}"));
        List<String> found = findings(dir, seedNames());
        assertThat(found)
                .anySatisfy(
                        l -> assertThat(l).contains("Planted.java:4: names 'Token-Verification'"))
                .anySatisfy(
                        l -> assertThat(l).contains("Planted.java:5: names 'db-legacy.internal'"))
                .hasSize(2);
    }
}
