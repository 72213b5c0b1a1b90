package io.incidentanalyzer.web;

import io.incidentanalyzer.config.ConfigException;
import io.javalin.Javalin;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.StringWriter;
import java.net.InetAddress;

/**
 * What the analyzer's HTTP services (the review pages, the ingest gateway) do alike: decide whether
 * an address is loopback, serve their Prometheus registry, and start on an address with a one-line
 * message when the port is taken.
 */
public final class HttpServers {
    private HttpServers() {}

    /** Whether {@code host} is a loopback address; a one-line error when it is no address. */
    public static boolean isLoopback(String command, String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (Exception e) {
            throw new ConfigException(
                    command + " --bind " + host + ": not an address (" + e.getMessage() + ")");
        }
    }

    /**
     * {@code url} if it is {@code https://}, or {@code http://} to a loopback address (a test's
     * stub): what the service sends there (a token, a routing key) must not cross a network in
     * clear text. {@code what} starts the error message, e.g. {@code "--push-url URL"}.
     */
    public static java.net.URI secureUrl(java.net.URI url, String what) {
        String scheme =
                url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (url.getHost() != null
                && (scheme.equals("https")
                        || (scheme.equals("http") && loopbackLiteral(url.getHost())))) {
            return url;
        }
        throw new ConfigException(
                what + ": give an https:// URL (plain http only to a loopback address, for tests)");
    }

    private static boolean loopbackLiteral(String host) {
        if (host.equalsIgnoreCase("localhost")) return true;
        // Only address literals: a name would need a DNS lookup that may answer differently later.
        if (!host.startsWith("[") && !host.matches("[0-9.]+")) return false;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Serves {@code registry} in Prometheus text format at {@code GET path}. */
    public static void serveMetrics(Javalin app, String path, CollectorRegistry registry) {
        app.get(
                path,
                ctx -> {
                    StringWriter w = new StringWriter();
                    TextFormat.write004(w, registry.metricFamilySamples());
                    ctx.contentType(TextFormat.CONTENT_TYPE_004).result(w.toString());
                });
    }

    /** Starts {@code app} on {@code host:port}; returns the port it listens on. */
    public static int start(Javalin app, String command, String host, int port) {
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            Throwable c = e;
            while (c != null && !(c instanceof java.net.BindException)) c = c.getCause();
            if (c == null) throw e;
            throw new ConfigException(
                    command
                            + ": cannot listen on "
                            + host
                            + ":"
                            + port
                            + " ("
                            + c.getMessage()
                            + "); choose another port (0 picks any free one)");
        }
        return app.port();
    }
}
