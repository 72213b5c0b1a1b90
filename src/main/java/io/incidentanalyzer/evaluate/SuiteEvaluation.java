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
 * Scores the analyzer on a suite of scenarios: each scenario is simulated into files, replayed
 * through the same pipeline as {@code run}, and its incidents matched to its ground truth.
 */
public final class SuiteEvaluation {

    private final Long seed;
    private final int parallelism;
    private final Path keep;
    private final PrintWriter log;

    /**
     * @param seed the seed for every scenario; null for each scenario's own
     * @param keep where to keep each scenario's streams ({@code keep/<name>/}); null for a
     *     temporary directory removed after scoring
     * @param log where progress lines go
     */
    public SuiteEvaluation(Long seed, int parallelism, Path keep, PrintWriter log) {
        this.seed = seed;
        this.parallelism = parallelism;
        this.keep = keep;
        this.log = log;
    }

    /** The scenario files of a suite: its {@code *.yaml} files, by name. */
    public static List<Path> scenarios(Path suite) {
        if (!Files.isDirectory(suite)) {
            throw new ConfigException(
                    "--suite "
                            + suite
                            + ": no such directory; pass a folder of scenario files, e.g."
                            + " jobs/scenarios");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(suite)) {
            files =
                    list.filter(
                                    p ->
                                            p.getFileName().toString().endsWith(".yaml")
                                                    && Files.isRegularFile(p))
                            .sorted(Comparator.comparing(p -> p.getFileName().toString()))
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

    public SuiteReport run(Path suite) throws Exception {
        List<Path> files = scenarios(suite);
        // Check every file before the first long run, so a typo in the last one fails fast.
        List<ScenarioLoader.Loaded> loaded = new ArrayList<>();
        for (Path f : files) loaded.add(ScenarioLoader.load(f));
        List<ScenarioScore> scores = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            ScenarioLoader.Loaded s = loaded.get(i);
            log.printf("[%d/%d] %s%n", i + 1, loaded.size(), s.scenario().name());
            log.flush();
            scores.add(evaluate(s));
        }
        return SuiteReport.of(suite.toString(), scores);
    }

    /** Simulates, replays and scores one scenario. */
    public ScenarioScore evaluate(ScenarioLoader.Loaded scenario) throws Exception {
        long useSeed = seed != null ? seed : scenario.scenario().seed();
        Path dir =
                keep != null
                        ? Files.createDirectories(keep.resolve(scenario.scenario().name()))
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
