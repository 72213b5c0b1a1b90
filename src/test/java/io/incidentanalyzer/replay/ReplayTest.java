package io.incidentanalyzer.replay;

import static io.incidentanalyzer.testing.Fixtures.cpu;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.testing.Flink;
import io.incidentanalyzer.testing.Recordings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Replays of small hand-written recordings on a MiniCluster at parallelism 2. */
class ReplayTest {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    static final JobConfig CONFIG =
            JobConfigLoader.parse(
                    """
environment: replay-test
topics:
  metrics: {name: t.metrics}
  auth: {name: t.auth}
  logs: {name: t.logs}
  changes: {name: t.changes}
  incidents: t.incidents
  deadLetter: t.dead-letter
watermarks: {maxOutOfOrderness: 30s, idleTimeout: 10m}
limits: {maxRecordBytes: 1024}
services:
  database: {}
  api: {dependsOn: [database]}
detectors:
  saturation:
    - {name: db-cpu, service: database, metric: cpu_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m}
""",
                    "replay-test.yaml");

    private static final String INCIDENT_ID = "replay-test-20240216T072100Z";

    @TempDir Path dir;

    /** The episode with malformed lines at lines 3 and 10 (0-based). */
    private static List<String> episodeWithRejects() {
        List<String> lines = new ArrayList<>(Recordings.databaseSaturation());
        lines.add(3, "this is not json");
        lines.add(
                10, "{\"ts\":\"2024-02-16T07:21:00Z\",\"metric\":\"cpu_utilization\",\"value\":1}");
        return lines;
    }

    @Test
    void saturationEpisodeGivesOneIncidentAndDeadLettersPointAtTheirLines() {
        List<String> metrics = episodeWithRejects();
        Recordings.write(dir, "metrics.jsonl", metrics);
        Recordings.write(dir, "auth.jsonl", new byte[] {(byte) 0xff, 0x00, 0x7f, '\n'});
        Recordings.write(
                dir, "truth.json", "{\"not\": \"input\"}".getBytes(StandardCharsets.UTF_8));
        List<ReplayProgress.Snapshot> progress = new CopyOnWriteArrayList<>();

        ReplayResult r = Replay.run(CONFIG, dir, 2, progress::add);

        assertThat(r.incidents())
                .extracting(IncidentEvent::type, IncidentEvent::incidentId, IncidentEvent::ts)
                .containsExactly(
                        tuple(IncidentEventType.OPENED, INCIDENT_ID, t(120)),
                        // The saturated database, two minutes (identifyAfter) the top candidate.
                        tuple(IncidentEventType.IDENTIFIED, INCIDENT_ID, t(240)),
                        tuple(IncidentEventType.MONITORING, INCIDENT_ID, t(310)),
                        // The end of the input moves event time past the 15-minute quiet period.
                        tuple(IncidentEventType.CLOSED, INCIDENT_ID, t(310 + 900)));
        assertThat(r.incidents()).extracting(IncidentEvent::openedAt).containsOnly(t(60));
        assertThat(r.incidents().get(3).closedAt()).isEqualTo(t(1210));

        assertThat(r.signals())
                .extracting(Signal::state)
                .startsWith(SignalState.OPEN)
                .endsWith(SignalState.CLEAR);
        assertThat(r.signals()).extracting(Signal::ts).isSorted();

        assertThat(r.deadLetters())
                .extracting(
                        DeadLetter::sourceTopic,
                        DeadLetter::partition,
                        DeadLetter::offset,
                        DeadLetter::reason)
                .containsExactly(
                        tuple("auth.jsonl", 0, 0L, RejectReason.NOT_JSON),
                        tuple("metrics.jsonl", 0, 3L, RejectReason.NOT_JSON),
                        tuple("metrics.jsonl", 0, 10L, RejectReason.MISSING_FIELD));
        assertThat(r.deadLetters().get(0).rawEncoding()).isEqualTo("base64");
        assertThat(r.deadLetters().get(1).raw()).isEqualTo("this is not json");

        assertThat(r.eventsRead()).isEqualTo(metrics.size() + 1);
        ReplayProgress.Snapshot last = progress.get(progress.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.eventsRead()).isEqualTo(r.eventsRead());
        assertThat(last.eventTime()).isEqualTo(t(600));
        assertThat(progress.subList(0, progress.size() - 1))
                .noneMatch(ReplayProgress.Snapshot::done);
    }

    @Test
    void aSampleDatedInTheFarFutureIsADeadLetterAndTakesNoEventTimeHostage() {
        List<String> metrics = new ArrayList<>(Recordings.databaseSaturation());
        metrics.add(
                4,
                "{\"ts\":\"2099-01-01T00:00:00Z\",\"service\":\"database\","
                        + "\"metric\":\"cpu_utilization\",\"value\":1}");
        Recordings.write(dir, "metrics.jsonl", metrics);

        ReplayResult r = Replay.run(CONFIG, dir, 2, null);

        assertThat(r.deadLetters())
                .extracting(DeadLetter::offset, DeadLetter::reason)
                .containsExactly(tuple(4L, RejectReason.FUTURE_TIMESTAMP));
        assertThat(r.incidents())
                .extracting(IncidentEvent::type)
                .as("every later sample counts: the saturation is found as without the 2099 one")
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
    }

    @Test
    void inputShuffledWithinTheOutOfOrdernessBoundGivesTheSameOutput() {
        List<String> ordered = Recordings.databaseSaturation();
        // Blocks of 6 lines are 30 s of event time, inside the 30 s bound.
        List<String> shuffled = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < ordered.size(); i += 6) {
            List<String> block =
                    new ArrayList<>(ordered.subList(i, Math.min(i + 6, ordered.size())));
            Collections.shuffle(block, random);
            shuffled.addAll(block);
        }
        assertThat(shuffled).isNotEqualTo(ordered);
        Path a = Recordings.write(dir.resolve("a"), "metrics.jsonl", ordered).getParent();
        Path b = Recordings.write(dir.resolve("b"), "metrics.jsonl", shuffled).getParent();

        ReplayResult inOrder = Replay.run(CONFIG, a, 2, null);
        ReplayResult outOfOrder = Replay.run(CONFIG, b, 2, null);

        assertThat(inOrder.incidents()).hasSize(4);
        assertThat(outOfOrder.incidents()).isEqualTo(inOrder.incidents());
        assertThat(outOfOrder.signals()).isEqualTo(inOrder.signals());
        assertThat(outOfOrder.deadLetters()).isEmpty();
    }

    @Test
    void aStreamDirectoryOfFilesIsReadLikeOneFile() {
        List<String> lines = Recordings.databaseSaturation();
        // One series per file, so each file is in event-time order on its own.
        List<String> database = lines.stream().filter(l -> l.contains("\"database\"")).toList();
        List<String> api = lines.stream().filter(l -> l.contains("\"api\"")).toList();
        Recordings.write(dir, "metrics/database.jsonl", database);
        List<String> apiWithReject = new ArrayList<>(api);
        apiWithReject.add(
                5, "{\"ts\":1708068300,\"service\":\"api\",\"metric\":\"m\",\"value\":1}");
        Recordings.write(dir, "metrics/api.jsonl", apiWithReject);
        Recordings.write(dir, "metrics/notes.txt", List.of("not read"));

        ReplayResult r = Replay.run(CONFIG, dir, 2, null);

        assertThat(r.incidents())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(r.deadLetters())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.sourceTopic()).isEqualTo("metrics/api.jsonl");
                            assertThat(d.offset()).isEqualTo(5);
                            assertThat(d.reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
                        });
        assertThat(r.eventsRead()).isEqualTo(lines.size() + 1);
    }

    @Test
    void aMissingDirectoryIsAMessageNamingIt() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> Replay.run(CONFIG, missing, 2, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(missing + ": no such directory")
                .hasMessageContaining("metrics.jsonl, auth.jsonl, logs.jsonl, changes.jsonl");
    }

    @Test
    void aDirectoryWithoutRecordedFilesNamesTheFilesExpected() throws Exception {
        Files.writeString(dir.resolve("truth.json"), "{}");
        Files.writeString(dir.resolve("metrics.json"), "{}");

        assertThatThrownBy(() -> Replay.run(CONFIG, dir, 2, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir + ": no recorded input in it")
                .hasMessageContaining("metrics.jsonl, auth.jsonl, logs.jsonl, changes.jsonl");
    }

    @Test
    void aFileGivenAsTheDirectoryIsAMessage() throws Exception {
        Path file = Files.writeString(dir.resolve("metrics.jsonl"), "");

        assertThatThrownBy(() -> Replay.run(CONFIG, file, 2, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": is a file, not a directory");
    }

    @Test
    void signalsAreReportedForTheSaturatedSeriesOnly() {
        List<String> lines = new ArrayList<>(Recordings.databaseSaturation());
        lines.add(Recordings.line(cpu("api", t(605), 99)));
        Recordings.write(dir, "metrics.jsonl", lines);

        ReplayResult r = Replay.run(CONFIG, dir, 1, null);

        assertThat(r.signals()).extracting(Signal::service).containsOnly("database");
        assertThat(r.signals())
                .extracting(Signal::id)
                .containsOnly("saturation:replay-test:database/cpu_utilization:" + t(60));
    }
}
