package io.incidentanalyzer.replay;

import static io.incidentanalyzer.testing.Fixtures.cpu;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import io.incidentanalyzer.job.IncidentPipeline;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.testing.Fixtures;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import io.incidentanalyzer.testing.Recordings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The determinism promise of {@code replay}: the same recorded files, replayed and also produced to
 * a real Kafka broker (two partitions per topic, keyed by service) and run through the Kafka job,
 * bounded, give the same incident events and the same dead letters.
 */
class ReplayMatchesStreamingIT {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static final ObjectMapper JSON = OutputJson.mapper();

    @TempDir Path dir;

    /**
     * Idleness is off in effect (10 min): a partition that stalls for a moment on a busy machine
     * must not be declared idle, or its events could turn late and the runs could differ. Bounded
     * inputs need no idleness: a finished split no longer holds event time back.
     */
    private static JobConfig config(String prefix) {
        return JobConfigLoader.parse(
                Fixtures.kafkaYaml(prefix)
                        + """
environment: it-replay
watermarks: {maxOutOfOrderness: 5s, idleTimeout: 10m}
limits: {maxRecordBytes: 1024}
services:
  database: {}
  cache: {}
  token-verification: {dependsOn: [database, cache]}
  api: {dependsOn: [token-verification]}
detectors:
  saturation:
    - {name: db-cpu, service: database, metric: cpu_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m}
    - {name: any-cpu, service: "*", metric: cpu_utilization, ceiling: 90, sustain: 2m, clearBelow: 75, clearAfter: 2m}
""",
                "it-replay.yaml");
    }

    /**
     * An hour of CPU samples every 10 s for four services (1,444 samples): the database saturated
     * from t(300) to t(600), the cache from t(1800) to t(2200), two incidents; noise from a fixed
     * seed; malformed records on every input.
     */
    private void record() {
        Random noise = new Random(42);
        List<String> metrics = new ArrayList<>();
        for (long s = 0; s <= 3600; s += 10) {
            boolean db = s >= 300 && s <= 600;
            boolean cache = s >= 1800 && s <= 2200;
            metrics.add(sample("database", s, db ? 97 + noise.nextDouble() * 3 : healthy(noise)));
            metrics.add(sample("cache", s, cache ? 92 + noise.nextDouble() * 7 : healthy(noise)));
            metrics.add(sample("token-verification", s, healthy(noise)));
            metrics.add(sample("api", s, healthy(noise)));
        }
        metrics.add(17, "this is not json");
        metrics.add(400, "{\"ts\":\"2024-02-16T07:25:00Z\",\"metric\":\"x\",\"value\":1}");
        metrics.add(
                900,
                "{\"ts\":1708068300,\"service\":\"api\",\"metric\":\"cpu_utilization\",\"value\":1}");
        metrics.add(1200, "{\"pad\":\"" + "x".repeat(2000) + "\"}");
        Recordings.write(dir, "metrics.jsonl", metrics);

        ByteArrayOutputStream auth = new ByteArrayOutputStream();
        auth.writeBytes(
                ("{\"ts\":%d,\"service\":\"token-verification\",\"type\":\"refresh\"}\n"
                                .formatted(t(5)))
                        .getBytes(StandardCharsets.UTF_8));
        auth.writeBytes(new byte[] {(byte) 0xff, 0x00, 0x7f, '\n'});
        Recordings.write(dir, "auth.jsonl", auth.toByteArray());
        Recordings.write(
                dir,
                "logs.jsonl",
                List.of(
                        "{\"ts\":%d,\"service\":\"api\",\"message\":\"started\"}".formatted(t(1)),
                        "{\"ts\":%d,\"service\":\"api\"}".formatted(t(2))));
        Recordings.write(
                dir,
                "changes.jsonl",
                List.of(
                        "{\"ts\":%d,\"service\":\"api\",\"kind\":\"deploy\",\"version\":\"1.2\"}"
                                .formatted(t(3)),
                        "{\"ts\":%d,\"service\":\"api\",\"kind\":\"rumour\"}".formatted(t(4))));
        Recordings.write(dir, "truth.json", "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static double healthy(Random noise) {
        return 30 + noise.nextDouble() * 30;
    }

    private static String sample(String service, long seconds, double value) {
        String line = Recordings.line(cpu(service, t(seconds), 0));
        return line.replace(
                "\"value\":0.0", "\"value\":" + String.format(Locale.ROOT, "%.1f", value));
    }

    @Test
    void replayGivesTheIncidentEventsAndDeadLettersOfAStreamingRun() throws Exception {
        // The two saturated series land on different partitions.
        assertThat(partitionOf("database")).isNotEqualTo(partitionOf("cache"));
        String prefix = "replay-it";
        JobConfig config = config(prefix);
        record();

        ReplayResult replay = Replay.run(config, dir, 2, null);

        assertThat(replay.incidents())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.CLOSED,
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.CLOSED);
        assertThat(replay.incidents())
                .extracting(IncidentEvent::openedAt)
                .containsExactly(t(300), t(300), t(300), t(1800), t(1800), t(1800));
        assertThat(replay.deadLetters()).hasSize(7);

        KAFKA.kafka().createTopics(2, config.topics().names().toArray(String[]::new));
        try (KafkaTestClients kafka = new KafkaTestClients(KAFKA.bootstrapServers())) {
            produce(kafka, "metrics.jsonl", config.topics().metrics().name());
            produce(kafka, "auth.jsonl", config.topics().auth().name());
            produce(kafka, "logs.jsonl", config.topics().logs().name());
            produce(kafka, "changes.jsonl", config.topics().changes().name());
            kafka.flush();

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            IncidentPipeline.Outputs out =
                    IncidentAnalyzerJob.define(env, config, KAFKA.bootstrapServers(), true);
            List<IncidentEvent> streamed = new ArrayList<>();
            List<DeadLetter> streamedDead = new ArrayList<>();
            try (CloseableIterator<IncidentEvent> i = out.incidents().collectAsync();
                    CloseableIterator<DeadLetter> d = out.deadLetters().collectAsync()) {
                env.execute("replay-it streaming");
                i.forEachRemaining(streamed::add);
                d.forEachRemaining(streamedDead::add);
            }

            // As the correlator emitted them, in order.
            assertThat(replay.incidents()).isEqualTo(streamed);
            // As consumers of the incidents topic read them: in order per incident id.
            assertThat(byIncident(kafka.readAll(config.topics().incidents())))
                    .isEqualTo(byIncident(asWritten(replay.incidents())));

            assertThat(content(replay.deadLetters())).isEqualTo(content(streamedDead));
            List<DeadLetter> topic = new ArrayList<>();
            for (JsonNode n : kafka.readAll(config.topics().deadLetter())) {
                topic.add(JSON.treeToValue(n, DeadLetter.class));
            }
            assertThat(content(replay.deadLetters())).isEqualTo(content(topic));
        }
        assertThat(replay.deadLetters())
                .filteredOn(d -> d.sourceTopic().equals("metrics.jsonl"))
                .extracting(DeadLetter::offset)
                .containsExactly(17L, 400L, 900L, 1200L);
    }

    /** Each line of {@code file} as one record, keyed by its service so a series keeps order. */
    private void produce(KafkaTestClients kafka, String file, String topic) throws Exception {
        byte[] content = Files.readAllBytes(dir.resolve(file));
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                byte[] value = Arrays.copyOfRange(content, start, i);
                kafka.send(topic, serviceOf(value), value);
                start = i + 1;
            }
        }
    }

    private static String serviceOf(byte[] value) {
        try {
            JsonNode service = JSON.readTree(value).get("service");
            return service == null ? null : service.asText();
        } catch (Exception notJson) {
            return null;
        }
    }

    private static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
    }

    /** The events as a consumer of the incidents topic parses them. */
    private static List<JsonNode> asWritten(List<IncidentEvent> events) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (IncidentEvent e : events) {
            out.add(JSON.readTree(JSON.writeValueAsBytes(e)));
        }
        return out;
    }

    private static Map<String, List<JsonNode>> byIncident(List<JsonNode> events) {
        Map<String, List<JsonNode>> out = new TreeMap<>();
        for (JsonNode e : events) {
            out.computeIfAbsent(e.get("incidentId").asText(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    /** What must match whichever way a record arrived: not its topic, partition or offset. */
    private static Map<String, Long> content(List<DeadLetter> deadLetters) {
        Map<String, Long> counts = new LinkedHashMap<>();
        deadLetters.stream()
                .map(
                        d ->
                                d.reason()
                                        + " | "
                                        + d.detail()
                                        + " | "
                                        + d.rawEncoding()
                                        + " | "
                                        + d.raw())
                .sorted()
                .forEach(k -> counts.merge(k, 1L, Long::sum));
        return counts;
    }
}
