package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate nab}: scoring published results, running the baseline, and user mistakes. */
class EvaluateNabCommandTest {
    private static final DateTimeFormatter NAB = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AnalyzerCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private String lastLine() {
        String[] lines = out.toString().strip().split("\\R");
        return lines[lines.length - 1];
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(EvaluateNabCommandTest.class.getResource("/nab-aws").toURI());
    }

    @Test
    void scoresPublishedResultsWithoutRunningTheDetector() throws Exception {
        int code =
                run(
                        "evaluate",
                        "nab",
                        "--data",
                        fixture().toString(),
                        "--results",
                        fixture().resolve("results/ARTime").toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(lastLine())
                .isEqualTo("NAB standard=69.92 reward_low_FP_rate=61.60 reward_low_FN_rate=75.50");
        assertThat(out.toString())
                .contains("detector: ARTime", "realAWSCloudwatch/grok_asg_anomaly.csv")
                .contains("standard            threshold=0.337609");
    }

    /** A 400-row corpus: noise around 50, one jump to 90 at row 300, labelled 280..320. */
    private static Path tinyCorpus(Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/demo"));
        Files.createDirectories(dir.resolve("labels"));
        LocalDateTime t0 = LocalDateTime.of(2024, 1, 1, 0, 0);
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        Random rng = new Random(1);
        for (int i = 0; i < 400; i++) {
            double v = (i >= 300 && i < 305 ? 90 : 50) + rng.nextGaussian();
            csv.append(t0.plusMinutes(5L * i).format(NAB)).append(',').append(v).append('\n');
        }
        Files.writeString(data.resolve("a.csv"), csv);
        Files.writeString(
                dir.resolve("labels/combined_windows.json"),
                "{\"demo/a.csv\": [[\"%s.000000\", \"%s.000000\"]]}"
                        .formatted(
                                t0.plusMinutes(5L * 280).format(NAB),
                                t0.plusMinutes(5L * 320).format(NAB)));
        return dir;
    }

    @Test
    void runsTheBaselineAndWritesNabResultFiles(@TempDir Path dir) throws Exception {
        Path corpus = tinyCorpus(dir.resolve("corpus"));
        Path results = dir.resolve("out");

        int code = run("evaluate", "nab", "--data", corpus.toString(), "--out", results.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(lastLine())
                .matches(
                        "NAB standard=-?\\d+\\.\\d\\d reward_low_FP_rate=-?\\d+\\.\\d\\d"
                                + " reward_low_FN_rate=-?\\d+\\.\\d\\d");
        double standard = Double.parseDouble(lastLine().split("standard=")[1].split(" ")[0]);
        assertThat(standard).as("the jump is found near the window's start").isGreaterThan(90);
        List<String> lines = Files.readAllLines(results.resolve("demo/baseline_a.csv"));
        assertThat(lines).hasSize(401);
        assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,label");
        assertThat(lines.get(1)).startsWith("2024-01-01 00:00:00,").endsWith(",0");
        assertThat(lines.get(281)).as("row 280, first of the window").endsWith(",1");
        assertThat(lines.get(301).split(",")[2])
                .as("the jump's first row scores high")
                .satisfies(s -> assertThat(Double.parseDouble(s)).isGreaterThan(0.9));
    }

    @Test
    void userMistakesAreOneLineMessagesWithExitCodeTwo(@TempDir Path dir) throws Exception {
        assertThat(run("evaluate", "nab", "--data", dir.resolve("nope").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nope: no such directory").doesNotContain("\tat ");

        assertThat(run("evaluate", "nab", "--data", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("labels/combined_windows.json: no such file");

        Path corpus = tinyCorpus(dir.resolve("corpus"));
        Path csv = corpus.resolve("data/demo/a.csv");
        List<String> rows = Files.readAllLines(csv);
        rows.set(4, rows.get(4).split(",")[0] + ",lots");
        Files.write(csv, rows);
        assertThat(run("evaluate", "nab", "--data", corpus.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("a.csv:5: value 'lots' is not a number; fix the line");

        assertThat(
                        run(
                                "evaluate",
                                "nab",
                                "--data",
                                corpus.toString(),
                                "--results",
                                dir.resolve("missing").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("missing: no such directory");
    }

    @Test
    void suiteModeStillRequiresItsOwnOption() {
        assertThat(run("evaluate")).isEqualTo(2);
        assertThat(err.toString()).contains("give --suite DIR").contains("evaluate nab --data DIR");
    }
}
