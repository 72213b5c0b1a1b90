package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink MiniCluster that {@code run} and {@code demo} use: the job's metrics are served in
 * Prometheus text format on {@code metricsPort} by Flink's own Prometheus reporter.
 */
final class LocalCluster {
    static final int DEFAULT_METRICS_PORT = 9249;

    private LocalCluster() {}

    static StreamExecutionEnvironment environment(int metricsPort, int parallelism) {
        requireFreePort(metricsPort);
        Configuration conf = new Configuration();
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
