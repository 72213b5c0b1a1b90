package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees on the command line: help, and plain messages for their mistakes. */
class AnalyzerCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AnalyzerCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void everySubcommandHasHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("demo", "run");
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString()).contains("--metrics-port", "--keep-running");
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString()).contains("--job", "--bootstrap");
        assertThat(run("replay", "--help")).isZero();
        assertThat(out.toString()).contains("--input", "--out", "--parallelism");
    }

    @Test
    void missingJobFileIsAMessageNotAStackTrace() {
        int code = run("run", "--job", "jobs/nope.yaml", "--bootstrap", "localhost:9092");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("error: jobs/nope.yaml: no such file")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void brokenJobFileNamesFileAndField(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("broken.yaml");
        Files.writeString(
                job,
                Files.readString(Path.of("jobs/watermelon.yaml"))
                        .replace("clearAfter: 2m", "clearAfter: soon"));

        int code = run("run", "--job", job.toString(), "--bootstrap", "localhost:9092");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains(job + ": detectors.saturation[0].clearAfter: expected a duration")
                .doesNotContain("\tat ");
    }

    @Test
    void missingRequiredOptionIsNamed() {
        assertThat(run("run", "--job", "jobs/watermelon.yaml")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--bootstrap=HOST:PORT'");
    }

    @Test
    void noSubcommandNamesThemAll() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString())
                .contains("a subcommand is required: demo, run, replay, simulate or evaluate");
    }

    @Test
    void demoScenarioAndJobFileAreBundledAndValid() {
        var scenario =
                io.incidentanalyzer.simulate.ScenarioLoader.loadResource(
                        DemoCommand.SCENARIO_RESOURCE);
        var config = DemoCommand.demoConfig(scenario.job());

        assertThat(scenario.scenario().name()).isEqualTo("watermelon-2024-02-16");
        assertThat(config.environment()).isEqualTo("watermelon-prod");
        assertThat(config.kafka().checkpointInterval()).hasSeconds(2);
    }
}
