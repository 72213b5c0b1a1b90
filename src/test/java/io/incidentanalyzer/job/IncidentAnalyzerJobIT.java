package io.incidentanalyzer.job;

import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.testing.Fixtures;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole job on a real Kafka broker and a Flink MiniCluster at parallelism 2: a database-CPU
 * saturation episode mixed with malformed records.
 */
class IncidentAnalyzerJobIT {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static JobConfig config(String prefix) {
        return withKafka(Fixtures.kafkaYaml(prefix));
    }

    /** The test's job file after {@code kafkaYaml}, the Kafka part of it. */
    static JobConfig withKafka(String kafkaYaml) {
        return JobConfigLoader.parse(
                kafkaYaml
                        + """
environment: it
watermarks: {maxOutOfOrderness: 5s, idleTimeout: 2s}
limits: {maxRecordBytes: 1024}
services:
  database: {}
  api: {dependsOn: [database]}
detectors:
  saturation:
    - {name: db-cpu, service: database, metric: cpu_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m}
""",
                "it.yaml");
    }

    private static String sample(String service, long ts, double value) {
        return """
               {"ts":"%s","service":"%s","metric":"cpu_utilization","value":%s}"""
                .formatted(Instant.ofEpochMilli(ts), service, value);
    }

    @Test
    void saturationEpisodeWithMalformedRecordsGivesOneIncidentAndDeadLetters(TestInfo test)
            throws Exception {
        String prefix = "it-" + test.getTestMethod().orElseThrow().getName().hashCode();
        JobConfig config = config(prefix);
        KAFKA.kafka().createTopics(2, config.topics().names().toArray(String[]::new));

        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            sendEpisodeWithMalformedRecords(kafka, config);

            JobClient job = start(config, prefix);
            try {
                List<JsonNode> incidents = awaitClosed(kafka, config);

                assertThat(incidents)
                        .extracting(IncidentAnalyzerJobIT::type)
                        .containsExactly("OPENED", "IDENTIFIED", "CLOSED");
                assertThat(incidents)
                        .extracting(e -> e.get("incidentId").asText())
                        .containsOnly("it-20240216T072100Z");
                assertThat(incidents)
                        .extracting(e -> e.get("openedAt").asLong())
                        .containsOnly(t(60));
                assertThat(incidents.get(2).get("closedAt").asLong())
                        .isEqualTo(t(310)); // 120 s at or below 80 from t(190)
                assertThat(incidents.get(2).path("drafts").path("postmortem").asText())
                        .startsWith("# Postmortem: database cpu_utilization saturated");

                // One Statuspage document per lifecycle step, keyed by incident id.
                List<JsonNode> pages =
                        await().atMost(Duration.ofMinutes(1))
                                .pollInterval(Duration.ofMillis(500))
                                .until(
                                        () -> kafka.readAll(config.topics().statusUpdates()),
                                        p -> p.size() >= 3);
                assertThat(pages)
                        .extracting(p -> p.get("status").asText())
                        .containsExactly("investigating", "identified", "resolved");
                JsonNode resolved = pages.get(2);
                assertThat(resolved.get("id").asText()).isEqualTo("it-20240216T072100Z");
                assertThat(resolved.get("resolved_at").asText()).isEqualTo("2024-02-16T07:25:10Z");
                assertThat(resolved.get("incident_updates"))
                        .extracting(u -> u.get("status").asText())
                        .containsExactly("resolved", "identified", "investigating");

                List<JsonNode> dead =
                        await().atMost(Duration.ofMinutes(1))
                                .pollInterval(Duration.ofMillis(500))
                                .until(
                                        () -> kafka.readAll(config.topics().deadLetter()),
                                        d -> d.size() >= 5);
                assertThat(dead).hasSize(5);
                Set<String> reasons =
                        dead.stream()
                                .map(d -> d.get("reason").asText())
                                .collect(Collectors.toSet());
                assertThat(reasons)
                        .containsExactlyInAnyOrder(
                                "NOT_JSON", "MISSING_FIELD", "BAD_TIMESTAMP", "TOO_LARGE");
                assertThat(dead)
                        .allSatisfy(
                                d -> {
                                    assertThat(d.get("offset").asLong()).isNotNegative();
                                    assertThat(d.get("partition").asInt()).isBetween(0, 1);
                                    assertThat(d.get("detail").asText()).isNotBlank();
                                });
                JsonNode binary =
                        dead.stream()
                                .filter(d -> d.get("sourceTopic").asText().endsWith(".auth"))
                                .findFirst()
                                .orElseThrow();
                assertThat(binary.get("rawEncoding").asText()).isEqualTo("base64");
                assertThat(Base64.getDecoder().decode(binary.get("raw").asText()))
                        .containsExactly((byte) 0xff, 0x00, 0x7f);

                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * Database CPU at 99% from t(60) to t(180), healthy before and after, and five malformed
     * records. A second series keeps partition 1 moving so event time advances on both partitions.
     */
    static void sendEpisodeWithMalformedRecords(KafkaTestClients kafka, JobConfig config) {
        String metrics = config.topics().metrics().name();
        for (long s = 0; s <= 600; s += 10) {
            double db = s >= 60 && s <= 180 ? 99 : 40;
            kafka.send(metrics, 0, sample("database", t(s), db));
            kafka.send(metrics, 1, sample("api", t(s), 30));
        }
        kafka.send(metrics, 0, "this is not json");
        kafka.send(metrics, 1, "{\"ts\":\"2024-02-16T07:25:00Z\",\"metric\":\"x\",\"value\":1}");
        kafka.send(
                metrics,
                0,
                "{\"ts\":\"yesterday\",\"service\":\"db\",\"metric\":\"x\",\"value\":1}");
        kafka.send(metrics, 1, "{\"pad\":\"" + "x".repeat(2000) + "\"}");
        kafka.send(config.topics().auth().name(), 0, new byte[] {(byte) 0xff, 0x00, 0x7f});
        kafka.flush();
    }

    /**
     * A deleted or never created dead-letter topic must not stall the checkpoints that commit
     * incident output: the incident still reaches read_committed consumers, and the job runs on.
     */
    @Test
    void missingDeadLetterTopicDoesNotStallIncidentOutput(TestInfo test) throws Exception {
        String prefix = "it-" + test.getTestMethod().orElseThrow().getName().hashCode();
        JobConfig config = config(prefix);
        KAFKA.kafka()
                .createTopics(
                        2,
                        config.topics().names().stream()
                                .filter(n -> !n.equals(config.topics().deadLetter()))
                                .toArray(String[]::new));
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            sendEpisodeWithMalformedRecords(kafka, config);
            JobClient job = start(config, prefix);
            try {
                List<JsonNode> incidents = awaitClosed(kafka, config);
                assertThat(incidents)
                        .extracting(IncidentAnalyzerJobIT::type)
                        .containsExactly("OPENED", "IDENTIFIED", "CLOSED");
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The whole job at parallelism 2 on the test's broker. */
    private static JobClient start(JobConfig config, String prefix) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        IncidentAnalyzerJob.define(env, config, KAFKA.bootstrapServers(), false);
        return env.executeAsync("it " + prefix);
    }

    /** The committed incident events, once one of them closes the incident. */
    private static List<JsonNode> awaitClosed(KafkaTestClients kafka, JobConfig config) {
        return await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> kafka.readAll(config.topics().incidents()),
                        events -> events.stream().anyMatch(e -> type(e).equals("CLOSED")));
    }

    private static String type(JsonNode incidentEvent) {
        return incidentEvent.get("type").asText();
    }
}
