package io.incidentanalyzer.cli;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.correlate.rank.LearnedGraph;
import io.incidentanalyzer.draft.Markdown;
import io.incidentanalyzer.draft.StatusPage;
import io.incidentanalyzer.embedded.LocalCluster;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.replay.RecordedInput;
import io.incidentanalyzer.replay.Replay;
import io.incidentanalyzer.replay.ReplayFailedException;
import io.incidentanalyzer.replay.ReplayProgress;
import io.incidentanalyzer.replay.ReplayResult;
import java.io.BufferedWriter;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code replay}: the job's pipeline, bounded, over recorded JSONL files on a local MiniCluster
 * (see {@link Replay}). Prints the incident events, or writes them and the dead letters to files.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the analyzer's pipeline over recorded input files.",
            "It reads the files of --input DIR to the end instead of Kafka and prints the incident"
                    + " events (the same events a streaming run of the same input writes).",
            "DIR holds metrics.jsonl, auth.jsonl, logs.jsonl and changes.jsonl (each optional), one"
                    + " record per line in the job file's format for that topic."
        })
final class ReplayCommand implements Callable<Integer> {
    /** Without --out, at most this many dead letters are printed. */
    static final int MAX_PRINTED_DEAD_LETTERS = 10;

    @Spec CommandSpec spec;

    @Mixin JobFileOption jobFile;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "DIR",
            description = "Directory of recorded input (metrics.jsonl, auth.jsonl, ...).")
    Path input;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = {
                "Write the incident events to FILE as JSON lines (as on the incidents topic),"
                        + " and the dead letters to FILE with .jsonl replaced by"
                        + " .dead-letters.jsonl, instead of printing them."
            })
    Path out;

    @Option(
            names = "--drafts",
            paramLabel = "DIR",
            description = {
                "Write each incident's drafts to DIR/<incident id>/: timeline.md,"
                        + " status-updates.md, postmortem.md, and status-page.json (the"
                        + " Statuspage-compatible incident document); DIR is created."
            })
    Path drafts;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Serve the job's metrics for Prometheus on this port (default: none).")
    Integer metricsPort;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        JobConfig config = JobConfigLoader.load(jobFile.job);
        if (parallelism < 1) {
            throw new ConfigException("--parallelism must be at least 1, got " + parallelism);
        }
        RecordedInput.find(input); // a mistake here is reported before Flink starts
        Path deadLetterOut = out == null ? null : deadLettersFile(out);
        if (out != null) {
            requireDirectory(out);
        }
        StreamExecutionEnvironment env =
                LocalCluster.bounded(
                        parallelism,
                        metricsPort == null ? OptionalInt.empty() : OptionalInt.of(metricsPort));

        if (metricsPort != null) {
            stderr.printf(
                    "Metrics at http://localhost:%d/metrics while the replay runs%n", metricsPort);
        }
        TerminalProgress progress = new TerminalProgress(stderr, config, interactive());
        ReplayResult result = null;
        try (AutoCloseable stop = StopSignals.interruptOnStop(Thread.currentThread())) {
            result = Replay.run(config, input, env, progress);
        } catch (ReplayFailedException e) {
            if (!StopSignals.requested()) throw e;
        } finally {
            progress.erase(); // stdout and stderr may be the same terminal
        }
        if (result == null || StopSignals.requested()) {
            Thread.interrupted(); // the watcher's; what is left to do is writing, not waiting
            stderr.println("replay stopped before its end; nothing written");
            return 0;
        }

        if (out != null) {
            writeJsonLines(out, result.incidents());
            writeJsonLines(deadLetterOut, result.deadLetters());
        } else {
            print(stdout, config, result);
        }
        progress.finish(result);
        if (drafts != null) {
            int n = writeDrafts(drafts, result.incidents(), config);
            stderr.printf("wrote the drafts of %d incident(s) to %s%n", n, drafts);
        }
        if (out != null) {
            stderr.printf(
                    "wrote %d incident events to %s and %d dead letters to %s%n",
                    result.incidents().size(), out, result.deadLetters().size(), deadLetterOut);
            printServiceGraph(stderr, config, result);
        }
        return 0;
    }

    /** Each incident's last drafts as Markdown files; returns how many incidents. */
    static int writeDrafts(Path dir, List<IncidentEvent> events, JobConfig config) {
        Map<String, IncidentEvent> last = new LinkedHashMap<>();
        for (IncidentEvent e : events) last.put(e.incidentId(), e);
        try {
            for (IncidentEvent e : last.values()) {
                if (e.drafts() == null) continue;
                Path d = Files.createDirectories(dir.resolve(e.incidentId()));
                Files.writeString(
                        d.resolve("timeline.md"),
                        Markdown.timelineFile(e.incidentId(), e.drafts()));
                Files.writeString(
                        d.resolve("status-updates.md"),
                        Markdown.statusUpdatesFile(e.incidentId(), e.drafts(), config));
                Files.writeString(d.resolve("postmortem.md"), e.drafts().postmortem());
                Files.writeString(
                        d.resolve("status-page.json"),
                        OutputJson.mapper()
                                        .writerWithDefaultPrettyPrinter()
                                        .writeValueAsString(StatusPage.of(e))
                                + "\n");
            }
        } catch (IOException x) {
            throw new ConfigException(
                    "--drafts " + dir + ": cannot write the drafts (" + x.getMessage() + ")");
        }
        return last.size();
    }

    /** {@code incidents.jsonl} → {@code incidents.dead-letters.jsonl}; other names get it added. */
    static Path deadLettersFile(Path out) {
        String name = out.getFileName().toString();
        String base =
                name.endsWith(RecordedInput.EXTENSION)
                        ? name.substring(0, name.length() - RecordedInput.EXTENSION.length())
                        : name;
        return out.resolveSibling(base + ".dead-letters" + RecordedInput.EXTENSION);
    }

    private static void requireDirectory(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new ConfigException(
                    "--out "
                            + file
                            + ": directory "
                            + parent
                            + " does not exist; create it or write elsewhere");
        }
        if (Files.isDirectory(file)) {
            throw new ConfigException(
                    "--out " + file + ": is a directory; give a file name, e.g. incidents.jsonl");
        }
    }

    private static void writeJsonLines(Path file, List<?> records) {
        ObjectWriter json = OutputJson.mapper().writer();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object r : records) {
                w.write(json.writeValueAsString(r));
                w.write('\n');
            }
        } catch (IOException e) {
            throw new ConfigException("--out: cannot write " + file + " (" + e.getMessage() + ")");
        }
    }

    private static void print(PrintWriter stdout, JobConfig config, ReplayResult result) {
        IncidentPrinter printer = new IncidentPrinter(config);
        for (IncidentEvent e : result.incidents()) {
            stdout.println(printer.format(e));
        }
        List<DeadLetter> dead = result.deadLetters();
        for (DeadLetter d : dead.subList(0, Math.min(dead.size(), MAX_PRINTED_DEAD_LETTERS))) {
            stdout.println(printer.format(d));
        }
        if (dead.size() > MAX_PRINTED_DEAD_LETTERS) {
            stdout.printf(
                    "%11s  ... and %d more dead letters (--out FILE writes them all)%n",
                    "", dead.size() - MAX_PRINTED_DEAD_LETTERS);
        }
        printServiceGraph(stdout, config, result);
        stdout.flush();
    }

    /**
     * With a traces input: the service graph the traces showed against the job file's {@code
     * dependsOn} (edges seen but not declared, declared but never seen).
     */
    static void printServiceGraph(PrintWriter w, JobConfig config, ReplayResult result) {
        if (config.topics().traces() == null) return;
        LearnedGraph graph =
                LearnedGraph.of(DependencyGraph.of(config.dependsOn()), result.serviceGraph());
        for (String line : graph.report()) {
            w.println(line);
        }
        w.flush();
    }

    /** True when a person watches: a console, and on Java 22+ one that is a real terminal. */
    private static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // before Java 22, a console is a terminal
        }
    }

    /**
     * The progress line on stderr, redrawn in place with a carriage return while the replay runs
     * (only on a terminal), and the summary line at the end (always).
     */
    static final class TerminalProgress implements ReplayProgress {
        private final PrintWriter err;
        private final DateTimeFormatter eventTime;
        private final String zone;
        private final boolean live;

        private Snapshot previous;
        private Snapshot last;
        private int drawn;

        TerminalProgress(PrintWriter err, JobConfig config, boolean live) {
            this.err = err;
            this.live = live;
            this.zone = config.zone().getId();
            this.eventTime = config.clockFormat("yyyy-MM-dd h:mm a", "yyyy-MM-dd HH:mm");
        }

        @Override
        public synchronized void update(Snapshot s) {
            Snapshot before = previous;
            previous = s;
            last = s;
            if (!live || s.done()) {
                return;
            }
            draw(running(s, before));
        }

        /** e.g. {@code replay 1,234,567 events 612,000 ev/s event time 2024-02-16 09:14 UTC} */
        String running(Snapshot s, Snapshot before) {
            long events = s.eventsRead() - (before == null ? 0 : before.eventsRead());
            Duration wall = before == null ? s.elapsed() : s.elapsed().minus(before.elapsed());
            return String.format(
                    Locale.ENGLISH,
                    "replay  %,d events  %,d ev/s  event time %s",
                    s.eventsRead(),
                    perSecond(events, wall),
                    s.hasEventTime()
                            ? eventTime.format(Instant.ofEpochMilli(s.eventTime())) + " " + zone
                            : "-");
        }

        /** The summary, from the final snapshot and the result. */
        String finished(Snapshot s, ReplayResult r) {
            long incidents =
                    r.incidents().stream().map(IncidentEvent::incidentId).distinct().count();
            return String.format(
                    Locale.ENGLISH,
                    "replay  done: %,d events in %.1f s (%,d ev/s), %d incident%s (%d incident"
                            + " events), %d dead letter%s",
                    s.eventsRead(),
                    s.elapsed().toMillis() / 1000.0,
                    perSecond(s.eventsRead(), s.elapsed()),
                    incidents,
                    incidents == 1 ? "" : "s",
                    r.incidents().size(),
                    r.deadLetters().size(),
                    r.deadLetters().size() == 1 ? "" : "s");
        }

        /** Removes the progress line, so that what is printed next starts on a clean line. */
        synchronized void erase() {
            if (drawn > 0) {
                err.print("\r" + " ".repeat(drawn) + "\r");
                err.flush();
                drawn = 0;
            }
        }

        /** Prints the summary line; after {@link #erase()}, or in place of the progress line. */
        synchronized void finish(ReplayResult r) {
            Snapshot s =
                    last != null
                            ? last
                            : new Snapshot(r.eventsRead(), Long.MIN_VALUE, Duration.ZERO, true);
            err.println((drawn > 0 ? "\r" : "") + pad(finished(s, r)));
            err.flush();
            drawn = 0;
        }

        private void draw(String line) {
            err.print("\r" + pad(line));
            err.flush();
            drawn = line.length();
        }

        /** Spaces over what is left of a longer previous line. */
        private String pad(String line) {
            return line.length() >= drawn ? line : line + " ".repeat(drawn - line.length());
        }

        private static long perSecond(long events, Duration wall) {
            long millis = wall.toMillis();
            return millis <= 0 ? 0 : events * 1000 / millis;
        }
    }
}
