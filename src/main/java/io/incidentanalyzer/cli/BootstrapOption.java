package io.incidentanalyzer.cli;

import picocli.CommandLine.Option;

/** {@code --bootstrap HOST:PORT}, required, shared by the commands that talk to Kafka. */
final class BootstrapOption {
    @Option(
            names = "--bootstrap",
            required = true,
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrap;
}
