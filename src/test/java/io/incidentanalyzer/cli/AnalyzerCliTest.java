package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

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

    /**
     * Every help text of every command is whole sentences: a summary (what the parent's command
     * list shows) that fits on one line there, description elements and option descriptions that
     * each start a sentence and end with one (a full stop, possibly inside closing brackets).
     * Picocli prints each description element on a line of its own, so an element that stops
     * mid-sentence leaves the command list, or the help, with half a sentence.
     */
    @Test
    void everyHelpTextIsWholeSentences() {
        List<String> problems = new ArrayList<>();
        checkHelpTexts(new CommandLine(new AnalyzerCli()), problems);
        assertThat(problems).isEmpty();
    }

    private static void checkHelpTexts(CommandLine cli, List<String> problems) {
        CommandSpec spec = cli.getCommandSpec();
        String command = spec.qualifiedName();
        UsageMessageSpec usage = spec.usageMessage();
        if (usage.header().length == 0 && usage.description().length == 0) {
            problems.add(command + ": no summary");
        }
        for (String text : usage.header()) checkSentences(command + " header", text, problems);
        for (String text : usage.description()) {
            checkSentences(command + " description", text, problems);
        }
        for (OptionSpec option : spec.options()) {
            for (String text : option.description()) {
                checkSentences(command + " " + option.longestName(), text, problems);
            }
        }
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            for (String text : parameter.description()) {
                checkSentences(command + " " + parameter.paramLabel(), text, problems);
            }
        }
        Set<CommandLine> subcommands = new LinkedHashSet<>(cli.getSubcommands().values());
        List<String> list = cli.getHelp().commandList().lines().toList();
        if (list.size() != subcommands.size()) {
            problems.add(
                    command
                            + ": a summary takes more than one line in the command list:\n"
                            + String.join("\n", list));
        }
        for (CommandLine sub : subcommands) checkHelpTexts(sub, problems);
    }

    /**
     * Adds a problem unless {@code text} starts like a sentence (not with a lower-case letter,
     * which continues the previous element) and ends like one ({@code .}, {@code !} or {@code ?},
     * possibly followed by closing brackets or quotes). Picocli's {@code %n} is a line break.
     */
    private static void checkSentences(String where, String text, List<String> problems) {
        String t = text.replace("%n", " ").strip();
        String end = t.replaceAll("[)\\]'\"`]+$", "");
        if (t.isEmpty()
                || Character.isLowerCase(t.charAt(0))
                || !(end.endsWith(".") || end.endsWith("!") || end.endsWith("?"))) {
            problems.add(where + ": not whole sentences: \"" + text + "\"");
        }
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
                .contains(
                        "a subcommand is required: demo, run, replay, simulate, evaluate,"
                                + " review, ingest or topics");
        assertThat(err.toString().split("Usage: analyzer", -1)).as("the usage, once").hasSize(2);
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
