package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.SimulationFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} on the command line: its messages for mistakes, and a run into a directory. */
class SimulateCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AnalyzerCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** A scenario file next to its job file, as in jobs/ and jobs/scenarios/. */
    static Path scenarioFile(Path root, String jobYaml) throws IOException {
        Path scenarios = Files.createDirectories(root.resolve("jobs/scenarios"));
        Files.writeString(root.resolve("jobs/shop.yaml"), jobYaml);
        Path file = scenarios.resolve("shop-test.yaml");
        Files.writeString(
                file,
                SimulationFixtures.BASE.replace("end: 2024-03-01T11:00", "end: 2024-03-01T10:00")
                        + """
faults:
  - {id: slow, kind: slowdown, service: database, at: 2024-03-01T09:20, factor: 4}
actions:
  - {at: 2024-03-01T09:40, kind: config, service: database, description: more CPUs, stops: [slow]}
""");
        return file;
    }

    @Test
    void missingScenarioFileIsAMessageNotAStackTrace(@TempDir Path dir) {
        int code =
                run("simulate", "--scenario", "jobs/scenarios/nope.yaml", "--to", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith(
                        "error: jobs/scenarios/nope.yaml: no such file; pass the path of a scenario"
                                + " file")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void toAFileIsRefused(@TempDir Path dir) throws IOException {
        Path scenario = scenarioFile(dir, SimulationFixtures.JOB_YAML);
        Path file = Files.writeString(dir.resolve("streams.txt"), "not a directory");

        int code = run("simulate", "--scenario", scenario.toString(), "--to", file.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "--to " + file + ": is a file, not a directory; give kafka or a directory")
                .doesNotContain("\tat ");
    }

    @Test
    void kafkaNeedsABootstrapAddress(@TempDir Path dir) throws IOException {
        Path scenario = scenarioFile(dir, SimulationFixtures.JOB_YAML);

        int code = run("simulate", "--scenario", scenario.toString(), "--to", "kafka");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--to kafka needs --bootstrap HOST:PORT");
    }

    @Test
    void bootstrapWithADirectoryIsRefused(@TempDir Path dir) throws IOException {
        Path scenario = scenarioFile(dir, SimulationFixtures.JOB_YAML);

        int code =
                run(
                        "simulate",
                        "--scenario",
                        scenario.toString(),
                        "--to",
                        dir.resolve("out").toString(),
                        "--bootstrap",
                        "localhost:9092");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--bootstrap only applies with --to kafka");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void brokenScenarioNamesFileAndField(@TempDir Path dir) throws IOException {
        Path scenario = scenarioFile(dir, SimulationFixtures.JOB_YAML);
        Files.writeString(scenario, Files.readString(scenario).replace("factor: 4", "factor: 0.5"));

        int code = run("simulate", "--scenario", scenario.toString(), "--to", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains(scenario + ": faults[0].factor: at least 1");
    }

    @Test
    void runIntoADirectoryWritesTheFourStreamsAndTheTruth(@TempDir Path dir) throws IOException {
        Path scenario = scenarioFile(dir, SimulationFixtures.JOB_YAML);
        Path target = dir.resolve("out/shop");
        Files.createDirectories(target);
        Files.writeString(target.resolve("metrics.jsonl"), "stale\n");

        int code =
                run(
                        "simulate",
                        "--scenario",
                        scenario.toString(),
                        "--to",
                        target.toString(),
                        "--seed",
                        "99");

        assertThat(code).as(err.toString()).isZero();
        for (String f : List.of("metrics.jsonl", "auth.jsonl", "logs.jsonl", "changes.jsonl")) {
            assertThat(target.resolve(f)).isNotEmptyFile();
        }
        assertThat(Files.readString(target.resolve("metrics.jsonl"))).doesNotContain("stale");
        GroundTruth truth = GroundTruth.read(target.resolve("truth.json"));
        assertThat(truth.seed()).as("--seed overrides the scenario's seed").isEqualTo(99);
        assertThat(truth.events().get("changes")).isEqualTo(1);
        assertThat(Files.readAllLines(target.resolve("metrics.jsonl")))
                .hasSize(truth.events().get("metrics").intValue());
        assertThat(out.toString())
                .startsWith("simulated shop-test (seed 99): metrics ")
                .contains(
                        "records/s",
                        "streams in " + target,
                        "truth in " + target.resolve("truth.json"));
        assertThat(err.toString()).as("no progress without a terminal").isEmpty();
    }

    @Test
    void truthCanGoElsewhere(@TempDir Path dir) throws IOException {
        Path scenario = scenarioFile(dir, SimulationFixtures.JOB_YAML);
        Path truth = dir.resolve("truths/t.json");

        int code =
                run(
                        "simulate",
                        "--scenario",
                        scenario.toString(),
                        "--to",
                        dir.resolve("out").toString(),
                        "--truth",
                        truth.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(GroundTruth.read(truth).scenario()).isEqualTo("shop-test");
        assertThat(dir.resolve("out/truth.json")).doesNotExist();
    }

    @Test
    void bundledScenarioIsFoundByName() {
        assertThat(SimulateCommand.load("watermelon-2024-02-16").scenario().name())
                .isEqualTo("watermelon-2024-02-16");
        assertThat(SimulateCommand.load("watermelon-2024-02-16.yaml").source())
                .isEqualTo("jobs/scenarios/watermelon-2024-02-16.yaml");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("simulate", "--help")).isZero();
        assertThat(out.toString())
                .contains("--scenario", "--to", "--speed", "--seed", "--bootstrap", "--truth");
    }
}
