package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate rca --petshop DIR} on a tiny hand-made folder shaped like PetShop's. */
class EvaluateRcaCommandTest {
    private static final List<String> NODES = List.of("site", "api", "db", "mail");
    private static final double[] LATENCY = {0.5, 0.3, 0.1, 0.2};
    private static final long T0 = 1_700_000_000L;
    private static final long STEP = 300;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AnalyzerCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private String lastLine() {
        String[] lines = out.toString().strip().split("\\R");
        return lines[lines.length - 1];
    }

    /** A row's values: latency per node, then availability per node. */
    private interface Row {
        double[] at(int row, Random rng);
    }

    private static void metrics(Path file, long start, int rows, Row row) throws Exception {
        Files.createDirectories(file.getParent());
        StringBuilder csv = new StringBuilder("microservice");
        StringBuilder metric = new StringBuilder("metric");
        StringBuilder stat = new StringBuilder("statistic");
        for (String m : List.of("latency", "availability")) {
            for (String n : NODES) {
                csv.append(',').append(n);
                metric.append(',').append(m);
                stat.append(',').append("Average");
            }
        }
        csv.append('\n').append(metric).append('\n').append(stat).append('\n');
        csv.append("unix_timestamp").append(",".repeat(2 * NODES.size())).append('\n');
        Random rng = new Random(start);
        for (int r = 0; r < rows; r++) {
            csv.append(start + r * STEP).append(".0");
            for (double v : row.at(r, rng)) {
                csv.append(',').append(String.format(Locale.ROOT, "%.6f", v));
            }
            csv.append('\n');
        }
        Files.writeString(file, csv);
    }

    /** Normal values with 2% noise, times the factors (latency per node, availability per node). */
    private static double[] normal(Random rng, double[] latencyFactor, double[] availability) {
        double[] v = new double[2 * NODES.size()];
        for (int i = 0; i < NODES.size(); i++) {
            v[i] = LATENCY[i] * latencyFactor[i] * (1 + 0.02 * rng.nextGaussian());
            v[NODES.size() + i] = availability[i] - Math.abs(0.05 * rng.nextGaussian());
        }
        return v;
    }

    private static void issue(
            Path dir, String node, String metric, long symptomAt, String cause, Row row)
            throws Exception {
        long start = symptomAt - STEP - 120;
        metrics(dir.resolve("metrics.csv"), start, 5, row);
        Files.writeString(
                dir.resolve("target.json"),
                ("{\"target\": {\"node\": \"%s\", \"metric\": \"%s\", \"agg\": \"Average\","
                                + " \"timestamp\": %d}, \"root_cause\": {\"node\": \"%s\","
                                + " \"metric\": null}}")
                        .formatted(node, metric, symptomAt, cause));
    }

    /**
     * site → api → db, site → mail. Issue 0: db slows from row 1, api follows, then the site's
     * latency (cause db). Issue 1: mail fails from row 1, then the site's availability (cause
     * mail). A second scenario has no noissue metrics.
     */
    private static Path tinyPetShop(Path root) throws Exception {
        Path s = root.resolve("dataset/tiny");
        Files.createDirectories(s);
        String graph =
                ","
                        + String.join(",", NODES)
                        + "\nsite,0,1,0,1\napi,0,0,1,0\ndb,0,0,0,0\nmail,0,0,0,0\n";
        Files.writeString(s.resolve("graph.csv"), graph);
        double[] ones = {1, 1, 1, 1};
        double[] up = {100, 100, 100, 100};
        metrics(s.resolve("noissue/metrics.csv"), T0, 200, (r, rng) -> normal(rng, ones, up));
        long day = 86_400;
        IntFunction<double[]> slow =
                r -> new double[] {r >= 2 ? 2 : 1, r >= 1 ? 3 : 1, r >= 1 ? 5 : 1, 1};
        issue(
                s.resolve("test/issue_0"),
                "site",
                "latency",
                T0 - 3 * day + 7 * STEP,
                "db",
                (r, rng) -> normal(rng, slow.apply(r), up));
        issue(
                s.resolve("train/issue_0"),
                "site",
                "availability",
                T0 - 2 * day + 40 * STEP,
                "mail",
                (r, rng) ->
                        normal(
                                rng,
                                ones,
                                new double[] {r >= 2 ? 80 : 100, 100, 100, r >= 1 ? 60 : 100}));
        Path temporal = root.resolve("dataset/temporal");
        Files.createDirectories(temporal);
        Files.writeString(temporal.resolve("graph.csv"), graph);
        return root;
    }

    @Test
    void ranksTheTrueCauseFirstAndPrintsTheSummaryLine(@TempDir Path dir) throws Exception {
        Path petshop = tinyPetShop(dir.resolve("petshop"));

        int code = run("evaluate", "rca", "--petshop", petshop.toString(), "--verbose");

        assertThat(code).as(err.toString()).isZero();
        assertThat(lastLine())
                .isEqualTo("RCA dataset=petshop cases=2 ac1=1.000 ac3=1.000 avg5=1.000");
        assertThat(out.toString())
                .as("both tiny issues fall in the tuning part")
                .contains("RCA dataset=petshop-tuning cases=2 ac1=1.000 ac3=1.000 avg5=1.000")
                .contains("RCA dataset=petshop-held-out cases=0 ac1=0.000");
        assertThat(out.toString())
                .contains("temporal: skipped, no noissue/metrics.csv")
                .contains("tiny latency test/issue_0: cause db ranked 1")
                .contains("tiny availability train/issue_0: cause mail ranked 1")
                .containsPattern("tiny availability +1 +1\\.000 +1\\.000")
                .containsPattern("tiny latency +1 +1\\.000 +1\\.000")
                .contains("explains 2 of 2 other anomalous nodes through the graph (api, site)");
    }

    @Test
    void aCauseThatDoesNotMoveIsNotFound(@TempDir Path dir) throws Exception {
        Path petshop = tinyPetShop(dir.resolve("petshop"));
        // relabel the db issue as mail's: mail never moves, so it is not ranked at all
        Path target = petshop.resolve("dataset/tiny/test/issue_0/target.json");
        Files.writeString(target, Files.readString(target).replace("\"db\"", "\"mail\""));

        assertThat(run("evaluate", "rca", "--petshop", petshop.toString(), "--verbose")).isZero();
        assertThat(lastLine())
                .isEqualTo("RCA dataset=petshop cases=2 ac1=0.500 ac3=0.500 avg5=0.500");
        assertThat(out.toString()).contains("tiny latency test/issue_0: cause mail ranked -");
    }

    @Test
    void userMistakesAreOneLineMessagesWithExitCodeTwo(@TempDir Path dir) throws Exception {
        assertThat(run("evaluate", "rca")).isEqualTo(2);
        assertThat(err.toString())
                .contains("give one of --petshop DIR or --nezha DIR")
                .doesNotContain("\tat ");

        assertThat(run("evaluate", "rca", "--nezha", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no Nezha day folder");

        assertThat(run("evaluate", "rca", "--petshop", dir.resolve("nope").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("nope: no such directory");

        assertThat(run("evaluate", "rca", "--petshop", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no PetShop scenario with graph.csv");

        Path petshop = tinyPetShop(dir.resolve("petshop"));
        Files.writeString(petshop.resolve("dataset/tiny/test/issue_0/target.json"), "{\"x\": 1}");
        assertThat(run("evaluate", "rca", "--petshop", petshop.toString())).isEqualTo(2);
        assertThat(err.toString())
                .contains("issue_0/target.json: expected {\"target\"")
                .doesNotContain("\tat ");
    }
}
