package io.incidentanalyzer.evaluate.petshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.correlate.rank.Anomaly;
import io.incidentanalyzer.correlate.rank.Candidate;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.correlate.rank.RootCauseRanker;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.baseline.Score;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code evaluate rca --petshop DIR}: the root-cause ranking on the PetShop benchmark
 * (amazon-science/petshop-root-cause-analysis). Per scenario, every series of the {@link #SERIES}
 * learns the shared streaming {@link Baseline} on the scenario's {@code noissue} metrics (moved by
 * whole days to end just before the issue, so time of day is kept), then scores the issue's rows as
 * robust z-scores ({@link Score#deviation}); a node's anomaly is its largest harmful move beyond
 * the rows before the symptom (see {@link #evidence}), its onset the first such row. {@link
 * RootCauseRanker} ranks the anomalous nodes the symptom node depends on, with the scenario's
 * {@code graph.csv} as the dependency graph. One setting for every issue. Scenarios without {@code
 * noissue} metrics are skipped (nothing to learn the baseline on).
 */
public final class PetShopEvaluation {
    private static final long DAY_MS = 86_400_000L;

    /** A series the evidence is read from, and which direction is harmful. */
    record Watched(String metric, String statistic, int harmful) {}

    /** Latency rising and availability falling: the two symptoms PetShop labels. */
    static final List<Watched> SERIES =
            List.of(
                    new Watched("latency", "Average", 1),
                    new Watched("availability", "Average", -1));

    /** One labelled issue. */
    public record Issue(
            String scenario,
            String id,
            String symptomNode,
            String symptomMetric,
            long symptomAt,
            String rootCause) {}

    /** How one issue was ranked: the 1-based rank of the true root cause, 0 when not ranked. */
    public record Outcome(Issue issue, int rank, List<Candidate> ranking) {
        public boolean within(int k) {
            return rank > 0 && rank <= k;
        }
    }

    private record Scenario(String name, Path dir, DependencyGraph graph, Path noissue) {}

    private final List<Scenario> scenarios;
    private final List<String> skipped;
    private final Baseline baseline;
    private final RootCauseRanker ranker = RootCauseRanker.defaults();

    private PetShopEvaluation(
            List<Scenario> scenarios, List<String> skipped, BaselineSettings settings) {
        this.baseline = new Baseline(settings);
        this.scenarios = scenarios;
        this.skipped = skipped;
    }

    /**
     * Opens the benchmark folder (the one holding {@code dataset/}, or {@code dataset/} itself);
     * every series learns a {@link Baseline} with {@code settings}.
     */
    public static PetShopEvaluation open(Path dir, BaselineSettings settings) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(
                    dir
                            + ": no such directory; pass the PetShop benchmark folder, e.g."
                            + " --petshop ../shared/benchmarks/petshop");
        }
        Path data = Files.isDirectory(dir.resolve("dataset")) ? dir.resolve("dataset") : dir;
        List<Scenario> scenarios = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path s : list(data)) {
            if (!Files.isRegularFile(s.resolve("graph.csv"))) continue;
            String name = s.getFileName().toString();
            Path noissue = s.resolve("noissue/metrics.csv");
            if (!Files.isRegularFile(noissue)) {
                skipped.add(name + ": skipped, no noissue/metrics.csv to learn the baseline on");
                continue;
            }
            scenarios.add(new Scenario(name, s, readGraph(s.resolve("graph.csv")), noissue));
        }
        if (scenarios.isEmpty()) {
            throw new ConfigException(
                    data
                            + ": no PetShop scenario with graph.csv and noissue/metrics.csv; pass"
                            + " the folder holding dataset/<scenario>/, e.g. --petshop"
                            + " ../shared/benchmarks/petshop");
        }
        return new PetShopEvaluation(scenarios, skipped, settings);
    }

    /** Notes on the scenarios that could not be scored. */
    public List<String> skipped() {
        return skipped;
    }

    /** Ranks every issue of every scoreable scenario (train and test alike: nothing is fitted). */
    public List<Outcome> run() {
        List<Outcome> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            PetShopMetrics normal = PetShopMetrics.read(s.noissue());
            for (Path issueDir : issues(s.dir())) {
                Issue issue = readIssue(s.name(), s.dir(), issueDir);
                PetShopMetrics metrics = PetShopMetrics.read(issueDir.resolve("metrics.csv"));
                List<Anomaly> evidence = evidence(normal, metrics, issue.symptomAt());
                List<Candidate> ranking =
                        ranker.rank(s.graph(), evidence, List.of(), issue.symptomNode());
                int rank = 0;
                for (int i = 0; i < ranking.size(); i++) {
                    if (ranking.get(i).node().equals(issue.rootCause())) {
                        rank = i + 1;
                        break;
                    }
                }
                out.add(new Outcome(issue, rank, ranking));
            }
        }
        return out;
    }

    /**
     * Each node's strongest harmful move during the issue. Every watched series learns the baseline
     * on {@code normal}; each issue row is then scored against it (without learning) as a robust
     * z-score. Rows whose 5-minute step ends by the symptom's timestamp are the reference (the
     * window before the issue: it absorbs the offset between the noissue period and the issue's,
     * months apart); a later row is evidence by how many of the baseline's scales it lies beyond
     * the reference in the harmful direction. At least {@value #MOVE_ONSET} scales is anomalous;
     * the score grows as {@code 1 - exp(-(move - onset) / }{@value #MOVE_SCALE}{@code )} and the
     * onset is the first such row.
     */
    List<Anomaly> evidence(PetShopMetrics normal, PetShopMetrics issue, long symptomAt) {
        long[] its = issue.timestamps();
        if (its.length == 0) return List.of();
        long step = its.length > 1 ? its[1] - its[0] : 300_000L;
        long first = its[0];
        long[] nts = normal.timestamps();
        long shift = 0;
        if (nts.length > 0 && nts[nts.length - 1] >= first) {
            shift = ((nts[nts.length - 1] - first) / DAY_MS + 1) * DAY_MS;
        }
        Map<String, Anomaly> strongest = new TreeMap<>();
        for (Map.Entry<String, double[]> e : issue.series().entrySet()) {
            Watched w = watched(e.getKey());
            if (w == null) continue;
            BaselineState state = new BaselineState();
            double[] learn = normal.series().get(e.getKey());
            if (learn == null) continue;
            for (int i = 0; i < nts.length; i++) {
                if (!Double.isNaN(learn[i])) baseline.update(state, nts[i] - shift, learn[i]);
            }
            double[] v = e.getValue();
            List<Double> reference = new ArrayList<>();
            String node = PetShopMetrics.nodeOf(e.getKey());
            double[] z = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                z[i] = Double.NaN;
                if (Double.isNaN(v[i])) continue;
                Score sc = baseline.score(state, its[i], v[i]);
                if (!sc.warm() || sc.scale() <= Double.MIN_NORMAL) continue;
                z[i] = w.harmful() * sc.deviation();
                if (its[i] + step <= symptomAt) reference.add(z[i]);
            }
            double ref = median(reference);
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(z[i]) || its[i] + step <= symptomAt) continue;
                double move = z[i] - ref;
                if (move < MOVE_ONSET) continue;
                double score = 1 - Math.exp(-(move - MOVE_ONSET) / MOVE_SCALE);
                String detail =
                        String.format(
                                Locale.ROOT,
                                "%s %s %.1f scales",
                                w.metric(),
                                w.harmful() > 0 ? "up" : "down",
                                move);
                Anomaly prev = strongest.get(node);
                long onset = prev == null ? its[i] : Math.min(prev.onset(), its[i]);
                if (prev == null || score > prev.score()) {
                    strongest.put(node, new Anomaly(node, onset, score, w.metric(), detail));
                } else if (onset < prev.onset()) {
                    strongest.put(
                            node,
                            new Anomaly(node, onset, prev.score(), prev.kind(), prev.detail()));
                }
            }
        }
        return new ArrayList<>(strongest.values());
    }

    /** A move below this many baseline scales beyond the reference is not evidence. */
    static final double MOVE_ONSET = 3.0;

    /** Scales beyond the onset at which the score reaches 1 - 1/e. */
    static final double MOVE_SCALE = 10.0;

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) return 0;
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static Watched watched(String key) {
        for (Watched w : SERIES) {
            if (key.endsWith("|" + w.metric() + "|" + w.statistic())) return w;
        }
        return null;
    }

    /** One line per scenario and symptom metric, then the total, with top-1 and top-3 recall. */
    public static List<String> table(List<Outcome> outcomes) {
        Map<String, List<Outcome>> groups = new TreeMap<>();
        for (Outcome o : outcomes) {
            groups.computeIfAbsent(
                            o.issue().scenario() + " " + o.issue().symptomMetric(),
                            k -> new ArrayList<>())
                    .add(o);
        }
        List<String> lines = new ArrayList<>();
        lines.add(
                String.format(
                        Locale.ROOT,
                        "%-28s %6s %6s %6s",
                        "scenario metric",
                        "issues",
                        "top1",
                        "top3"));
        groups.forEach((k, os) -> lines.add(row(k, os)));
        lines.add(row("all", outcomes));
        return lines;
    }

    private static String row(String label, List<Outcome> os) {
        return String.format(
                Locale.ROOT,
                "%-28s %6d %6.3f %6.3f",
                label,
                os.size(),
                recall(os, 1),
                recall(os, 3));
    }

    static double recall(List<Outcome> os, int k) {
        if (os.isEmpty()) return 0;
        return (double) os.stream().filter(o -> o.within(k)).count() / os.size();
    }

    /** {@code PETSHOP top1=X top3=Y issues=N}. */
    public static String summaryLine(List<Outcome> outcomes) {
        return String.format(
                Locale.ROOT,
                "PETSHOP top1=%.3f top3=%.3f issues=%d",
                recall(outcomes, 1),
                recall(outcomes, 3),
                outcomes.size());
    }

    private static List<Path> issues(Path scenario) {
        List<Path> out = new ArrayList<>();
        for (String split : List.of("test", "train")) {
            Path d = scenario.resolve(split);
            if (!Files.isDirectory(d)) continue;
            for (Path p : list(d)) {
                if (Files.isRegularFile(p.resolve("target.json"))
                        && Files.isRegularFile(p.resolve("metrics.csv"))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Issue readIssue(String scenario, Path scenarioDir, Path dir) {
        Path file = dir.resolve("target.json");
        JsonNode t;
        try {
            t = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid JSON: " + e.getMessage());
        }
        String node = t.path("target").path("node").asText(null);
        String metric = t.path("target").path("metric").asText(null);
        String cause = t.path("root_cause").path("node").asText(null);
        JsonNode at = t.path("target").path("timestamp");
        if (node == null || metric == null || cause == null || !at.isNumber()) {
            throw new ConfigException(
                    file
                            + ": expected {\"target\": {\"node\": ..., \"metric\": ...,"
                            + " \"timestamp\": <unix seconds>},"
                            + " \"root_cause\": {\"node\": ...}}");
        }
        String id = scenarioDir.relativize(dir).toString().replace('\\', '/');
        return new Issue(scenario, id, node, metric, Math.round(at.asDouble() * 1000), cause);
    }

    /** The call graph: row node calls column node where the cell is non-zero. */
    static DependencyGraph readGraph(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty())
            throw new ConfigException(file + ": empty; expected an adjacency matrix");
        String[] header = lines.get(0).split(",", -1);
        Map<String, List<String>> deps = new TreeMap<>();
        for (int r = 1; r < lines.size(); r++) {
            if (lines.get(r).isBlank()) continue;
            String[] cells = lines.get(r).split(",", -1);
            List<String> callees = deps.computeIfAbsent(cells[0], k -> new ArrayList<>());
            for (int c = 1; c < cells.length && c < header.length; c++) {
                double v;
                try {
                    v = Double.parseDouble(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new ConfigException(
                            file + " line " + (r + 1) + " column " + (c + 1) + ": not a number");
                }
                if (v != 0) callees.add(header[c]);
            }
        }
        return DependencyGraph.of(deps);
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }
}
