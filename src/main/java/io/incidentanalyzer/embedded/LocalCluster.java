package io.incidentanalyzer.embedded;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.prometheus.BoundPrometheusReporterFactory;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink MiniCluster in this JVM that {@code run}, {@code demo} and {@code replay} use. Every
 * listener it opens (the REST API with its job-cancel and jar-upload routes, the blob server, RPC
 * and data ports) is bound to one address, loopback unless the user chose another. When asked to,
 * the job's metrics are served in Prometheus text format on a port of that address by Flink's own
 * Prometheus reporter.
 */
public final class LocalCluster {
    public static final int DEFAULT_METRICS_PORT = 9249;

    /** Where a single-machine tool listens unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

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
            String bindAddress, int metricsPort, int parallelism, Path checkpointDir) {
        Path dir =
                checkpointDir != null
                        ? checkpointDir
                        : Path.of(System.getProperty("java.io.tmpdir"), "checkpoints");
        Configuration conf = bound(bindAddress);
        conf.setString("execution.checkpointing.storage", "filesystem");
        conf.setString("execution.checkpointing.dir", dir.toAbsolutePath().toUri().toString());
        servePrometheus(conf, bindAddress, metricsPort);
        return environment(conf, parallelism);
    }

    /**
     * For a bounded job without checkpoints ({@code replay}): no checkpoint storage, and no metrics
     * endpoint unless a port is given, so that a replay never competes for a port with a running
     * analyzer. It listens on loopback only.
     */
    public static StreamExecutionEnvironment bounded(int parallelism, OptionalInt metricsPort) {
        Configuration conf = bound(LOOPBACK);
        metricsPort.ifPresent(port -> servePrometheus(conf, LOOPBACK, port));
        return environment(conf, parallelism);
    }

    /**
     * A configuration whose listeners all bind to {@code address}: Flink's defaults bind the REST
     * API, the blob server and the TaskManager's ports to every interface.
     */
    private static Configuration bound(String address) {
        Configuration conf = new Configuration();
        conf.setString("rest.bind-address", address);
        conf.setString("rest.address", address);
        conf.setString("jobmanager.bind-host", address);
        conf.setString("jobmanager.rpc.address", address);
        conf.setString("taskmanager.bind-host", address);
        conf.setString("taskmanager.host", address);
        return conf;
    }

    /**
     * Cancels a job of this cluster and waits, up to {@code timeout} each, until the cancellation
     * is taken and the job has ended; a job that has ended already is left alone. A stopping
     * command returns only after this, so its cluster never shuts down under a running job.
     */
    public static void cancelAndWait(JobClient job, Duration timeout) {
        if (job == null || job.getJobExecutionResult().isDone()) return;
        try {
            job.cancel().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            job.getJobExecutionResult().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | IllegalStateException endedOrStuck) {
            // Ended meanwhile (failed, finished or cancelled; its local cluster gone with it).
        }
    }

    private static StreamExecutionEnvironment environment(Configuration conf, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        return env;
    }

    private static void servePrometheus(Configuration conf, String address, int port) {
        requireFreePort(address, port);
        conf.setString(
                "metrics.reporter.prom.factory.class",
                BoundPrometheusReporterFactory.class.getName());
        conf.setString("metrics.reporter.prom." + BoundPrometheusReporterFactory.HOST, address);
        conf.setString(
                "metrics.reporter.prom." + BoundPrometheusReporterFactory.PORT,
                String.valueOf(port));
    }

    private static void requireFreePort(String address, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName(address))) {
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
