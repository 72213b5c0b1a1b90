package io.incidentanalyzer.evaluate.loghub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.ErrorPatternSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a Loghub-shaped folder and scoring the job's miner on it, on tiny made-up systems. */
class LoghubEvaluationTest {
    private static final String HEADER = "LineId,Time,Content,EventId,EventTemplate\n";

    /**
     * Lines 1–4 are two events of plainly different shapes; lines 5 and 6 are the same message that
     * the ground truth, on purpose, calls two events. Any miner groups 5 and 6 together, so only
     * lines 1–4 are grouped right: GA 4/6. Line 6's ground-truth template keeps the number, the
     * miner's masks it: PA 5/6.
     */
    private static Path demo(Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("Demo"));
        Files.writeString(
                dir.resolve("Demo_2k.log_structured.csv"),
                HEADER
                        + "1,t,alpha service started,E1,alpha service started\n"
                        + "2,t,alpha service started,E1,alpha service started\n"
                        + "3,t,disk full on volume 7,E2,disk full on volume 7\n"
                        + "4,t,disk full on volume 9,E2,disk full on volume 9\n"
                        + "5,t,cache warmed for shard 30,E3,cache warmed for shard <*>\n"
                        + "6,t,cache warmed for shard 30,E4,cache warmed for shard 30\n");
        // The corrections fix E2's template; PA must use them.
        Files.writeString(
                dir.resolve("Demo_2k.log_structured_corrected.csv"),
                HEADER
                        + "1,t,alpha service started,E1,alpha service started\n"
                        + "2,t,alpha service started,E1,alpha service started\n"
                        + "3,t,disk full on volume 7,E2,disk full on volume <*>\n"
                        + "4,t,disk full on volume 9,E2,disk full on volume <*>\n"
                        + "5,t,cache warmed for shard 30,E3,cache warmed for shard <*>\n"
                        + "6,t,cache warmed for shard 30,E4,cache warmed for shard 30\n");
        return dir;
    }

    @Test
    void scoresTheJobsMinerLineByLine(@TempDir Path root) throws Exception {
        LoghubSystem system = LoghubSystem.read(demo(root));

        LoghubEvaluation.Score s =
                new LoghubEvaluation(ErrorPatternSettings.defaults()).score(system);

        assertThat(system.name()).isEqualTo("Demo");
        assertThat(system.templatesFrom().getFileName())
                .hasToString("Demo_2k.log_structured_corrected.csv");
        assertThat(s.lines()).isEqualTo(6);
        assertThat(s.events()).isEqualTo(4);
        assertThat(s.templates()).isEqualTo(3);
        assertThat(s.ga()).isCloseTo(4 / 6.0, within(1e-9));
        assertThat(s.pa()).isCloseTo(5 / 6.0, within(1e-9));
    }

    @Test
    void withoutCorrectionsTheStructuredTemplatesCount(@TempDir Path root) throws Exception {
        Path dir = demo(root);
        Files.delete(dir.resolve("Demo_2k.log_structured_corrected.csv"));

        LoghubEvaluation.Score s =
                new LoghubEvaluation(ErrorPatternSettings.defaults()).score(LoghubSystem.read(dir));

        // Lines 3 and 4 now have number-keeping templates: PA 3/6 (lines 1, 2 and 5).
        assertThat(s.pa()).isCloseTo(3 / 6.0, within(1e-9));
        assertThat(s.ga()).isCloseTo(4 / 6.0, within(1e-9));
    }

    @Test
    void theSummaryIsTheMeanOverSystems(@TempDir Path root) throws Exception {
        demo(root);
        Path other = Files.createDirectories(root.resolve("Other"));
        Files.writeString(
                other.resolve("Other_2k.log_structured.csv"),
                HEADER + "1,t,\"shutdown, by request\",E1,\"shutdown, by request\"\n");
        Files.createDirectories(root.resolve("notes")); // no structured file: not a system

        List<LoghubSystem> systems = LoghubSystem.readAll(root);
        LoghubEvaluation evaluation = new LoghubEvaluation(ErrorPatternSettings.defaults());
        List<LoghubEvaluation.Score> scores = systems.stream().map(evaluation::score).toList();

        assertThat(systems).extracting(LoghubSystem::name).containsExactly("Demo", "Other");
        // GA (4/6 + 1) / 2 = 0.833; PA (5/6 + 1) / 2 = 0.917.
        assertThat(LoghubEvaluation.summaryLine(scores))
                .isEqualTo("LOGHUB systems=2 ga=0.833 pa=0.917");
        assertThat(LoghubEvaluation.table(scores).get(1)).startsWith("Demo     0.667   0.833");
    }

    @Test
    void mistakesNameTheFileAndTheFix(@TempDir Path root) throws Exception {
        assertThatThrownBy(() -> LoghubSystem.readAll(root))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(root + ": no system folder with a <S>_2k.log_structured.csv");
        Path dir = Files.createDirectories(root.resolve("Bad"));
        Files.writeString(dir.resolve("Bad_2k.log_structured.csv"), "LineId,Message\n1,hello\n");
        assertThatThrownBy(() -> LoghubSystem.readAll(root))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Bad_2k.log_structured.csv: no Content column");
        Files.writeString(dir.resolve("Bad_2k.log_structured.csv"), HEADER + "1,t,a,b,E1,a\n");
        assertThatThrownBy(() -> LoghubSystem.read(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("record 1 has 6 fields, the header 5");
    }
}
