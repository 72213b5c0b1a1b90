package io.incidentanalyzer.job;

import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.testing.Fixtures;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A backlog on input topics with more partitions than keys: every metric record in partition 0 of
 * four, the other three input topics empty, read from the earliest offset. Event time must advance
 * with the records as they are read, not wait until the empty partitions' idleness timer runs out.
 *
 * <p>The idle timeout here is ten minutes, far longer than the test waits: it stands for the
 * back-pressure of a real backlog, under which Flink stops the idleness clock altogether (docs/
 * operations.md "Catch-up after downtime"). Before the fix the three empty partitions held the
 * watermark at its minimum until that timeout, the detectors only buffered, and no incident came.
 */
class EmptyPartitionBacklogIT {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    @Test
    void backlogInOnePartitionOfFourIsDetectedWithoutWaitingForIdleness(TestInfo test)
            throws Exception {
        String prefix = "backlog-" + Integer.toHexString(test.getDisplayName().hashCode());
        // The job of IncidentAnalyzerJobIT: database CPU saturation, on the test's topics.
        JobConfig config =
                IncidentAnalyzerJobIT.withKafka(Fixtures.kafkaYaml(prefix))
                        .withWatermarks(
                                new Watermarks(Duration.ofSeconds(5), Duration.ofMinutes(10)));
        KAFKA.kafka().createTopics(4, config.topics().names().toArray(String[]::new));

        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            String metrics = config.topics().metrics().name();
            // Database CPU at 99% from t(60) to t(180); both series on the one busy partition.
            for (long s = 0; s <= 600; s += 10) {
                kafka.send(metrics, 0, sample("database", t(s), s >= 60 && s <= 180 ? 99 : 40));
                kafka.send(metrics, 0, sample("api", t(s), 30));
            }
            kafka.flush();

            JobClient job = Flink.startJob(config, KAFKA.bootstrapServers(), "it " + prefix);
            try {
                List<JsonNode> incidents =
                        await().atMost(Duration.ofMinutes(2))
                                .pollInterval(Duration.ofMillis(500))
                                .until(
                                        () -> kafka.readAll(config.topics().incidents()),
                                        events ->
                                                events.stream()
                                                        .anyMatch(
                                                                e ->
                                                                        e.get("type")
                                                                                .asText()
                                                                                .equals("CLOSED")));
                assertThat(incidents)
                        .extracting(e -> e.get("type").asText())
                        .containsExactly("OPENED", "IDENTIFIED", "CLOSED");
                assertThat(incidents.get(2).get("closedAt").asLong()).isEqualTo(t(310));
            } finally {
                job.cancel().get();
            }
        }
    }

    private static String sample(String service, long ts, double value) {
        return """
               {"ts":"%s","service":"%s","metric":"cpu_utilization","value":%s}"""
                .formatted(Instant.ofEpochMilli(ts), service, value);
    }
}
