package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink MiniCluster that {@code run} and {@code demo} use: the job's metrics are served in
 * Prometheus text format on {@code metricsPort} by Flink's own Prometheus reporter.
 */
final class LocalCluster {
    static final int DEFAULT_METRICS_PORT = 9249;

    private LocalCluster() {}

    /**
     * @param checkpointDir where checkpoints are written; null for a directory under {@code
     *     java.io.tmpdir} (removed by bin/analyzer on exit). Checkpoints go to files, not to
     *     Flink's default JobManager memory: its 5 MiB limit per state handle is exceeded when the
     *     job replays a backlog, and the job would then restart forever (docs/benchmarks.md).
     */
    static StreamExecutionEnvironment environment(
            int metricsPort, int parallelism, Path checkpointDir) {
        requireFreePort(metricsPort);
        Path dir =
                checkpointDir != null
                        ? checkpointDir
                        : Path.of(System.getProperty("java.io.tmpdir"), "checkpoints");
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.storage", "filesystem");
        conf.setString("execution.checkpointing.dir", dir.toAbsolutePath().toUri().toString());
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(metricsPort));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    private static void requireFreePort(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new ConfigException(
                    "--metrics-port "
                            + port
                            + ": the port is in use (another analyzer?); pass a free port, e.g."
                            + " --metrics-port "
                            + (port + 1));
        }
    }
}
