package io.incidentanalyzer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.embedded.EmbeddedKafka;
import io.incidentanalyzer.ingest.InputRouter;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.TailTrackingSource;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import io.incidentanalyzer.job.IncidentPipeline;
import io.incidentanalyzer.job.KafkaConnectors;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end throughput of the job on one machine: an embedded Kafka broker, input topics filled
 * with one of two data sets ({@link Mix}: synthetic metric samples, or the simulated Watermelon day
 * with all four streams), and two bounded jobs on a local MiniCluster that read the topics from the
 * earliest offset to the end offsets seen at start:
 *
 * <ul>
 *   <li><b>full</b>: {@link IncidentAnalyzerJob#define} as deployed (four sources, routing, the
 *       detectors, correlator, drafter, exactly-once Kafka sinks);
 *   <li><b>pass-through</b>: the same Kafka sources, decoders, watermarks and routing of the
 *       streams the data set fills, into discarding sinks: the floor that Kafka reading and
 *       decoding set.
 * </ul>
 *
 * <p>Warm-up policy: each job runs once on a separate warm-up topic in the same JVM first, and
 * those figures are discarded. Then the measured runs alternate (full, pass-through, pass-through,
 * full) so that JIT state and background noise fall on both kinds alike.
 *
 * <p>This is a benchmark, not a test: its name matches neither surefire's nor failsafe's patterns,
 * so {@code mvn verify} never runs it. Run it with {@code bench/e2e --events 2000000}, which
 * compiles the tests and starts this class in its own JVM (see docs/benchmarks.md); {@code --mix
 * watermelon} for the Watermelon day.
 */
public final class EndToEndBenchmark {

    private static final Instant T0 = Instant.parse("2024-02-16T00:00:00Z");
    private static final long TICK_SECONDS = 10;

    /** 20 services × 10 metrics = 200 series, one sample each per tick. */
    static final List<String> SERVICES =
            List.of(
                    "database",
                    "token-verification",
                    "api-gpt",
                    "conversation-count",
                    "web-app",
                    "chatbot-engine",
                    "channel-gateway",
                    "public-api",
                    "billing",
                    "search",
                    "notifications",
                    "media-store",
                    "analytics",
                    "scheduler",
                    "auth-proxy",
                    "cache",
                    "queue-worker",
                    "reporting",
                    "webhooks",
                    "admin-portal");

    static final List<String> METRICS =
            List.of(
                    "cpu_utilization",
                    "memory_utilization",
                    "connection_pool_utilization",
                    "disk_utilization",
                    "request_rate",
                    "error_rate",
                    "latency_p50_ms",
                    "latency_p99_ms",
                    "gc_pause_ms",
                    "thread_count");

    private static final String AUTH = "bench.auth";
    private static final String LOGS = "bench.logs";
    private static final String CHANGES = "bench.changes";

    private EndToEndBenchmark() {}

    enum Kind {
        FULL("full"),
        PASS_THROUGH("pass-through");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    record Options(Mix mix, long events, int partitions, int parallelism, long warmup, Path out) {
        static Options parse(String[] args) {
            Mix mix = Mix.METRICS;
            Long events = null;
            int partitions = 2;
            int parallelism = 2;
            Long warmup = null;
            Path out = null;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value; " + USAGE);
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--mix" -> mix = Mix.parse(v);
                    case "--events" -> events = Long.parseLong(v);
                    case "--partitions" -> partitions = Integer.parseInt(v);
                    case "--parallelism" -> parallelism = Integer.parseInt(v);
                    case "--warmup" -> warmup = Long.parseLong(v);
                    case "--out" -> out = Path.of(v);
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown option " + args[i] + "; " + USAGE);
                }
            }
            long e = events != null ? events : mix.defaultEvents;
            long w = warmup != null ? warmup : mix.defaultWarmup;
            if (e < 1 || w < 1 || partitions < 1 || parallelism < 1) {
                throw new IllegalArgumentException("all numbers must be positive; " + USAGE);
            }
            return new Options(mix, e, partitions, parallelism, w, out);
        }

        static final String USAGE =
                "usage: [--mix metrics|watermelon] [--events N] [--partitions P] [--parallelism P]"
                        + " [--warmup N] [--out FILE]";
    }

    record Run(
            Kind kind,
            String label,
            long events,
            double wallSeconds,
            double netSeconds,
            int incidentEvents,
            int incidentsOpened,
            int deadLetters) {

        double eventsPerSecond() {
            return events / netSeconds;
        }

        double eventsPerWallSecond() {
            return events / wallSeconds;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // Flink's and the broker's temp files go where java.io.tmpdir points (target/bench-tmp
        // when started through Maven), not into /tmp: see the platform notes.
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));

        System.out.printf(
                Locale.ROOT,
                "End-to-end benchmark, mix %s: %s events (warm-up %,d), %d partitions,"
                        + " parallelism %d%n"
                        + "JVM %s %s, %d processors, max heap %d MiB, java.io.tmpdir=%s%n"
                        + "Warm-up policy: full and pass-through run once on warm-up topics"
                        + " (discarded), then measured runs alternate full, pass-through,"
                        + " pass-through, full in the same JVM.%n",
                o.mix().label,
                o.events() == Long.MAX_VALUE
                        ? "all the scenario's"
                        : String.format(Locale.ROOT, "%,d", o.events()),
                o.warmup(),
                o.partitions(),
                o.parallelism(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.io.tmpdir"));

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            InputTopics warmupTopics = o.mix().topics("bench-warmup");
            InputTopics measuredTopics = o.mix().topics("bench");
            kafka.createTopics(o.partitions(), warmupTopics.names());
            kafka.createTopics(o.partitions(), measuredTopics.names());
            long warmupEvents =
                    o.mix().produce(kafka.bootstrapServers(), warmupTopics, o.warmup(), "warm-up");
            long events =
                    o.mix()
                            .produce(
                                    kafka.bootstrapServers(),
                                    measuredTopics,
                                    o.events(),
                                    "measured");

            Bench bench = new Bench(kafka, o);
            System.out.println("Warm-up runs (discarded):");
            bench.run(Kind.FULL, "w1-full", warmupTopics, warmupEvents);
            bench.run(Kind.PASS_THROUGH, "w2-pass", warmupTopics, warmupEvents);

            System.out.println("Measured runs:");
            List<Run> runs = new ArrayList<>();
            runs.add(bench.run(Kind.FULL, "m1-full", measuredTopics, events));
            runs.add(bench.run(Kind.PASS_THROUGH, "m2-pass", measuredTopics, events));
            runs.add(bench.run(Kind.PASS_THROUGH, "m3-pass", measuredTopics, events));
            runs.add(bench.run(Kind.FULL, "m4-full", measuredTopics, events));
            summarize(o, events, runs);
        }
    }

    /** The four input topics of one data set. */
    record InputTopics(String metrics, String auth, String logs, String changes) {
        String[] names() {
            return new String[] {metrics, auth, logs, changes};
        }
    }

    /** What the input topics hold, and the job file that reads them. */
    enum Mix {
        /**
         * The synthetic metrics topic of {@link Workload} (the other three inputs empty) and three
         * saturation rules: most samples are dropped by a filter before any detector.
         */
        METRICS("metrics", 2_000_000, 500_000),
        /**
         * The Watermelon scenario's simulated records of all four streams in their proportions
         * (mostly auth events, each of which reaches a keyed detector), read by the scenario's own
         * job file.
         */
        WATERMELON("watermelon", Long.MAX_VALUE, 1_000_000);

        final String label;
        final long defaultEvents;
        final long defaultWarmup;

        Mix(String label, long defaultEvents, long defaultWarmup) {
            this.label = label;
            this.defaultEvents = defaultEvents;
            this.defaultWarmup = defaultWarmup;
        }

        static Mix parse(String v) {
            for (Mix m : values()) {
                if (m.label.equals(v)) return m;
            }
            throw new IllegalArgumentException("--mix: metrics or watermelon, not " + v);
        }

        InputTopics topics(String prefix) {
            return this == METRICS
                    ? new InputTopics(prefix + ".metrics", AUTH, LOGS, CHANGES)
                    : new InputTopics(
                            prefix + ".metrics",
                            prefix + ".auth",
                            prefix + ".logs",
                            prefix + ".changes");
        }

        /** Fills the topics with up to {@code count} records; returns how many it wrote. */
        long produce(String bootstrap, InputTopics topics, long count, String what)
                throws Exception {
            if (this == METRICS) {
                EndToEndBenchmark.produce(bootstrap, topics.metrics(), count, what);
                return count;
            }
            return ScenarioMix.produce(bootstrap, topics, count, what);
        }

        /** The job file of one run, reading {@code topics}, writing topics named by prefix. */
        JobConfig config(String prefix, InputTopics topics) {
            return this == METRICS
                    ? EndToEndBenchmark.config(prefix, topics.metrics())
                    : ScenarioMix.config(prefix, topics);
        }

        /** The streams the pass-through job reads: those the data set fills. */
        List<StreamKind> streams() {
            return this == METRICS ? List.of(StreamKind.METRICS) : List.of(StreamKind.values());
        }
    }

    /** Runs jobs against one broker; every run gets its own group id and output topics. */
    private record Bench(EmbeddedKafka kafka, Options o) {

        Run run(Kind kind, String label, InputTopics topics, long events) throws Exception {
            String prefix = "bench-" + label;
            JobConfig config = o.mix().config(prefix, topics);
            kafka.createTopics(
                    o.partitions(),
                    config.topics().incidents(),
                    config.topics().deadLetter(),
                    config.topics().statusUpdates());

            Configuration conf = new Configuration();
            conf.set(CoreOptions.DEFAULT_PARALLELISM, o.parallelism());
            // A failure must end the run, not restart it: a restarted job re-reads its input
            // and would report a throughput that silently includes the lost work.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            // Checkpoints to files, as a deployment would configure. With Flink's default
            // (JobManager memory, 5 MiB per state handle) a replay of a few million events fails
            // its first checkpoint: the detector buffers the samples between two watermarks in
            // keyed state, and a replay covers hours of event time per second.
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Path.of(System.getProperty("java.io.tmpdir"), "checkpoints", prefix)
                            .toAbsolutePath()
                            .toUri()
                            .toString());
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            if (kind == Kind.FULL) {
                IncidentAnalyzerJob.define(env, config, kafka.bootstrapServers(), true);
            } else {
                passThrough(env, config, kafka.bootstrapServers(), o.mix().streams());
            }

            long start = System.nanoTime();
            JobExecutionResult result = env.execute(prefix);
            double wall = (System.nanoTime() - start) / 1e9;
            double net = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3;

            int incidentEvents = 0;
            int opened = 0;
            int deadLetters = 0;
            if (kind == Kind.FULL) {
                try (KafkaTestClients clients = new KafkaTestClients(kafka.bootstrapServers())) {
                    List<JsonNode> incidents = clients.readAll(config.topics().incidents());
                    incidentEvents = incidents.size();
                    opened =
                            (int)
                                    incidents.stream()
                                            .filter(e -> "OPENED".equals(e.path("type").asText()))
                                            .count();
                    deadLetters = clients.readAll(config.topics().deadLetter()).size();
                }
            }
            Run r = new Run(kind, label, events, wall, net, incidentEvents, opened, deadLetters);
            System.out.printf(
                    Locale.ROOT,
                    "  %-8s %-12s %,10d events  net %6.2f s  wall %6.2f s  %,9.0f events/s"
                            + " (wall %,9.0f/s)%s%n",
                    label,
                    kind.label,
                    events,
                    net,
                    wall,
                    r.eventsPerSecond(),
                    r.eventsPerWallSecond(),
                    kind == Kind.FULL
                            ? String.format(
                                    Locale.ROOT,
                                    "  incidents opened %d, incident events %d, dead letters %d",
                                    opened,
                                    incidentEvents,
                                    deadLetters)
                            : "");
            return r;
        }
    }

    /**
     * The floor of the full job: the same sources, decoders, watermarks, checkpointing and routing,
     * built from the job's own classes, then a discarding sink instead of detection and Kafka
     * output.
     */
    static void passThrough(
            StreamExecutionEnvironment env,
            JobConfig config,
            String bootstrap,
            List<StreamKind> streams) {
        // The job's own settings (no Kryo, object reuse), so both pay the same for what they share.
        IncidentPipeline.configure(env);
        // Same checkpoint interval as the full job, so the sources do the same checkpoint work.
        env.enableCheckpointing(config.kafka().checkpointInterval().toMillis());
        KafkaConnectors kafka = new KafkaConnectors(config, bootstrap, true);
        for (StreamKind kind : streams) {
            InputTopic topic =
                    switch (kind) {
                        case METRICS -> config.topics().metrics();
                        case AUTH -> config.topics().auth();
                        case LOGS -> config.topics().logs();
                        case CHANGES -> config.topics().changes();
                    };
            InputRouter<?> router =
                    switch (kind) {
                        case METRICS -> InputRouter.metrics();
                        case AUTH -> InputRouter.auth();
                        case LOGS -> InputRouter.logs();
                        case CHANGES -> InputRouter.changes();
                    };
            TailTrackingSource source = kafka.source(topic, kind);
            discard(
                    env.fromSource(
                                    source,
                                    source.watermarks(config.watermarks()),
                                    router.stream() + " topic " + topic.name())
                            .uid("source-" + router.stream()),
                    router);
        }
    }

    private static <T> void discard(DataStream<Decoded> input, InputRouter<T> router) {
        input.process(router)
                .name("route " + router.stream())
                .uid("route-" + router.stream())
                .sinkTo(new DiscardingSink<>())
                .name("discard " + router.stream());
    }

    /** The job file of one run: the watermelon detector rules on the benchmark's 20 services. */
    static JobConfig config(String prefix, String metricsTopic) {
        StringBuilder services = new StringBuilder();
        for (String s : SERVICES) {
            services.append("  ").append(s).append(": {}\n");
        }
        return JobConfigLoader.parse(
                """
environment: bench
kafka: {groupId: %1$s, startingOffsets: earliest, delivery: exactly-once, checkpointInterval: 10s}
topics:
  metrics: {name: %2$s}
  auth: {name: %3$s}
  logs: {name: %4$s}
  changes: {name: %5$s}
  incidents: %1$s.incidents
  deadLetter: %1$s.dead-letter
watermarks: {maxOutOfOrderness: 5s, idleTimeout: 30s}
services:
%6$s
detectors:
  saturation:
    - {name: database-cpu, service: database, metric: cpu_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m, severity: critical}
    - {name: service-cpu, service: "*", metric: cpu_utilization, ceiling: 90, sustain: 2m, clearBelow: 75, clearAfter: 2m}
    - {name: database-connections, service: database, metric: connection_pool_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m}
"""
                        .formatted(prefix, metricsTopic, AUTH, LOGS, CHANGES, services),
                prefix + ".yaml");
    }

    /** Writes {@code count} samples with a batching producer; the time is printed, not scored. */
    private static void produce(String bootstrap, String topic, long count, String what)
            throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        // Idempotence needs acks=all; loading the topic is not what is measured.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);

        AtomicReference<Exception> failure = new AtomicReference<>();
        Workload workload = new Workload();
        long start = System.nanoTime();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (long i = 0; i < count; i++) {
                byte[] value = workload.next();
                bytes += value.length;
                producer.send(
                        new ProducerRecord<>(topic, workload.key(), value),
                        (meta, e) -> {
                            if (e != null) failure.compareAndSet(null, e);
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing to " + topic + " failed", failure.get());
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "Produced %,d %s events (%,d bytes, %.0f bytes/event, %s of event time) to %s"
                        + " in %.1f s (%,.0f events/s; not part of the figures)%n",
                count,
                what,
                bytes,
                (double) bytes / count,
                java.time.Duration.ofSeconds((workload.tick + 1) * TICK_SECONDS),
                topic,
                s,
                count / s);
    }

    /**
     * The samples, in event-time order: every 10 s one sample for each of the 200 series. Values
     * are healthy noise, except for saturation episodes that the job's rules should catch:
     *
     * <ul>
     *   <li>every 4 h (from 1 h): database CPU and connection pool at 96–100% for 8 min, one
     *       incident with two signals;
     *   <li>every 6 h (from 2.5 h): one other service's CPU at 92–98% for 5 min, rotating;
     *   <li>every hour: database CPU at 97% for 30 s, shorter than the sustain time, so the
     *       detector holds state but opens nothing.
     * </ul>
     *
     * Seeded, so every run writes the same data.
     */
    static final class Workload {
        private final Random random = new Random(42);
        private final byte[][] keys;
        private final String[] prefixes;
        private long tick;
        private int series;
        private String ts;
        private byte[] key;

        Workload() {
            int n = SERVICES.size() * METRICS.size();
            keys = new byte[n][];
            prefixes = new String[n];
            for (int i = 0; i < n; i++) {
                String service = SERVICES.get(i / METRICS.size());
                String metric = METRICS.get(i % METRICS.size());
                keys[i] = (service + "/" + metric).getBytes(StandardCharsets.UTF_8);
                prefixes[i] = "\",\"service\":\"" + service + "\",\"metric\":\"" + metric;
            }
            series = n;
            tick = -1;
        }

        /** The key of the sample last returned by {@link #next()}: its series. */
        byte[] key() {
            return key;
        }

        byte[] next() {
            if (series == keys.length) {
                series = 0;
                tick++;
                ts = T0.plusSeconds(tick * TICK_SECONDS).toString();
            }
            int i = series++;
            key = keys[i];
            String service = SERVICES.get(i / METRICS.size());
            String metric = METRICS.get(i % METRICS.size());
            double value = Math.round(value(service, metric) * 10) / 10.0;
            return ("{\"ts\":\"" + ts + prefixes[i] + "\",\"value\":" + value + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        private double value(String service, String metric) {
            long s = tick * TICK_SECONDS;
            boolean database = service.equals("database");
            if (database && inWindow(s, 3_600, 14_400, 480)) {
                if (metric.equals("cpu_utilization")
                        || metric.equals("connection_pool_utilization")) {
                    return 96 + 4 * random.nextDouble();
                }
            }
            if (database && metric.equals("cpu_utilization") && inWindow(s, 1_800, 3_600, 30)) {
                return 97;
            }
            if (metric.equals("cpu_utilization") && inWindow(s, 9_000, 21_600, 300)) {
                long episode = (s - 9_000) / 21_600;
                String hot = SERVICES.get(1 + (int) (episode % (SERVICES.size() - 1)));
                if (service.equals(hot)) return 92 + 6 * random.nextDouble();
            }
            double r = random.nextDouble();
            return switch (metric) {
                case "cpu_utilization" -> 25 + 40 * r;
                case "memory_utilization" -> 50 + 20 * r;
                case "connection_pool_utilization" -> 20 + 40 * r;
                case "disk_utilization" -> 40 + 5 * r;
                case "request_rate" -> 200 + 300 * r;
                case "error_rate" -> 0.5 * r;
                case "latency_p50_ms" -> 20 + 15 * r;
                case "latency_p99_ms" -> 120 + 200 * r;
                case "gc_pause_ms" -> 5 * r;
                default -> 100 + 50 * r;
            };
        }

        /** Whether {@code s} lies in a window of {@code length} s repeating every period. */
        private static boolean inWindow(long s, long first, long period, long length) {
            return s >= first && (s - first) % period < length;
        }
    }

    private static void summarize(Options o, long events, List<Run> runs) throws IOException {
        double[] full = rates(runs, Kind.FULL);
        double[] pass = rates(runs, Kind.PASS_THROUGH);
        double fullMedian = median(full);
        double passMedian = median(pass);
        double ratio = fullMedian / passMedian;
        Run lastFull = runs.stream().filter(r -> r.kind() == Kind.FULL).reduce((a, b) -> b).get();
        System.out.printf(
                Locale.ROOT,
                "Summary (events/s from net runtime): full %s, median %,.0f; pass-through %s,"
                        + " median %,.0f%n"
                        + "Ratio full / pass-through (throughput): %.2f (the full job runs at"
                        + " %.0f%% of the pass-through rate)%n"
                        + "Incidents opened per full run: %d (incident events %d)%n",
                format(full),
                fullMedian,
                format(pass),
                passMedian,
                ratio,
                100 * ratio,
                lastFull.incidentsOpened(),
                lastFull.incidentEvents());
        System.out.printf(
                Locale.ROOT,
                "E2E mix=%s full=%.0f pass=%.0f ratio=%.2f%n",
                o.mix().label,
                fullMedian,
                passMedian,
                ratio);
        if (o.out() != null) {
            boolean fresh = !Files.exists(o.out()) || Files.size(o.out()) == 0;
            StringBuilder row = new StringBuilder();
            if (fresh) {
                row.append(
                        "| date | mix | events | partitions | parallelism | full events/s (runs)"
                                + " | pass-through events/s (runs) | ratio full / pass |"
                                + " incidents opened |\n");
                row.append("|---|---|---|---|---|---|---|---|---|\n");
            }
            row.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %s | %,d | %d | %d | %,.0f (%s) | %,.0f (%s) | %.2f | %d |\n",
                            LocalDate.now(ZoneOffset.UTC),
                            o.mix().label,
                            events,
                            o.partitions(),
                            o.parallelism(),
                            fullMedian,
                            format(full),
                            passMedian,
                            format(pass),
                            ratio,
                            lastFull.incidentsOpened()));
            Files.writeString(
                    o.out(),
                    row,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            System.out.println("Appended a result row to " + o.out());
        }
    }

    private static double[] rates(List<Run> runs, Kind kind) {
        return runs.stream()
                .filter(r -> r.kind() == kind)
                .mapToDouble(Run::eventsPerSecond)
                .toArray();
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static String format(double[] values) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            if (b.length() > 0) b.append(", ");
            b.append(String.format(Locale.ROOT, "%,.0f", v));
        }
        return b.toString();
    }
}
