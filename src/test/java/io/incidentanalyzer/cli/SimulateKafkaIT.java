package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.SimulationFixtures;
import io.incidentanalyzer.testing.KafkaBroker;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --to kafka} on a real broker writes what {@code --to DIR} writes. */
class SimulateKafkaIT {

    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AnalyzerCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void kafkaTopicsGetTheSameRecordsAsTheDirectory(@TempDir Path dir) throws Exception {
        String prefix = "sim-it";
        Path scenario =
                SimulateCommandTest.scenarioFile(
                        dir, SimulationFixtures.JOB_YAML.replace("shop.", prefix + "."));
        List<String> streams = List.of("metrics", "auth", "logs", "changes");
        KAFKA.kafka()
                .createTopics(
                        2, streams.stream().map(s -> prefix + "." + s).toArray(String[]::new));
        Path files = dir.resolve("files");
        Path truth = dir.resolve("kafka-truth.json");

        assertThat(run("simulate", "--scenario", scenario.toString(), "--to", files.toString()))
                .as(err.toString())
                .isZero();
        int code =
                run(
                        "simulate",
                        "--scenario",
                        scenario.toString(),
                        "--to",
                        "kafka",
                        "--bootstrap",
                        KAFKA.bootstrapServers(),
                        "--truth",
                        truth.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("streams on Kafka " + KAFKA.bootstrapServers());
        GroundTruth fromKafka = GroundTruth.read(truth);
        assertThat(fromKafka).isEqualTo(GroundTruth.read(files.resolve("truth.json")));
        try (KafkaTestClients clients = new KafkaTestClients(KAFKA.bootstrapServers())) {
            for (String s : streams) {
                List<String> lines = Files.readAllLines(files.resolve(s + ".jsonl"));
                List<JsonNode> records = clients.readAll(prefix + "." + s);
                assertThat(records).as(s).hasSize(lines.size());
                assertThat((long) records.size()).isEqualTo(fromKafka.events().get(s));
            }
            assertThat(clients.readAll(prefix + ".changes").get(0).get("kind").asText())
                    .isEqualTo("CONFIG");
        }
    }

    @Test
    void missingTopicsAreNamed(@TempDir Path dir) throws Exception {
        Path scenario =
                SimulateCommandTest.scenarioFile(
                        dir, SimulationFixtures.JOB_YAML.replace("shop.", "sim-missing."));

        int code =
                run(
                        "simulate",
                        "--scenario",
                        scenario.toString(),
                        "--to",
                        "kafka",
                        "--bootstrap",
                        KAFKA.bootstrapServers());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains(
                        "topics: sim-missing.metrics, sim-missing.auth, sim-missing.logs,"
                                + " sim-missing.changes do not exist")
                .doesNotContain("\tat ");
    }
}
