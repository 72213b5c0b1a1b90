package org.apache.flink.metrics.prometheus;

import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter, served on one address instead of every interface: the local
 * MiniCluster's {@code /metrics} listens on loopback unless told otherwise. Flink's own {@code
 * PrometheusReporter} binds its HTTP server to the wildcard address and has no host option, and the
 * collector registry that it fills is package-private: hence this class lives in Flink's package,
 * reusing the reporter's translation of Flink metrics as it is and replacing only where it listens.
 * On a real Flink cluster, Flink's own reporter plugin is used instead.
 *
 * <p>Settings: {@code metrics.reporter.<name>.host} (default 127.0.0.1) and {@code port}.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {
    public static final String HOST = "host";
    public static final String PORT = "port";

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        String host = properties.getProperty(HOST, "127.0.0.1");
        int port = Integer.parseInt(properties.getProperty(PORT, "9249"));
        return new Reporter(new InetSocketAddress(host, port));
    }

    /** The reporter: Flink's metric translation, one HTTP server on the given address. */
    static final class Reporter extends AbstractPrometheusReporter {
        private final HTTPServer server;

        Reporter(InetSocketAddress address) {
            try {
                // Daemon threads: the endpoint must never keep a stopped analyzer alive.
                server = new HTTPServer(address, registry, true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve metrics on " + address, e);
            }
        }

        @Override
        public void close() {
            server.stop();
            super.close();
        }
    }
}
