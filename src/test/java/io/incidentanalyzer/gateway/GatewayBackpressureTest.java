package io.incidentanalyzer.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With no broker to take the records, the gateway answers 429 with Retry-After and never 2xx: a
 * request is only accepted once Kafka has it.
 */
class GatewayBackpressureTest {
    private static final String CDEVENT =
            "{\"context\": {\"specversion\": \"0.4.1\", \"id\": \"1\", \"source\": \"/ci\","
                    + " \"type\": \"dev.cdevents.service.deployed.0.2.0\", \"timestamp\":"
                    + " \"2024-02-16T08:45:00Z\"}, \"subject\": {\"id\": \"service/web-app\","
                    + " \"source\": \"/ci\", \"type\": \"service\", \"content\": {}}}";

    @Test
    void noBrokerMeans429AndNothingAccepted() throws Exception {
        JobConfig config =
                JobConfigLoader.parse(
                        """
                        environment: bp
                        topics:
                          metrics: {name: bp.metrics, format: prometheus-kafka-adapter}
                          auth: {name: bp.auth}
                          logs: {name: bp.logs, format: otlp-proto}
                          changes: {name: bp.changes, format: cdevents}
                          incidents: bp.incidents
                          deadLetter: bp.dead-letter
                        services:
                          web-app: {}
                        """,
                        "jobs/bp.yaml");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (TopicWriter writer =
                        new TopicWriter("127.0.0.1:" + closedPort, Map.of(), 65536, 1 << 20, 1000);
                GatewayServer server = new GatewayServer(config, writer, null, 1 << 20, 1 << 20)) {
            int port = server.start("127.0.0.1", 0);
            HttpResponse<String> r =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/cdevents"))
                                            .POST(HttpRequest.BodyPublishers.ofString(CDEVENT))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(r.body()).contains("retry later");
        }
    }
}
