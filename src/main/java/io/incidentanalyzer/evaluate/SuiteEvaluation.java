package io.incidentanalyzer.evaluate;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.replay.Replay;
import io.incidentanalyzer.replay.ReplayResult;
import io.incidentanalyzer.simulate.DirectorySink;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.Simulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Scores the analyzer on a suite of scenarios: each scenario is simulated into files with each of
 * its seeds, replayed through the same pipeline as {@code run}, and its incidents matched to its
 * ground truth.
 */
public final class SuiteEvaluation {

    /** Seeds per scenario unless told otherwise: its own and two derived from it. */
    public static final int DEFAULT_SEEDS = 3;

    /** Folders of a suite that hold shared traffic files, not scenarios. */
    private static final String TRAFFIC_FOLDER = "traffic";

    private final Long seed;
    private final int seeds;
    private final int parallelism;
    private final Path keep;
    private final PrintWriter log;

    /**
     * @param seed the first seed for every scenario; null for each scenario's own
     * @param seeds how many seeds each scenario runs with: the first and {@code seeds - 1} derived
     *     from it ({@link #seeds(long, int)})
     * @param keep where to keep each scenario's streams ({@code keep/<name>/} for its first seed,
     *     {@code keep/<name>-seed<N>/} for the others); null for a temporary directory removed
     *     after scoring
     * @param log where progress lines go
     */
    public SuiteEvaluation(Long seed, int seeds, int parallelism, Path keep, PrintWriter log) {
        if (seeds < 1) throw new ConfigException("--seeds " + seeds + ": must be 1 or more");
        this.seed = seed;
        this.seeds = seeds;
        this.parallelism = parallelism;
        this.keep = keep;
        this.log = log;
    }

    /**
     * The seeds a scenario runs with: {@code first}, then {@code count - 1} others derived from it
     * by a fixed mix (SplitMix64's finaliser over {@code first} and the index), so the same first
     * seed always gives the same seeds, on every machine, and neighbouring first seeds give
     * unrelated ones. Derived seeds are non-negative and differ from {@code first}.
     */
    public static List<Long> seeds(long first, int count) {
        List<Long> out = new ArrayList<>();
        out.add(first);
        for (long k = 1; out.size() < count; k++) {
            long z = first + k * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = (z ^ (z >>> 31)) & Long.MAX_VALUE;
            if (!out.contains(z)) out.add(z);
        }
        return out;
    }

    /**
     * The scenario files of a suite: its {@code *.yaml} files and those of its subfolders (one per
     * system, e.g. {@code jobs/scenarios/shopfront/}), by path; folders named {@code traffic} hold
     * shared baselines ({@code trafficFrom}) and are skipped.
     */
    public static List<Path> scenarios(Path suite) {
        if (!Files.isDirectory(suite)) {
            throw new ConfigException(
                    "--suite "
                            + suite
                            + ": no such directory; pass a folder of scenario files, e.g."
                            + " jobs/scenarios");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(suite)) {
            files =
                    walk.filter(
                                    p ->
                                            p.getFileName().toString().endsWith(".yaml")
                                                    && Files.isRegularFile(p)
                                                    && !inTrafficFolder(suite, p))
                            .sorted(
                                    Comparator.comparing(
                                                    (Path p) -> suite.relativize(p).getNameCount())
                                            .thenComparing(p -> suite.relativize(p).toString()))
                            .toList();
        } catch (IOException e) {
            throw new ConfigException(
                    "--suite " + suite + ": cannot list the folder (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new ConfigException(
                    "--suite " + suite + ": holds no scenario (*.yaml) files; see jobs/scenarios");
        }
        return files;
    }

    private static boolean inTrafficFolder(Path suite, Path file) {
        Path dir = suite.relativize(file).getParent();
        if (dir == null) return false;
        for (Path part : dir) if (part.toString().equals(TRAFFIC_FOLDER)) return true;
        return false;
    }

    public SuiteReport run(Path suite) throws Exception {
        List<Path> files = scenarios(suite);
        // Check every file before the first long run, so a typo in the last one fails fast.
        List<ScenarioLoader.Loaded> loaded = new ArrayList<>();
        for (Path f : files) loaded.add(ScenarioLoader.load(f));
        List<ScenarioScore> scores = new ArrayList<>();
        int runs = loaded.size() * seeds;
        int run = 0;
        for (ScenarioLoader.Loaded s : loaded) {
            List<Long> own = seeds(seed != null ? seed : s.scenario().seed(), seeds);
            for (int k = 0; k < own.size(); k++) {
                run++;
                log.printf("[%d/%d] %s seed=%d%n", run, runs, s.scenario().name(), own.get(k));
                log.flush();
                String keepAs = s.scenario().name() + (k == 0 ? "" : "-seed" + own.get(k));
                scores.add(evaluate(s, own.get(k), keepAs));
            }
        }
        return SuiteReport.of(suite.toString(), scores);
    }

    /** Simulates, replays and scores one scenario with one seed. */
    public ScenarioScore evaluate(ScenarioLoader.Loaded scenario, long useSeed, String keepAs)
            throws Exception {
        Path dir =
                keep != null
                        ? Files.createDirectories(keep.resolve(keepAs))
                        : Files.createTempDirectory("scenario-");
        try {
            GroundTruth truth;
            try (DirectorySink sink = new DirectorySink(dir)) {
                truth = new Simulator(scenario, useSeed).run(sink);
            }
            truth.write(dir.resolve(GroundTruth.FILE_NAME));
            ReplayResult result = Replay.run(scenario.job(), dir, parallelism, null);
            return ScenarioScoring.score(
                    truth,
                    result.incidents(),
                    result.eventsRead(),
                    EffectOnsets.of(scenario, truth, dir));
        } finally {
            if (keep == null) deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
