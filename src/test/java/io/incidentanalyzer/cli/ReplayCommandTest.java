package io.incidentanalyzer.cli;

import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.ServiceEdge;
import io.incidentanalyzer.replay.ReplayProgress;
import io.incidentanalyzer.replay.ReplayResult;
import io.incidentanalyzer.testing.Recordings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replay} as a user runs it: its messages for mistakes, and its output. The runs start a
 * real local MiniCluster, as {@code bin/analyzer replay} does.
 */
class ReplayCommandTest {
    private static final String JOB = "jobs/watermelon.yaml";
    private static final String INCIDENT_ID = "watermelon-prod-20240216T072100Z";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir Path dir;

    private int run(String... args) {
        return AnalyzerCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** The saturation episode and one line that is not JSON (line 4, 0-based). */
    private Path recording() {
        List<String> metrics = new ArrayList<>(Recordings.databaseSaturation());
        metrics.add(4, "cpu_utilization database 97.0 1708068300");
        Path input = dir.resolve("recorded");
        Recordings.write(input, "metrics.jsonl", metrics);
        return input;
    }

    @Test
    void missingInputDirectoryIsAMessageNamingIt() {
        Path missing = dir.resolve("nope");

        int code = run("replay", "--job", JOB, "--input", missing.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("error: " + missing + ": no such directory")
                .contains("metrics.jsonl, auth.jsonl, logs.jsonl, changes.jsonl")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void inputWithoutRecordedFilesNamesTheFilesExpected() throws Exception {
        Files.writeString(dir.resolve("truth.json"), "{}");

        int code = run("replay", "--job", JOB, "--input", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("error: " + dir + ": no recorded input in it; expected")
                .contains("metrics.jsonl")
                .doesNotContain("\tat ");
    }

    @Test
    void brokenJobFileNamesFileAndField() throws Exception {
        Path job = dir.resolve("broken.yaml");
        Files.writeString(
                job, Files.readString(Path.of(JOB)).replace("ceiling: 95", "ceiling: high"));

        int code = run("replay", "--job", job.toString(), "--input", recording().toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("error: " + job + ": detectors.saturation[0].ceiling")
                .doesNotContain("\tat ");
    }

    @Test
    void outInAMissingDirectoryIsRefusedBeforeTheReplay() {
        Path target = dir.resolve("no/such/dir/incidents.jsonl");

        int code =
                run(
                        "replay",
                        "--job",
                        JOB,
                        "--input",
                        recording().toString(),
                        "--out",
                        target.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: --out " + target + ": directory");
    }

    @Test
    void parallelismBelowOneIsAMessage() {
        int code =
                run(
                        "replay",
                        "--job",
                        JOB,
                        "--input",
                        recording().toString(),
                        "--parallelism",
                        "0");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: --parallelism must be at least 1, got 0");
    }

    @Test
    void outWritesIncidentEventsAsOnTheIncidentsTopicAndDeadLettersBesideThem() throws Exception {
        Path target = dir.resolve("incidents.jsonl");

        int code =
                run(
                        "replay",
                        "--job",
                        JOB,
                        "--input",
                        recording().toString(),
                        "--out",
                        target.toString(),
                        "--parallelism",
                        "1");

        assertThat(code).as(err.toString()).isZero();
        ObjectMapper json = OutputJson.mapper();
        List<String> lines = Files.readAllLines(target);
        List<IncidentEvent> events = new ArrayList<>();
        for (String line : lines) {
            IncidentEvent e = json.readValue(line, IncidentEvent.class);
            assertThat(line).isEqualTo(json.writeValueAsString(e));
            events.add(e);
        }
        assertThat(events)
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(events).extracting(IncidentEvent::incidentId).containsOnly(INCIDENT_ID);
        assertThat(events.get(2).ts()).isEqualTo(t(310));
        assertThat(events.get(3).closedAt()).isEqualTo(t(310 + 900));

        List<String> dead = Files.readAllLines(dir.resolve("incidents.dead-letters.jsonl"));
        assertThat(dead).hasSize(1);
        DeadLetter d = json.readValue(dead.get(0), DeadLetter.class);
        assertThat(d.sourceTopic()).isEqualTo("metrics.jsonl");
        assertThat(d.offset()).isEqualTo(4);

        assertThat(out.toString()).isEmpty();
        assertThat(err.toString())
                .contains("replay  done: 123 events in ")
                .contains("1 incident (4 incident events), 1 dead letter")
                .contains("wrote 4 incident events to " + target);
    }

    @Test
    void withoutOutIncidentEventsAndDeadLettersArePrinted() {
        int code = run("replay", "--job", JOB, "--input", recording().toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("OPENED", "CLOSED", INCIDENT_ID)
                .contains("DEAD LETTER", "metrics.jsonl[0]@4: NOT_JSON");
        assertThat(out.toString().indexOf("OPENED")).isLessThan(out.toString().indexOf("CLOSED"));
    }

    @Test
    void deadLettersGoBesideTheOutFile() {
        assertThat(ReplayCommand.deadLettersFile(Path.of("out/incidents.jsonl")))
                .isEqualTo(Path.of("out/incidents.dead-letters.jsonl"));
        assertThat(ReplayCommand.deadLettersFile(Path.of("incidents.json")))
                .isEqualTo(Path.of("incidents.json.dead-letters.jsonl"));
    }

    @Test
    void progressLineShowsEventsRateAndEventTimeInTheJobsZone() throws Exception {
        var config = JobConfigLoader.load(Path.of(JOB)); // Europe/Amsterdam, 12h clock
        var progress = new ReplayCommand.TerminalProgress(new PrintWriter(err), config, true);
        var before = new ReplayProgress.Snapshot(234_567, t(0), Duration.ofSeconds(2), false);
        var now =
                new ReplayProgress.Snapshot(1_234_567, t(54 * 60), Duration.ofMillis(2500), false);

        assertThat(progress.running(now, before))
                .isEqualTo(
                        "replay  1,234,567 events  2,000,000 ev/s  event time 2024-02-16 9:14 AM"
                                + " Europe/Amsterdam");
        assertThat(
                        progress.running(
                                new ReplayProgress.Snapshot(
                                        0, Long.MIN_VALUE, Duration.ZERO, false),
                                null))
                .endsWith("event time -");
        assertThat(
                        progress.finished(
                                new ReplayProgress.Snapshot(
                                        5000, t(0), Duration.ofSeconds(2), true),
                                new ReplayResult(List.of(), List.of(), List.of(), 5000)))
                .isEqualTo(
                        "replay  done: 5,000 events in 2.0 s (2,500 ev/s), 0 incidents (0"
                                + " incident events), 0 dead letters");
    }

    @Test
    void withATracesTopicTheServiceGraphIsReportedAgainstDependsOn() {
        String job =
                """
                environment: shop
                topics:
                  metrics: {name: m}
                  auth: {name: a}
                  logs: {name: l}
                  changes: {name: c}
                  traces: {name: t, format: otlp-proto}
                  incidents: i
                  deadLetter: d
                services:
                  frontend: {dependsOn: [checkout, payments]}
                  checkout: {}
                  payments: {}
                """;
        ReplayResult result =
                new ReplayResult(
                        List.of(),
                        List.of(),
                        List.of(),
                        3,
                        List.of(
                                new ServiceEdge("checkout", "orders-db", t(60), false),
                                new ServiceEdge("frontend", "checkout", t(30), true)));
        StringWriter text = new StringWriter();

        ReplayCommand.printServiceGraph(
                new PrintWriter(text), JobConfigLoader.parse(job, "shop.yaml"), result);

        assertThat(text.toString())
                .contains("service graph: 2 edge(s) seen in traces, 1 not in dependsOn; 1 declared")
                .contains("seen, not declared: checkout -> orders-db")
                .contains("declared, never seen: frontend -> payments");
        StringWriter none = new StringWriter();
        ReplayCommand.printServiceGraph(
                new PrintWriter(none),
                JobConfigLoader.parse(
                        job.replace("  traces: {name: t, format: otlp-proto}\n", ""), "x.yaml"),
                result);
        assertThat(none.toString()).as("no traces topic, no report").isEmpty();
    }
}
