package io.incidentanalyzer.embedded;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink MiniCluster in this JVM that {@code run}, {@code demo} and {@code replay} use. When
 * asked to, the job's metrics are served in Prometheus text format on a port by Flink's own
 * Prometheus reporter.
 */
public final class LocalCluster {
    public static final int DEFAULT_METRICS_PORT = 9249;

    private LocalCluster() {}

    /**
     * For the unbounded Kafka job ({@code run}, {@code demo}): checkpoints to files and metrics on
     * {@code metricsPort}.
     *
     * @param checkpointDir where checkpoints are written; null for a directory under {@code
     *     java.io.tmpdir} (removed by bin/analyzer on exit). Checkpoints go to files, not to
     *     Flink's default JobManager memory: its 5 MiB limit per state handle is exceeded when the
     *     job replays a backlog, and the job would then restart forever (docs/benchmarks.md).
     */
    public static StreamExecutionEnvironment streaming(
            int metricsPort, int parallelism, Path checkpointDir) {
        Path dir =
                checkpointDir != null
                        ? checkpointDir
                        : Path.of(System.getProperty("java.io.tmpdir"), "checkpoints");
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.storage", "filesystem");
        conf.setString("execution.checkpointing.dir", dir.toAbsolutePath().toUri().toString());
        servePrometheus(conf, metricsPort);
        return environment(conf, parallelism);
    }

    /**
     * For a bounded job without checkpoints ({@code replay}): no checkpoint storage, and no metrics
     * endpoint unless a port is given, so that a replay never competes for a port with a running
     * analyzer.
     */
    public static StreamExecutionEnvironment bounded(int parallelism, OptionalInt metricsPort) {
        Configuration conf = new Configuration();
        metricsPort.ifPresent(port -> servePrometheus(conf, port));
        return environment(conf, parallelism);
    }

    private static StreamExecutionEnvironment environment(Configuration conf, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    private static void servePrometheus(Configuration conf, int port) {
        requireFreePort(port);
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", String.valueOf(port));
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
