package io.incidentanalyzer.bench;

import io.incidentanalyzer.cli.AnalyzerCli;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.embedded.EmbeddedKafka;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.ScenarioLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Throughput of {@code bin/analyzer simulate} on the Watermelon scenario (30 h, a few million
 * records), through the command line exactly as a user runs it, at full speed:
 *
 * <ul>
 *   <li><b>kafka</b>: {@code simulate --to kafka} into an embedded broker in this JVM (the four
 *       input topics are deleted and created again before each run, so every run starts from empty
 *       topics);
 *   <li><b>dir</b>: {@code simulate --to DIR} into JSON-lines files under {@code target/}.
 * </ul>
 *
 * <p>Warm-up policy: one run of each kind first, discarded; then the measured runs alternate
 * (kafka, dir, dir, kafka, …). The figure is records per second of wall time around the whole
 * command (loading the scenario, the Kafka preflight, simulating, flushing and closing the
 * producer, writing the truth).
 *
 * <p>Not a test (its name matches neither surefire's nor failsafe's patterns); run it with {@code
 * bench/simulate} (docs/benchmarks.md).
 */
public final class SimulatorBenchmark {
    private static final String SCENARIO = "jobs/scenarios/watermelon-2024-02-16.yaml";

    private SimulatorBenchmark() {}

    record Options(int runs, int partitions, Path dir, Path out) {
        static Options parse(String[] args) {
            int runs = 2;
            int partitions = 2;
            Path dir = Path.of("target/bench-sim");
            Path out = null;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(USAGE);
                String v = args[i + 1];
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(v);
                    case "--partitions" -> partitions = Integer.parseInt(v);
                    case "--dir" -> dir = Path.of(v);
                    case "--out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException(USAGE);
                }
            }
            if (runs < 1 || partitions < 1) throw new IllegalArgumentException(USAGE);
            return new Options(runs, partitions, dir, out);
        }

        static final String USAGE =
                "usage: [--runs N per kind (2)] [--partitions P (2)] [--dir DIR] [--out FILE]";
    }

    record Run(String label, String kind, long records, double seconds) {
        double perSecond() {
            return records / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        JobConfig job = ScenarioLoader.loadResource(SCENARIO).job();
        List<String> topics =
                List.of(
                        job.topics().metrics().name(),
                        job.topics().auth().name(),
                        job.topics().logs().name(),
                        job.topics().changes().name());
        System.out.printf(
                Locale.ROOT,
                "Simulator benchmark: %s, %d measured runs per kind, %d partitions%n"
                        + "JVM %s %s, %d processors, max heap %d MiB%n",
                SCENARIO,
                o.runs(),
                o.partitions(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Bench bench = new Bench(kafka, topics, o);
            System.out.println("Warm-up runs (discarded):");
            bench.kafka("w1");
            bench.dir("w2");
            System.out.println("Measured runs:");
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < o.runs(); i++) {
                boolean kafkaFirst = i % 2 == 0;
                String a = "m" + (2 * i + 1);
                String b = "m" + (2 * i + 2);
                runs.add(kafkaFirst ? bench.kafka(a) : bench.dir(a));
                runs.add(kafkaFirst ? bench.dir(b) : bench.kafka(b));
            }
            summarize(o, runs);
        }
    }

    private record Bench(EmbeddedKafka kafka, List<String> topics, Options o) {

        Run kafka(String label) throws Exception {
            recreateTopics();
            Path truth = o.dir().resolve("kafka-truth.json");
            Run r =
                    measure(
                            label,
                            "kafka",
                            truth,
                            "simulate",
                            "--scenario",
                            SCENARIO,
                            "--to",
                            "kafka",
                            "--bootstrap",
                            kafka.bootstrapServers(),
                            "--truth",
                            truth.toString());
            long onTopics = recordsOnTopics();
            if (onTopics != r.records()) {
                throw new IllegalStateException(
                        "the topics hold " + onTopics + " records, simulate wrote " + r.records());
            }
            System.out.printf(Locale.ROOT, "       topics hold %,d records%n", onTopics);
            return r;
        }

        /** The sum of the input topics' end offsets: every record the broker acknowledged. */
        private long recordsOnTopics() throws Exception {
            try (Admin admin = kafka.admin()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (String t : topics) {
                    for (int p = 0; p < o.partitions(); p++) {
                        latest.put(new TopicPartition(t, p), OffsetSpec.latest());
                    }
                }
                long sum = 0;
                for (var e : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
                    sum += e.offset();
                }
                return sum;
            }
        }

        Run dir(String label) throws Exception {
            Path to = o.dir().resolve("files");
            return measure(
                    label,
                    "dir",
                    to.resolve(GroundTruth.FILE_NAME),
                    "simulate",
                    "--scenario",
                    SCENARIO,
                    "--to",
                    to.toString());
        }

        private Run measure(String label, String kind, Path truth, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            long start = System.nanoTime();
            int code =
                    AnalyzerCli.execute(
                            new PrintWriter(out, true), new PrintWriter(err, true), args);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (code != 0) {
                throw new IllegalStateException("simulate failed (" + code + "): " + err);
            }
            long records =
                    GroundTruth.read(truth).events().values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
            Run r = new Run(label, kind, records, seconds);
            System.out.printf(
                    Locale.ROOT,
                    "  %-4s %-6s %,10d records  %6.2f s  %,10.0f records/s%n",
                    label,
                    kind,
                    records,
                    seconds,
                    r.perSecond());
            System.out.println("       " + out.toString().trim());
            return r;
        }

        /** Empty topics for every Kafka run, so that no run pays for its predecessor's log. */
        private void recreateTopics() throws Exception {
            try (Admin admin = kafka.admin()) {
                Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                List<String> present = topics.stream().filter(existing::contains).toList();
                if (!present.isEmpty()) {
                    admin.deleteTopics(present).all().get(30, TimeUnit.SECONDS);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                            .anyMatch(present::contains)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("topics not deleted: " + present);
                        }
                        TimeUnit.MILLISECONDS.sleep(100);
                    }
                }
            }
            kafka.createTopics(o.partitions(), topics.toArray(String[]::new));
        }
    }

    private static void summarize(Options o, List<Run> runs) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%n| run | to | records | wall s | records/s |%n"));
        md.append("|---|---|---:|---:|---:|\n");
        for (Run r : runs) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %,d | %.2f | %,.0f |%n",
                            r.label(),
                            r.kind(),
                            r.records(),
                            r.seconds(),
                            r.perSecond()));
        }
        for (String kind : List.of("kafka", "dir")) {
            double[] rates =
                    runs.stream()
                            .filter(r -> r.kind().equals(kind))
                            .mapToDouble(Run::perSecond)
                            .sorted()
                            .toArray();
            double median =
                    rates.length % 2 == 1
                            ? rates[rates.length / 2]
                            : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
            md.append(String.format(Locale.ROOT, "%nMedian %s: %,.0f records/s", kind, median));
        }
        md.append('\n');
        System.out.print(md);
        if (o.out() != null) {
            Files.writeString(
                    o.out(), md.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
