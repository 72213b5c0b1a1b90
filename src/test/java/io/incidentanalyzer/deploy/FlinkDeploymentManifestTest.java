package io.incidentanalyzer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code deploy/k8s/flinkdeployment.yaml} without a Kubernetes cluster: its {@code spec}
 * against the Flink Kubernetes Operator's CRD schema (vendored in {@code src/test/resources/k8s/}),
 * as the API server would; that the schema check catches what it should (an unknown upgrade mode, a
 * misspelt field, a wrong type); and what the issue asks of the deployment: savepoint upgrades,
 * durable checkpoints, savepoints and HA metadata, no public REST API, and a job jar and job file
 * that the image built from {@code deploy/k8s/Dockerfile} carries.
 */
class FlinkDeploymentManifestTest {
    private static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path K8S = REPO.resolve("deploy/k8s");
    private static final Path MANIFEST = K8S.resolve("flinkdeployment.yaml");
    private static final Path DOCKERFILE = K8S.resolve("Dockerfile");
    private static final CrdSchema CRD =
            CrdSchema.fromResource("k8s/flinkdeployments.flink.apache.org-v1.yml");

    /** Schemes of filesystems that outlive the pods (Flink's plugins for each). */
    private static final List<String> DURABLE = List.of("s3://", "gs://", "abfss://", "oss://");

    // ---- the CRD schema ----

    @Test
    void manifestIsAFlinkDeploymentOfAVersionTheOperatorServes() {
        JsonNode manifest = manifest();

        assertThat(manifest.path("kind").asText()).isEqualTo(CRD.kind());
        assertThat(CRD.servedApiVersions()).contains(manifest.path("apiVersion").asText());
        // The operator names the cluster's Services after the resource: a DNS-1035 label, and it
        // refuses names over 45 characters.
        assertThat(manifest.path("metadata").path("name").asText())
                .matches("[a-z]([-a-z0-9]{0,43}[a-z0-9])?");
    }

    @Test
    void specValidatesAgainstTheOperatorsSchema() {
        assertThat(validate(manifest()))
                .as("violations of the CRD schema in %s", MANIFEST)
                .isEmpty();
    }

    @Test
    void schemaTranslationCoversEveryKeywordTheCrdUses() {
        assertThat(CRD.unhandledKeywords())
                .as(
                        "keywords Kubernetes would evaluate that CrdSchema does not translate, so"
                                + " the validation would not check them")
                .isEmpty();
    }

    @Test
    void unknownUpgradeModeIsRejected() {
        JsonNode broken = manifest();
        job(broken).put("upgradeMode", "savepoints");

        assertThat(validate(broken))
                .singleElement()
                .asString()
                .contains("upgradeMode")
                .contains("enum");
    }

    @Test
    void misspeltFieldIsRejectedAsKubectlStrictValidationWould() {
        JsonNode broken = manifest();
        ObjectNode job = job(broken);
        job.set("jarUri", job.remove("jarURI"));

        assertThat(validate(broken)).singleElement().asString().contains("jarUri");
    }

    @Test
    void wrongTypeIsRejected() {
        JsonNode broken = manifest();
        job(broken).put("parallelism", "4");

        assertThat(validate(broken)).singleElement().asString().contains("parallelism");
    }

    @Test
    void intOrStringFieldsTakeAnIntegerOrAStringAndNothingElse() {
        JsonNode manifest = manifest();
        ObjectNode limits =
                ((ObjectNode) container(manifest)).putObject("resources").putObject("limits");

        limits.put("cpu", 2).put("memory", "4Gi");
        assertThat(validate(manifest)).as("cpu 2, memory 4Gi").isEmpty();
        limits.put("cpu", true);
        // One violation per alternative of the anyOf: neither an integer nor a string.
        assertThat(validate(manifest))
                .as("cpu true")
                .isNotEmpty()
                .allSatisfy(problem -> assertThat(problem).contains("limits/cpu"));
    }

    @Test
    void flinkConfigurationTakesAnyKey() {
        // x-kubernetes-preserve-unknown-fields: Flink's options are not in the schema.
        JsonNode manifest = manifest();
        ((ObjectNode) manifest.path("spec").path("flinkConfiguration"))
                .put("some.future.option", "on");

        assertThat(validate(manifest)).isEmpty();
    }

    // ---- what the deployment must do ----

    @Test
    void upgradesGoThroughASavepoint() {
        JsonNode job = manifest().path("spec").path("job");

        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isEqualTo("running");
    }

    @Test
    void checkpointsSavepointsAndHaMetadataOutliveThePods() {
        Map<String, String> conf = flinkConfiguration();
        SoftAssertions softly = new SoftAssertions();
        for (String key :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            softly.assertThat(conf.getOrDefault(key, ""))
                    .as("%s must be on durable storage, one of %s", key, DURABLE)
                    .satisfies(dir -> assertThat(DURABLE).anyMatch(dir::startsWith));
        }
        softly.assertThat(conf).containsEntry("high-availability.type", "kubernetes");
        softly.assertThat(conf)
                .containsEntry(
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "RETAIN_ON_CANCELLATION");
        softly.assertAll();
    }

    @Test
    void imageHasTheFilesystemPluginOfTheStorageScheme() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        for (String dir : flinkConfiguration().values()) {
            if (dir.startsWith("s3://")) {
                assertThat(dockerfile)
                        .as("%s needs an S3 filesystem plugin under /opt/flink/plugins/", dir)
                        .containsPattern(
                                "cp /opt/flink/opt/flink-s3-fs-[a-z]+-\\*\\.jar"
                                        + " /opt/flink/plugins/s3-fs-[a-z]+/");
            }
        }
    }

    @Test
    void restApiIsNotPublishedAndCannotRunJars() throws IOException {
        JsonNode spec = manifest().path("spec");
        Map<String, String> conf = flinkConfiguration();

        assertThat(spec.has("ingress")).as("spec.ingress publishes the REST API").isFalse();
        assertThat(conf)
                .containsEntry("kubernetes.rest-service.exposed.type", "ClusterIP")
                .containsEntry("web.submit.enable", "false");
        for (JsonNode resource : allManifests()) {
            String kind = resource.path("kind").asText();
            assertThat(kind).as("a resource in deploy/k8s").isNotEqualTo("Ingress");
            if (kind.equals("Service")) {
                assertThat(resource.path("spec").path("type").asText("ClusterIP"))
                        .as("Service %s", resource.path("metadata").path("name").asText())
                        .isEqualTo("ClusterIP");
            }
        }
    }

    @Test
    void flinkConfigurationValuesAreStrings() {
        // Operator CRDs before the current one typed flinkConfiguration as map<string, string>.
        List<String> notStrings = new ArrayList<>();
        manifest()
                .path("spec")
                .path("flinkConfiguration")
                .properties()
                .forEach(
                        e -> {
                            if (!e.getValue().isTextual()) notStrings.add(e.getKey());
                        });

        assertThat(notStrings).as("flinkConfiguration values that are not strings").isEmpty();
    }

    @Test
    void resourcesParallelismAndRestartsAreSet() {
        JsonNode spec = manifest().path("spec");
        Map<String, String> conf = flinkConfiguration();
        int slots = Integer.parseInt(conf.getOrDefault("taskmanager.numberOfTaskSlots", "1"));
        int parallelism = spec.path("job").path("parallelism").asInt(0);

        for (String manager : List.of("jobManager", "taskManager")) {
            JsonNode resource = spec.path(manager).path("resource");
            assertThat(resource.path("memory").asText()).as(manager + " memory").isNotEmpty();
            assertThat(resource.path("cpu").asDouble()).as(manager + " cpu").isPositive();
        }
        assertThat(parallelism).as("parallelism").isPositive();
        assertThat(parallelism % slots)
                .as("parallelism %d fills whole TaskManagers of %d slots", parallelism, slots)
                .isZero();
        assertThat(conf).containsKey("restart-strategy.type");
    }

    // ---- the image ----

    @Test
    void imageIsBuiltOnTheFlinkVersionOfTheSpecAndThePom() throws Exception {
        String flinkVersion = PomFile.property("flink.version");
        String base = dockerfileFrom();
        String declared = manifest().path("spec").path("flinkVersion").asText();

        assertThat(base)
                .as("the Dockerfile's base image")
                .startsWith("flink:" + flinkVersion + "-");
        assertThat(declared)
                .as("spec.flinkVersion for Flink %s", flinkVersion)
                .isEqualTo("v" + flinkVersion.replaceFirst("^(\\d+)\\.(\\d+).*", "$1_$2"));
    }

    @Test
    void jobRunsTheJarAndJobFileTheImageCarries() throws Exception {
        JsonNode job = manifest().path("spec").path("job");
        String jobJar =
                "target/"
                        + PomFile.value("artifactId")
                        + "-"
                        + PomFile.value("version")
                        + "-job.jar";
        Map<String, String> copies = dockerfileCopies();
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));

        assertThat(job.path("jarURI").asText())
                .as("spec.job.jarURI: the jar `mvn package` builds, as the Dockerfile copies it")
                .isEqualTo("local://" + copies.get(jobJar));
        assertThat(job.path("entryClass").asText()).isEqualTo(IncidentAnalyzerJob.class.getName());
        assertThat(args).contains("--job", "--bootstrap");
        String jobFile = args.get(args.indexOf("--job") + 1);
        String jobsDir = copies.get("jobs/");
        assertThat(jobFile).as("--job must be under the image's copy of jobs/").startsWith(jobsDir);
        assertThat(REPO.resolve("jobs").resolve(jobFile.substring(jobsDir.length())))
                .as("--job %s in the repository", jobFile)
                .isRegularFile();
        assertThat(args.get(args.indexOf("--bootstrap") + 1)).matches("[^\\s:]+:\\d+");
    }

    // ---- reading the files ----

    private static JsonNode manifest() {
        List<JsonNode> deployments =
                allManifests().stream()
                        .filter(m -> m.path("kind").asText().equals("FlinkDeployment"))
                        .toList();
        assertThat(deployments).as("FlinkDeployments in %s", MANIFEST).hasSize(1);
        return deployments.get(0);
    }

    private static List<JsonNode> allManifests() {
        List<JsonNode> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                new YAMLMapper()
                        .readValues(new YAMLMapper().createParser(file.toFile()), JsonNode.class)
                        .forEachRemaining(all::add);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read the manifests in " + K8S + ": " + e, e);
        }
        return all;
    }

    private static ObjectNode job(JsonNode manifest) {
        return (ObjectNode) manifest.path("spec").path("job");
    }

    private static JsonNode container(JsonNode manifest) {
        return manifest.path("spec").path("podTemplate").path("spec").path("containers").get(0);
    }

    private static List<String> validate(JsonNode manifest) {
        return CRD.validateSpec(manifest.path("apiVersion").asText(), manifest.path("spec"));
    }

    private static Map<String, String> flinkConfiguration() {
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        manifest()
                .path("spec")
                .path("flinkConfiguration")
                .properties()
                .forEach(e -> conf.put(e.getKey(), e.getValue().asText()));
        return conf;
    }

    private static String dockerfileFrom() throws IOException {
        Matcher from = Pattern.compile("(?m)^FROM\\s+(\\S+)").matcher(Files.readString(DOCKERFILE));
        assertThat(from.find()).as("a FROM line in %s", DOCKERFILE).isTrue();
        return from.group(1);
    }

    /** The Dockerfile's {@code COPY} lines, source (in the repository) to destination. */
    private static Map<String, String> dockerfileCopies() throws IOException {
        Map<String, String> copies = new java.util.LinkedHashMap<>();
        Matcher copy =
                Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$")
                        .matcher(Files.readString(DOCKERFILE));
        while (copy.find()) {
            copies.put(copy.group(1), copy.group(2));
        }
        return copies;
    }
}
