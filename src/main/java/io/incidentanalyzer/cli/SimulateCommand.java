package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.simulate.DirectorySink;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.KafkaSink;
import io.incidentanalyzer.simulate.PacedSink;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.SimulationSink;
import io.incidentanalyzer.simulate.Simulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: runs a scenario through the {@link Simulator} and writes the four input streams
 * to a directory or to the job file's Kafka topics, plus the ground truth.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Simulates a scenario's input streams and ground truth.",
            "It writes the metrics, auth, log and change streams of a scenario"
                    + " (jobs/scenarios/*.yaml) to a directory (metrics.jsonl, auth.jsonl,"
                    + " logs.jsonl, changes.jsonl, truth.json) or to the job file's Kafka input"
                    + " topics, and its ground truth (faults, outages, component states) as JSON.",
            "The same scenario and seed always give the same records."
        })
final class SimulateCommand implements Callable<Integer> {
    static final String KAFKA = "kafka";

    @Spec CommandSpec spec;

    @Option(
            names = "--scenario",
            required = true,
            paramLabel = "FILE",
            description =
                    "Scenario file (YAML), e.g. jobs/scenarios/watermelon-2024-02-16.yaml. A file"
                            + " name that does not exist here is looked up among the scenarios"
                            + " bundled in the jar (e.g. watermelon-2024-02-16).")
    String scenario;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "kafka|DIR",
            description =
                    "'kafka' (the job file's input topics; needs --bootstrap) or a directory,"
                            + " created if missing (existing stream files are overwritten; write"
                            + " ./kafka for a directory of that name).")
    String to;

    @Option(
            names = "--speed",
            paramLabel = "X",
            defaultValue = "0",
            description =
                    "Seconds of event time per second of wall time (60 = an hour a minute); 0"
                            + " (the default) writes as fast as possible.")
    double speed;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Random seed (default: the scenario's seed).")
    Long seed;

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers; required with --to kafka.")
    String bootstrap;

    @Option(
            names = "--truth",
            paramLabel = "FILE",
            description =
                    "Where the ground truth goes (default: DIR/truth.json, or"
                            + " <scenario name>.truth.json in the working directory with --to"
                            + " kafka).")
    Path truthFile;

    @Override
    public Integer call() throws IOException {
        if (Double.isNaN(speed)) {
            throw new ConfigException("--speed: a number of event-time seconds per wall second");
        }
        ScenarioLoader.Loaded loaded = load(scenario);
        boolean kafka = KAFKA.equals(to);
        Path dir = null;
        if (kafka) {
            if (bootstrap == null || bootstrap.isBlank()) {
                throw new ConfigException(
                        "--to kafka needs --bootstrap HOST:PORT, the Kafka broker to write to");
            }
            KafkaPreflight.checkInputs(
                    loaded.job(),
                    bootstrap,
                    loaded.source() + " (job " + loaded.scenario().job() + ")");
        } else {
            if (to.isBlank()) {
                throw new ConfigException("--to: give kafka or a directory");
            }
            if (bootstrap != null) {
                throw new ConfigException(
                        "--bootstrap only applies with --to kafka; --to " + to + " writes files");
            }
            dir = Path.of(to);
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new ConfigException(
                        "--to " + to + ": is a file, not a directory; give kafka or a directory");
            }
        }
        Path truthPath =
                truthFile != null
                        ? truthFile
                        : kafka
                                ? Path.of(loaded.scenario().name() + ".truth.json")
                                : dir.resolve(GroundTruth.FILE_NAME);
        long seedUsed = seed != null ? seed : loaded.scenario().seed();
        ZoneId zone = loaded.scenario().zone();
        long startTs = loaded.scenario().startInstant().toEpochMilli();

        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(open(loaded, kafka, dir), err, zone, System.console());
        SimulationSink sink = new PacedSink(progress, speed, startTs);
        long started = System.nanoTime();
        GroundTruth truth;
        try (sink) {
            truth = new Simulator(loaded, seedUsed).run(sink);
        } catch (IOException e) {
            // A broker that went away or a full disk: the environment, not a bug.
            throw new ConfigException(
                    "--to " + to + ": writing the streams failed (" + e.getMessage() + ")");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.done();
        try {
            Path parent = truthPath.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            truth.write(truthPath);
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException(
                    "--truth "
                            + truthPath
                            + ": cannot write the ground truth ("
                            + e.getMessage()
                            + ")");
        }
        spec.commandLine().getOut().println(summary(truth, seconds, kafka, dir, truthPath));
        return 0;
    }

    private SimulationSink open(ScenarioLoader.Loaded loaded, boolean kafka, Path dir) {
        if (kafka) return new KafkaSink(loaded.job(), bootstrap);
        try {
            return new DirectorySink(dir);
        } catch (IOException e) {
            throw new ConfigException(
                    "--to " + dir + ": cannot write the stream files there (" + e + ")");
        }
    }

    /** A scenario file, or failing that a scenario bundled in the jar of that name. */
    static ScenarioLoader.Loaded load(String scenario) {
        Path file = Path.of(scenario);
        if (!Files.exists(file) && !scenario.contains("/") && !scenario.contains("\\")) {
            String name = scenario.endsWith(".yaml") ? scenario : scenario + ".yaml";
            String resource = "jobs/scenarios/" + name;
            if (SimulateCommand.class.getClassLoader().getResource(resource) != null) {
                return ScenarioLoader.loadResource(resource);
            }
        }
        return ScenarioLoader.load(file);
    }

    private String summary(
            GroundTruth truth, double seconds, boolean kafka, Path dir, Path truthPath) {
        Map<String, Long> events = truth.events();
        long total = events.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "simulated %s (seed %d): metrics %,d, auth %,d, logs %,d, changes %,d"
                                + " records in %.1f s (%,.0f records/s); ",
                        truth.scenario(),
                        truth.seed(),
                        events.get("metrics"),
                        events.get("auth"),
                        events.get("logs"),
                        events.get("changes"),
                        seconds,
                        total / Math.max(seconds, 1e-9)));
        b.append(kafka ? "streams on Kafka " + bootstrap : "streams in " + dir);
        b.append(", truth in ").append(truthPath);
        return b.toString();
    }

    /** Counts records and, on a terminal, shows progress about once a second. */
    private static final class Progress implements SimulationSink {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

        private final SimulationSink inner;
        private final PrintWriter err;
        private final ZoneId zone;
        private final boolean terminal;
        private final long started = System.nanoTime();
        private long lastShown = started;
        private long records;
        private boolean shown;

        Progress(SimulationSink inner, PrintWriter err, ZoneId zone, Object console) {
            this.inner = inner;
            this.err = err;
            this.zone = zone;
            this.terminal = console != null;
        }

        @Override
        public void emit(StreamKind stream, long ts, String key, String json) throws IOException {
            records++;
            inner.emit(stream, ts, key, json);
        }

        @Override
        public void tick(long eventTime) throws IOException {
            inner.tick(eventTime);
            if (!terminal) return;
            long now = System.nanoTime();
            if (now - lastShown < 1_000_000_000L) return;
            lastShown = now;
            double seconds = (now - started) / 1e9;
            err.printf(
                    Locale.ROOT,
                    "\r%,d records, %,.0f records/s, event time %s %s   ",
                    records,
                    records / seconds,
                    TIME.format(Instant.ofEpochMilli(eventTime).atZone(zone)),
                    zone.getId());
            err.flush();
            shown = true;
        }

        void done() {
            if (shown) {
                err.println();
                err.flush();
            }
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }
}
