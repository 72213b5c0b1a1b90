package io.incidentanalyzer.gateway;

import io.incidentanalyzer.config.JobConfig;
import java.util.Map;

/**
 * The ingest gateway of a job file on loopback for a test, writing to the test's broker: its
 * producer and server, closed together.
 */
final class LocalGateway implements AutoCloseable {
    final TopicWriter writer;
    final GatewayServer server;
    final int port;

    private LocalGateway(TopicWriter writer, GatewayServer server, int port) {
        this.writer = writer;
        this.server = server;
        this.port = port;
    }

    /** On a free loopback port, without a token, with 1 MiB bodies and a 10 s ack wait. */
    static LocalGateway start(JobConfig config, String bootstrap) {
        TopicWriter writer =
                new TopicWriter(
                        bootstrap, Map.of(), config.limits().maxRecordBytes(), 1 << 20, 10_000);
        GatewayServer server = new GatewayServer(config, writer, null, 1 << 20, 1 << 22);
        return new LocalGateway(writer, server, server.start("127.0.0.1", 0));
    }

    /** {@code http://127.0.0.1:PORT} */
    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
        writer.close();
    }
}
