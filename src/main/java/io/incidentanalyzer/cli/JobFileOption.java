package io.incidentanalyzer.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --job FILE}, shared by the commands that run the job. */
final class JobFileOption {
    @Option(
            names = "--job",
            required = true,
            paramLabel = "FILE",
            description = "Job file (YAML), e.g. jobs/watermelon.yaml.")
    Path job;
}
