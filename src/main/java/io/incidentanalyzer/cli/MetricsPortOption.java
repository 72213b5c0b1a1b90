package io.incidentanalyzer.cli;

import io.incidentanalyzer.embedded.LocalCluster;
import picocli.CommandLine.Option;

/** The {@code --metrics-port} option of every command that runs the job locally. */
final class MetricsPortOption {
    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "" + LocalCluster.DEFAULT_METRICS_PORT,
            description = "Port of the Prometheus endpoint /metrics (default: ${DEFAULT-VALUE}).")
    int port;
}
