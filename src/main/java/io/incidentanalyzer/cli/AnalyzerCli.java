package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/analyzer}: one jar, one subcommand per way of running the analyzer. A user's mistake
 * (bad option, bad job file, unreachable broker) ends with a one-paragraph message and exit code 2,
 * never a stack trace; anything else is a bug and exits 1 with its trace in the log.
 */
@Command(
        name = "analyzer",
        mixinStandardHelpOptions = true,
        version = "incident-analyzer 0.1.0",
        description = "Streaming incident analyzer: Kafka in, Flink detection, incidents out.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ReplayCommand.class,
            SimulateCommand.class,
            EvaluateCommand.class,
            ReviewCommand.class,
            IngestCommand.class,
            TopicsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class AnalyzerCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Set by bin/analyzer to the {@code java.io.tmpdir} it made for this run (Flink's and Kafka's
     * temporary files): removed after the command has stopped everything that writes there.
     */
    static final String SCRATCH_PROPERTY = "incident-analyzer.scratch";

    public static void main(String[] args) {
        StopSignals.install();
        int code = StopSignals.exitCode(execute(args));
        removeScratch();
        System.exit(code);
    }

    private static void removeScratch() {
        String dir = System.getProperty(SCRATCH_PROPERTY);
        if (dir == null || dir.isBlank()) return;
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of(dir))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.err.println("could not remove the temporary directory " + dir + ": " + e);
        }
    }

    /** Runs a command line and returns its exit code. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command line with the given output streams (tests read what a user would see). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new AnalyzerCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof ConfigException) {
                        commandLine.getErr().println("error: " + e.getMessage());
                        return 2;
                    }
                    commandLine.getErr().println("error: " + e);
                    e.printStackTrace(commandLine.getErr());
                    return 1;
                });
        return cli.execute(args);
    }

    @Override
    public void run() {
        // Picocli prints the usage after this message. The names come from the registered
        // subcommands, so a new one cannot be left out.
        List<String> names =
                spec.subcommands().keySet().stream().filter(name -> !name.equals("help")).toList();
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "a subcommand is required: "
                        + String.join(", ", names.subList(0, names.size() - 1))
                        + " or "
                        + names.get(names.size() - 1));
    }
}
