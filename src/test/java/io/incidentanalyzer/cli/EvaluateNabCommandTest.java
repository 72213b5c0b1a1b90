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
import java.util.function.IntFunction;
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

    private static final LocalDateTime T0 = LocalDateTime.of(2024, 1, 1, 0, 0);

    /** A 400-row corpus: noise around 50, one jump to 90 at row 300, labelled 280..320. */
    private static Path tinyCorpus(Path dir) throws Exception {
        return tinyCorpus(dir, row -> T0.plusMinutes(5L * row));
    }

    /** The same corpus with each row's time given by {@code time}; labels at rows 280 and 320. */
    private static Path tinyCorpus(Path dir, IntFunction<LocalDateTime> time) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/demo"));
        Files.createDirectories(dir.resolve("labels"));
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        Random rng = new Random(1);
        for (int i = 0; i < 400; i++) {
            double v = (i >= 300 && i < 305 ? 90 : 50) + rng.nextGaussian();
            csv.append(time.apply(i).format(NAB)).append(',').append(v).append('\n');
        }
        Files.writeString(data.resolve("a.csv"), csv);
        Files.writeString(
                dir.resolve("labels/combined_windows.json"),
                "{\"demo/a.csv\": [[\"%s.000000\", \"%s.000000\"]]}"
                        .formatted(time.apply(280).format(NAB), time.apply(320).format(NAB)));
        return dir;
    }

    private double standardScore() {
        assertThat(lastLine())
                .matches(
                        "NAB standard=-?\\d+\\.\\d\\d reward_low_FP_rate=-?\\d+\\.\\d\\d"
                                + " reward_low_FN_rate=-?\\d+\\.\\d\\d");
        return Double.parseDouble(lastLine().split("standard=")[1].split(" ")[0]);
    }

    @Test
    void runsTheBaselineAndWritesNabResultFiles(@TempDir Path dir) throws Exception {
        Path corpus = tinyCorpus(dir.resolve("corpus"));
        Path results = dir.resolve("out");

        int code = run("evaluate", "nab", "--data", corpus.toString(), "--out", results.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(standardScore())
                .as("the jump is found near the window's start")
                .isGreaterThan(90);
        List<String> lines = Files.readAllLines(results.resolve("demo/baseline_a.csv"));
        assertThat(lines).hasSize(401);
        assertThat(lines.get(0)).isEqualTo("timestamp,value,anomaly_score,label");
        assertThat(lines.get(1)).startsWith("2024-01-01 00:00:00,").endsWith(",0");
        assertThat(lines.get(281)).as("row 280, first of the window").endsWith(",1");
        assertThat(lines.get(301).split(",")[2])
                .as("the jump's first row scores high")
                .satisfies(s -> assertThat(Double.parseDouble(s)).isGreaterThan(0.9));
    }

    /**
     * Like NAB's machine_temperature file: the clock falls back an hour at row 300 (inside the
     * window, at the jump) and again at row 350, so twelve rows repeat an hour each time.
     */
    @Test
    void timeGoingBackIsOneWarningAndRowsStayInFileOrder(@TempDir Path dir) throws Exception {
        Path corpus =
                tinyCorpus(
                        dir.resolve("corpus"),
                        row ->
                                T0.plusMinutes(
                                        5L * row - (row >= 300 ? 60 : 0) - (row >= 350 ? 60 : 0)));
        Path results = dir.resolve("out");

        int code = run("evaluate", "nab", "--data", corpus.toString(), "--out", results.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString().lines())
                .containsExactly(
                        "warning: demo/a.csv row 302: time goes back from 2024-01-02 00:55:00 to"
                                + " 2024-01-02 00:00:00; rows are taken in file order, as NAB does"
                                + " (2 rows go back in this file)");
        assertThat(standardScore())
                .as("the jump at the fall-back is found near the window's start")
                .isGreaterThan(90);
        List<String> lines = Files.readAllLines(results.resolve("demo/baseline_a.csv"));
        assertThat(lines).hasSize(401);
        assertThat(lines.get(301))
                .as("row 300 stays after row 299")
                .startsWith("2024-01-02 00:00:00,");
        assertThat(lines.subList(281, 322))
                .as("rows 280..320, the repeated hour included, are the window")
                .allSatisfy(line -> assertThat(line).endsWith(",1"));
        assertThat(lines.get(280)).endsWith(",0");
        assertThat(lines.get(322)).endsWith(",0");
    }

    @Test
    void windowsThatShareRowsBecauseTimeGoesBackAreAMessage(@TempDir Path dir) throws Exception {
        Path corpus =
                tinyCorpus(
                        dir.resolve("corpus"),
                        row -> T0.plusMinutes(5L * row - (row >= 300 ? 600 : 0)));
        Files.writeString(
                corpus.resolve("labels/combined_windows.json"),
                "{\"demo/a.csv\": [[\"2024-01-01 20:00:00\", \"2024-01-01 21:00:00\"],"
                        + " [\"2024-01-01 23:00:00\", \"2024-01-01 23:30:00\"]]}");

        assertThat(run("evaluate", "nab", "--data", corpus.toString())).isEqualTo(2);

        assertThat(err.toString().lines().filter(line -> line.startsWith("error:")))
                .containsExactly(
                        "error: "
                                + corpus.resolve("data/demo/a.csv")
                                + ": the labelled windows 2024-01-01 20:00:00 .. 2024-01-01"
                                + " 21:00:00 and 2024-01-01 23:00:00 .. 2024-01-01 23:30:00 share"
                                + " rows because time goes back between them; fix the labels or"
                                + " the file's row order");
    }

    /**
     * What {@code evaluate nab} prints to stderr when row 5 (line 7) of the corpus is {@code row}.
     */
    private List<String> errorsWithRowFive(Path corpus, String row) throws Exception {
        Path csv = corpus.resolve("data/demo/a.csv");
        List<String> rows = Files.readAllLines(csv);
        rows.set(6, row);
        Files.write(csv, rows);
        err.getBuffer().setLength(0);
        assertThat(run("evaluate", "nab", "--data", corpus.toString())).isEqualTo(2);
        return err.toString().lines().toList();
    }

    @Test
    void brokenRowsAreStillOneLineMessagesNamingFileRowAndFix(@TempDir Path dir) throws Exception {
        Path corpus = tinyCorpus(dir.resolve("corpus"));
        String csv = corpus.resolve("data/demo/a.csv").toString();

        assertThat(errorsWithRowFive(corpus, "2024-01-01 00:2x:00,50"))
                .containsExactly(
                        "error: "
                                + csv
                                + ":7: timestamp '2024-01-01 00:2x:00' is not of the form"
                                + " 2014-02-14 14:30:00; fix the line");
        assertThat(errorsWithRowFive(corpus, "2024-01-01 00:25:00"))
                .containsExactly(
                        "error: "
                                + csv
                                + ":7: expected 2 columns (timestamp,value), found 1; fix or"
                                + " remove the line");
        assertThat(errorsWithRowFive(corpus, "2024-01-01 00:25:00,"))
                .containsExactly("error: " + csv + ":7: value '' is not a number; fix the line");
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
