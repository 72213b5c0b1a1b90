package io.incidentanalyzer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Checks {@code docker-compose.yml} against the repository without Docker: mounted files exist (or
 * are what {@code mvn package} builds), dependencies name real services, the submitted job gets a
 * real job file and a broker address Kafka advertises, Flink exports metrics to Prometheus and
 * Grafana shows them, and nothing is opened beyond the host's loopback interface: no published port
 * on another address, no jar upload through Flink's REST API, no review pages without a token.
 */
class DockerComposeFileTest {
    private static final Path REPO = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Path COMPOSE_FILE = REPO.resolve("docker-compose.yml");
    private static final Path PROMETHEUS_CONFIG = REPO.resolve("deploy/prometheus.yml");
    private static final Path GRAFANA = REPO.resolve("deploy/grafana");
    private static final Path OPERATIONS_DOC = REPO.resolve("docs/operations.md");
    private static final String LOOPBACK = "127.0.0.1";

    private static final List<String> FLINK_SERVICES = List.of("jobmanager", "taskmanager");
    private static final String PROMETHEUS_REPORTER =
            "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    @Test
    void composeFileParsesToAMappingOfServices() {
        assertThatCode(DockerComposeFileTest::readCompose)
                .as("docker-compose.yml must be valid YAML")
                .doesNotThrowAnyException();
        assertThat(services().isObject())
                .as("docker-compose.yml must have a top-level 'services' mapping")
                .isTrue();
    }

    @Test
    void definesEveryServiceTheStackNeeds() {
        assertThat(serviceNames())
                .as("services defined in docker-compose.yml")
                .contains(
                        "kafka",
                        "kafka-init",
                        "jobmanager",
                        "taskmanager",
                        "job-submit",
                        "review",
                        "prometheus",
                        "grafana");
    }

    @Test
    void everyBindMountOutsideTargetPointsAtAPathInTheRepository() {
        List<String> checked = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        forEachService(
                (name, service) -> {
                    for (Mount mount : mounts(service)) {
                        if (!mount.isRepoBindMount() || mount.isBuildOutput()) {
                            continue;
                        }
                        checked.add(mount.source());
                        softly.assertThat(REPO.resolve(mount.source()))
                                .as(
                                        "service '%s' mounts %s, which does not exist in the"
                                                + " repository",
                                        name, mount.source())
                                .exists();
                    }
                });
        softly.assertAll();
        assertThat(checked)
                .as("the stack mounts the job files and the Prometheus config from the repo")
                .contains(
                        "./jobs",
                        "./deploy/prometheus.yml",
                        "./deploy/grafana/provisioning",
                        "./deploy/grafana/dashboards");
    }

    @Test
    void mountsFromTargetAreTheJarsThatMavenPackageBuilds() throws Exception {
        String prefix = "./target/" + PomFile.value("artifactId") + "-" + PomFile.value("version");
        List<String> jars = List.of(prefix + "-job.jar", prefix + "-standalone.jar");
        List<String> fromTarget = new ArrayList<>();
        forEachService(
                (name, service) ->
                        mounts(service).stream()
                                .filter(Mount::isBuildOutput)
                                .forEach(m -> fromTarget.add(m.source())));

        assertThat(fromTarget)
                .as(
                        "every ./target/ mount must be a jar `mvn package` builds, %s (artifactId"
                                + " and version from pom.xml)",
                        jars)
                .isNotEmpty()
                .allSatisfy(source -> assertThat(jars).contains(source));
    }

    @Test
    void everyDependsOnNamesAServiceOfThisFile() {
        List<String> names = serviceNames();
        List<String> checked = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        forEachService(
                (name, service) -> {
                    for (String dependency : dependsOn(service)) {
                        checked.add(dependency);
                        softly.assertThat(names)
                                .as(
                                        "service '%s' depends on '%s', which is not a service of"
                                                + " docker-compose.yml",
                                        name, dependency)
                                .contains(dependency);
                    }
                });
        softly.assertAll();
        assertThat(checked).as("depends_on entries across the file").isNotEmpty();
    }

    @Test
    void everyNamedVolumeIsDeclaredAtTopLevel() {
        List<String> declared = fieldNames(readCompose().path("volumes"));
        List<String> used = new ArrayList<>();
        forEachService(
                (name, service) ->
                        mounts(service).stream()
                                .filter(Mount::isNamedVolume)
                                .forEach(m -> used.add(m.source())));

        assertThat(used).as("named volumes used by services").isNotEmpty();
        assertThat(declared)
                .as("top-level 'volumes' must declare every named volume a service mounts")
                .containsAll(used);
    }

    @Test
    void jobSubmitRunsTheJobJarItMountsFromTarget() {
        JsonNode submit = service("job-submit");
        List<String> command = command(submit);
        String jar =
                command.stream()
                        .filter(arg -> arg.endsWith(".jar"))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "job-submit's command names no .jar: " + command));

        assertThat(command).as("job-submit's command").startsWith("flink", "run");
        assertThat(hostPathFor(submit, jar))
                .as("job-submit runs %s; it must be mounted from ./target/", jar)
                .hasValueSatisfying(path -> assertThat(path).startsWith("./target/"));
    }

    @Test
    void jobSubmitPassesAJobFileThatExistsInJobsDirectory() {
        JsonNode submit = service("job-submit");
        String jobFile = argumentAfter(command(submit), "--job");
        Optional<String> hostPath = hostPathFor(submit, jobFile);

        assertThat(hostPath)
                .as("--job %s must lie under a bind mount of job-submit", jobFile)
                .isPresent();
        assertThat(hostPath.get())
                .as("--job %s must map into the repository's jobs/ directory", jobFile)
                .startsWith("./jobs/");
        assertThat(REPO.resolve(hostPath.get()))
                .as("--job %s maps to %s, which does not exist", jobFile, hostPath.get())
                .isRegularFile();
    }

    @Test
    void jobSubmitBootstrapsFromAListenerTheKafkaServiceAdvertises() {
        String bootstrap = argumentAfter(command(service("job-submit")), "--bootstrap");
        Map<String, String> kafka = environment(service("kafka"));
        List<String> advertised =
                Arrays.stream(kafka.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "").split(","))
                        .map(listener -> listener.substring(listener.indexOf("://") + 3))
                        .toList();
        String bootstrapPort = bootstrap.substring(bootstrap.lastIndexOf(':'));

        assertThat(advertised)
                .as(
                        "--bootstrap %s must be one of the addresses the kafka service advertises"
                                + " (KAFKA_ADVERTISED_LISTENERS)",
                        bootstrap)
                .contains(bootstrap);
        assertThat(kafka.getOrDefault("KAFKA_LISTENERS", ""))
                .as("the kafka service must listen on the --bootstrap port %s", bootstrapPort)
                .contains(bootstrapPort);
        assertThat(bootstrap)
                .as("--bootstrap must name the kafka service, reachable from other containers")
                .startsWith("kafka:");
    }

    @Test
    void flinkServicesEnableThePrometheusReporter() {
        SoftAssertions softly = new SoftAssertions();
        for (String name : FLINK_SERVICES) {
            Map<String, String> properties = flinkProperties(service(name));
            softly.assertThat(properties)
                    .as("FLINK_PROPERTIES of '%s' must configure the Prometheus reporter", name)
                    .containsEntry("metrics.reporter.prom.factory.class", PROMETHEUS_REPORTER)
                    .containsKey("metrics.reporter.prom.port");
        }
        softly.assertAll();
    }

    @Test
    void flinkServicesRelyOnTheShippedPrometheusPluginInsteadOfLinkingItFromOpt() {
        // The image's entrypoint exits when a jar named in ENABLE_BUILT_IN_PLUGINS is not in
        // /opt/flink/opt; Flink 2.x ships the Prometheus reporter in plugins/ already.
        SoftAssertions softly = new SoftAssertions();
        for (String name : FLINK_SERVICES) {
            softly.assertThat(
                            environment(service(name)).getOrDefault("ENABLE_BUILT_IN_PLUGINS", ""))
                    .as("ENABLE_BUILT_IN_PLUGINS of '%s'", name)
                    .doesNotContain("flink-metrics-prometheus");
        }
        softly.assertAll();
    }

    @Test
    void prometheusScrapesTheReporterOfEveryFlinkService() throws IOException {
        List<String> targets = scrapeTargets();
        SoftAssertions softly = new SoftAssertions();
        for (String name : FLINK_SERVICES) {
            String port = flinkProperties(service(name)).get("metrics.reporter.prom.port");
            softly.assertThat(targets)
                    .as(
                            "deploy/prometheus.yml must scrape %s's reporter at %s:%s",
                            name, name, port)
                    .contains(name + ":" + port);
        }
        softly.assertAll();
    }

    @Test
    void prometheusScrapesTheReviewService() throws IOException {
        assertThat(scrapeTargets())
                .as("deploy/prometheus.yml must scrape the review service's /metrics")
                .contains("review:" + argumentAfter(command(service("review")), "--port"));
    }

    // ---- nothing beyond loopback ----

    @Test
    void everyPublishedPortIsBoundToLoopback() {
        List<String> published = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        forEachService(
                (name, service) -> {
                    softly.assertThat(service.path("network_mode").asText())
                            .as("service '%s' must not share the host's network stack", name)
                            .isNotEqualTo("host");
                    for (JsonNode port : service.path("ports")) {
                        published.add(name + " " + port);
                        softly.assertThat(hostIp(port))
                                .as(
                                        "service '%s' publishes %s; bind it to %s"
                                                + " (\"127.0.0.1:HOST:CONTAINER\")",
                                        name, port, LOOPBACK)
                                .isEqualTo(LOOPBACK);
                    }
                });
        softly.assertAll();
        assertThat(published).as("published ports across the file").hasSizeGreaterThan(5);
    }

    @Test
    void flinkRestApiCannotUploadOrRunJars() {
        assertThat(flinkProperties(service("jobmanager")))
                .as(
                        "the JobManager's FLINK_PROPERTIES: web.submit.enable false removes the"
                                + " REST API's jar upload and run endpoints")
                .containsEntry("web.submit.enable", "false");
    }

    @Test
    void reviewServiceOffLoopbackTakesItsTokenFromTheEnvironment() {
        JsonNode review = service("review");
        List<String> command = command(review);
        String token = environment(review).get("REVIEW_TOKEN");

        assertThat(command).as("the review service's command").contains("review");
        assertThat(argumentAfter(command, "--bind"))
                .as("the review service listens on the container's network")
                .isNotEqualTo(LOOPBACK);
        assertThat(token)
                .as(
                        "REVIEW_TOKEN must come from the environment of `docker compose`"
                                + " (${REVIEW_TOKEN...}), never a token written in the file")
                .isNotNull()
                .startsWith("${REVIEW_TOKEN");
        assertThat(allowedHosts(command))
                .as(
                        "the host names the review service is reached by: from the host"
                                + " (localhost, 127.0.0.1) and by Prometheus (review)")
                .contains("localhost", LOOPBACK, "review");
    }

    @Test
    void topicsReviewAndJobReadTheSameJobFileAndBroker() {
        String job = argumentAfter(command(service("job-submit")), "--job");
        String bootstrap = argumentAfter(command(service("job-submit")), "--bootstrap");
        SoftAssertions softly = new SoftAssertions();
        for (String name : List.of("kafka-init", "review")) {
            List<String> command = command(service(name));
            softly.assertThat(hostPathFor(service(name), argumentAfter(command, "--job")))
                    .as("service '%s' must read the job file job-submit runs", name)
                    .isEqualTo(hostPathFor(service("job-submit"), job));
            softly.assertThat(argumentAfter(command, "--bootstrap"))
                    .as("service '%s' must use job-submit's broker address", name)
                    .isEqualTo(bootstrap);
        }
        softly.assertAll();
        assertThat(command(service("kafka-init")))
                .as("kafka-init creates the job file's topics with the analyzer's command")
                .contains("topics");
    }

    // ---- Grafana ----

    @Test
    void grafanaDataSourceIsThePrometheusOfThisFile() throws IOException {
        JsonNode datasources = grafanaDatasources();
        String prometheusPort = service("prometheus").path("ports").get(0).asText();
        prometheusPort = prometheusPort.substring(prometheusPort.lastIndexOf(':') + 1);

        assertThat(datasources.size()).as("provisioned data sources").isEqualTo(1);
        JsonNode prometheus = datasources.get(0);
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        assertThat(prometheus.path("url").asText())
                .as("the data source must reach the prometheus service on its port")
                .isEqualTo("http://prometheus:" + prometheusPort);
    }

    @Test
    void grafanaLoadsTheDashboardsFromTheDirectoryTheComposeFileMounts() throws IOException {
        JsonNode providers =
                new YAMLMapper()
                        .readTree(
                                GRAFANA.resolve("provisioning/dashboards/incident-analyzer.yml")
                                        .toFile())
                        .path("providers");
        String path = providers.path(0).path("options").path("path").asText();

        assertThat(providers.size()).as("dashboard providers").isEqualTo(1);
        assertThat(hostPathFor(service("grafana"), path))
                .as("the provider's path %s must be the mount of deploy/grafana/dashboards", path)
                .hasValue("./deploy/grafana/dashboards");
        assertThat(hostPathFor(service("grafana"), "/etc/grafana/provisioning"))
                .as("Grafana reads its provisioning from deploy/grafana/provisioning")
                .hasValue("./deploy/grafana/provisioning");
    }

    @Test
    void everyDashboardPanelQueriesTheProvisionedDataSource() throws IOException {
        String uid = grafanaDatasources().get(0).path("uid").asText();
        List<String> queried = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        for (JsonNode panel : dashboard().path("panels")) {
            softly.assertThat(panel.path("datasource").path("uid").asText())
                    .as("panel '%s'", panel.path("title").asText())
                    .isEqualTo(uid);
            for (JsonNode target : panel.path("targets")) {
                queried.add(target.path("expr").asText());
                softly.assertThat(target.path("datasource").path("uid").asText())
                        .as("a query of panel '%s'", panel.path("title").asText())
                        .isEqualTo(uid);
            }
        }
        softly.assertAll();
        assertThat(queried).as("the dashboard's queries").isNotEmpty().doesNotContain("");
    }

    @Test
    void dashboardShowsWhatAnOperatorWatches() throws IOException {
        List<String> metrics = dashboardMetrics();

        assertThat(metrics)
                .as(
                        "events in per stream, rejects per reason, signals, open incidents,"
                                + " checkpoint duration and consumer lag")
                .contains(
                        "flink_taskmanager_job_task_operator_stream_eventsIn",
                        "flink_taskmanager_job_task_operator_stream_reason_rejects",
                        "flink_taskmanager_job_task_operator_signals",
                        "flink_taskmanager_job_task_operator_openIncidents",
                        "flink_jobmanager_job_lastCheckpointDuration",
                        "flink_taskmanager_job_task_operator_pendingRecords");
    }

    @Test
    void everyMetricOnTheDashboardIsDocumented() throws IOException {
        String doc = Files.readString(OPERATIONS_DOC);
        SoftAssertions softly = new SoftAssertions();
        for (String metric : dashboardMetrics()) {
            softly.assertThat(doc)
                    .as(
                            "docs/operations.md must name %s, which the dashboard queries (a"
                                    + " renamed metric leaves its panel empty)",
                            metric)
                    .contains(metric);
        }
        softly.assertAll();
    }

    // ---- reading docker-compose.yml ----

    /** A {@code volumes} entry: short syntax {@code SOURCE:TARGET[:MODE]} or long syntax. */
    private record Mount(String source, String target) {
        boolean isRepoBindMount() {
            return source.startsWith("./");
        }

        boolean isBuildOutput() {
            return source.startsWith("./target/");
        }

        boolean isNamedVolume() {
            return !source.isEmpty() && !source.startsWith(".") && !source.startsWith("/");
        }
    }

    private interface ServiceVisitor {
        void visit(String name, JsonNode service);
    }

    private static JsonNode readCompose() {
        try {
            return new YAMLMapper().readTree(COMPOSE_FILE.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + COMPOSE_FILE + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode services() {
        return readCompose().path("services");
    }

    private static List<String> serviceNames() {
        return fieldNames(services());
    }

    private static JsonNode service(String name) {
        JsonNode service = services().path(name);
        assertThat(service.isObject())
                .as("docker-compose.yml must define service '%s'", name)
                .isTrue();
        return service;
    }

    private static void forEachService(ServiceVisitor visitor) {
        services().fields().forEachRemaining(e -> visitor.visit(e.getKey(), e.getValue()));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Mount> mounts(JsonNode service) {
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode volume : service.path("volumes")) {
            if (volume.isObject()) {
                mounts.add(
                        new Mount(volume.path("source").asText(), volume.path("target").asText()));
            } else {
                String[] parts = volume.asText().split(":");
                mounts.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0]));
            }
        }
        return mounts;
    }

    /** The repository path behind a path inside the container, through the service's mounts. */
    private static Optional<String> hostPathFor(JsonNode service, String containerPath) {
        for (Mount mount : mounts(service)) {
            if (!mount.isRepoBindMount()) {
                continue;
            }
            if (containerPath.equals(mount.target())) {
                return Optional.of(mount.source());
            }
            if (containerPath.startsWith(mount.target() + "/")) {
                return Optional.of(
                        mount.source() + containerPath.substring(mount.target().length()));
            }
        }
        return Optional.empty();
    }

    private static List<String> dependsOn(JsonNode service) {
        JsonNode dependsOn = service.path("depends_on");
        if (dependsOn.isObject()) {
            return fieldNames(dependsOn);
        }
        List<String> names = new ArrayList<>();
        dependsOn.forEach(n -> names.add(n.asText()));
        return names;
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode environment = service.path("environment");
        if (environment.isObject()) {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        } else {
            for (JsonNode entry : environment) {
                String[] kv = entry.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return env;
    }

    /** FLINK_PROPERTIES read as the image's entrypoint does: one {@code key: value} per line. */
    private static Map<String, String> flinkProperties(JsonNode service) {
        Map<String, String> properties = new LinkedHashMap<>();
        String text = environment(service).getOrDefault("FLINK_PROPERTIES", "");
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                properties.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return properties;
    }

    private static List<String> command(JsonNode service) {
        JsonNode command = service.path("command");
        if (command.isTextual()) {
            return List.of(command.asText().trim().split("\\s+"));
        }
        List<String> args = new ArrayList<>();
        command.forEach(arg -> args.add(arg.asText()));
        return args;
    }

    private static String argumentAfter(List<String> command, String flag) {
        int at = command.indexOf(flag);
        assertThat(at)
                .as("command %s must pass %s with a value", command, flag)
                .isBetween(0, command.size() - 2);
        return command.get(at + 1);
    }

    /**
     * The host address a {@code ports} entry publishes on: short syntax {@code
     * [HOST_IP:]HOST:CONTAINER}, or long syntax's {@code host_ip}; "" when it names none, which
     * means every interface.
     */
    private static String hostIp(JsonNode port) {
        if (port.isObject()) {
            return port.path("host_ip").asText("");
        }
        String text = port.asText();
        if (text.startsWith("[")) {
            return text.substring(1, text.indexOf(']'));
        }
        String[] parts = text.split(":");
        return parts.length == 3 ? parts[0] : "";
    }

    private static List<String> allowedHosts(List<String> command) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i + 1 < command.size(); i++) {
            if (command.get(i).equals("--allowed-host")) {
                hosts.add(command.get(i + 1));
            }
        }
        return hosts;
    }

    private static List<String> scrapeTargets() throws IOException {
        JsonNode config = new YAMLMapper().readTree(PROMETHEUS_CONFIG.toFile());
        List<String> targets = new ArrayList<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode staticConfig : job.path("static_configs")) {
                staticConfig.path("targets").forEach(t -> targets.add(t.asText()));
            }
        }
        return targets;
    }

    // ---- reading deploy/grafana ----

    private static JsonNode grafanaDatasources() throws IOException {
        return new YAMLMapper()
                .readTree(GRAFANA.resolve("provisioning/datasources/prometheus.yml").toFile())
                .path("datasources");
    }

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper()
                .readTree(GRAFANA.resolve("dashboards/incident-analyzer.json").toFile());
    }

    /** Every metric name (a {@code flink_} identifier) in the dashboard's queries. */
    private static List<String> dashboardMetrics() throws IOException {
        Pattern name = Pattern.compile("\\bflink_[A-Za-z0-9_]+");
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = name.matcher(target.path("expr").asText());
                while (m.find()) {
                    metrics.add(m.group());
                }
            }
        }
        return List.copyOf(metrics);
    }
}
