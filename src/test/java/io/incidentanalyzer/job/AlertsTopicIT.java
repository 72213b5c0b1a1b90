package io.incidentanalyzer.job;

import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.testing.Fixtures;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The at-least-once alerts topic beside the exactly-once incidents topic: with the first checkpoint
 * ten minutes away, no checkpoint completes during the test, so the incidents topic stays empty for
 * read_committed consumers, while the alerts topic already carries the incident's events, keyed
 * {@code <incidentId>/<sequence>}.
 */
class AlertsTopicIT {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static JobConfig config(String prefix) {
        return IncidentAnalyzerJobIT.withKafka(
                Fixtures.kafkaYaml(
                        prefix,
                        "startingOffsets: earliest, checkpointInterval: 10m,"
                                + " transactionTimeout: 12m",
                        true));
    }

    @Test
    void incidentEventsReachTheAlertsTopicBeforeAnyCheckpointCommitsThem(TestInfo test)
            throws Exception {
        String prefix = "it-" + test.getTestMethod().orElseThrow().getName().hashCode();
        JobConfig config = config(prefix);
        assertThat(config.topics().alerts()).isEqualTo(prefix + ".alerts");
        KAFKA.kafka().createTopics(2, config.topics().names().toArray(String[]::new));

        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            IncidentAnalyzerJobIT.sendEpisodeWithMalformedRecords(kafka, config);

            JobClient job = start(config);
            try {
                List<Map.Entry<String, JsonNode>> alerts =
                        await().atMost(Duration.ofMinutes(2))
                                .pollInterval(Duration.ofMillis(500))
                                .until(
                                        () -> kafka.readAllKeyed(config.topics().alerts()),
                                        a -> a.stream().anyMatch(e -> type(e).equals("CLOSED")));

                // No checkpoint has completed (the first is ten minutes away): nothing committed.
                assertThat(kafka.readAll(config.topics().incidents())).isEmpty();
                assertThat(alerts)
                        .extracting(AlertsTopicIT::type)
                        .containsExactly("OPENED", "IDENTIFIED", "CLOSED");
                assertThat(alerts)
                        .extracting(Map.Entry::getKey)
                        .containsExactly(
                                "it-20240216T072100Z/0",
                                "it-20240216T072100Z/1",
                                "it-20240216T072100Z/2");
                assertThat(alerts.get(0).getValue().get("incidentId").asText())
                        .isEqualTo("it-20240216T072100Z");
                assertThat(alerts.get(0).getValue().get("openedAt").asLong()).isEqualTo(t(60));
            } finally {
                job.cancel().get();
            }
        }
    }

    private static JobClient start(JobConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        IncidentAnalyzerJob.define(env, config, KAFKA.bootstrapServers(), false);
        // Flink starts the first checkpoint at a random delay between the minimum pause and the
        // interval: with the pause equal to the interval, none starts within ten minutes.
        env.getCheckpointConfig()
                .setMinPauseBetweenCheckpoints(config.kafka().checkpointInterval().toMillis());
        return env.executeAsync("it alerts");
    }

    private static String type(Map.Entry<String, JsonNode> alert) {
        return alert.getValue().get("type").asText();
    }
}
