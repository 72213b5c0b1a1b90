package io.incidentanalyzer.bench;

import static org.awaitility.Awaitility.await;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.ingest.InputWatermarks;
import io.incidentanalyzer.job.IncidentPipeline;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.Signal;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Memory and checkpoint size of the job's metrics path on a synthetic fleet (docs/benchmarks.md,
 * "Memory for 10,000 services × 10 metrics"). One JVM, one backend: a local MiniCluster runs {@link
 * IncidentPipeline#build} on {@link Fleet}'s samples (generated in event-time order, decoded
 * envelopes straight from the source: no Kafka, no JSON), with the job file {@link Fleet#jobYaml}
 * writes. The source pauses after each of the given amounts of event time; at each pause the
 * benchmark takes a full checkpoint and measures it (bytes per operator, from the checkpoint
 * statistics, and the files on disk), the live heap after a full GC, the process's resident memory
 * and RocksDB's working directory. At the end it cancels the job and measures the heap again: the
 * difference is what the job's state and operators hold. Not a test: no surefire or failsafe
 * pattern matches the name. Run by bench/memory.
 *
 * <p>{@code --services N} (10,000), {@code --backend hashmap|rocksdb}, {@code --pauses 10m,30m,1h}
 * (event time at each measurement), {@code --interval 10s} (the simulator's), {@code --parallelism
 * P} (2), {@code --checkpoint-interval 10s} (the job file's), {@code --managed 256m} (managed
 * memory of the TaskManager: RocksDB's block cache and write buffers), {@code --out DIR}.
 */
public final class MemoryBenchmark {

    /**
     * Where the source stops: the driver publishes a phase (records to emit before pausing, and the
     * future that ends the pause); the source's rate limiter reads it before each record. Static:
     * the MiniCluster runs in this JVM and loads the job's classes from this class path.
     */
    static final class Gate {
        record Phase(long pauseAt, CompletableFuture<Void> resume) {}

        static final CompletableFuture<Void> GO = CompletableFuture.completedFuture(null);

        /** Records generated so far (written by the one source thread). */
        static volatile long generated;

        static volatile Phase phase = new Phase(0, new CompletableFuture<>());

        static CompletionStage<Void> permit() {
            Phase p = phase;
            return generated < p.pauseAt() ? GO : p.resume();
        }

        /** Lets the source run until {@code count} records in all. */
        static void runUntil(long count) {
            Phase old = phase;
            phase = new Phase(count, new CompletableFuture<>());
            old.resume().complete(null);
        }

        private Gate() {}
    }

    /** The rate limiter that holds the source at the gate; no limit otherwise. */
    static final class GateLimits implements RateLimiterStrategy<NumberSequenceSplit> {
        private static final long serialVersionUID = 1L;

        @Override
        public RateLimiter<NumberSequenceSplit> createRateLimiter(int parallelism) {
            return permits -> Gate.permit();
        }
    }

    /** Counts what reaches it and keeps nothing: signals opened, incident events, dead letters. */
    static final class CountingSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        static final Map<String, AtomicLong> COUNTS =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final String name;

        CountingSink(String name) {
            this.name = name;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            AtomicLong count = COUNTS.computeIfAbsent(name, k -> new AtomicLong());
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context c) {
                    count.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    private static final class NoRecords implements FilterFunction<Decoded> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(Decoded d) {
            return false;
        }
    }

    private static final class Opened implements FilterFunction<Signal> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(Signal s) {
            return s.state() == io.incidentanalyzer.model.SignalState.OPEN;
        }
    }

    private MemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int services = 10_000;
        String backend = "hashmap";
        List<Duration> pauses = List.of(Duration.ofMinutes(10), Duration.ofMinutes(30));
        Duration interval = Duration.ofSeconds(10);
        int parallelism = 2;
        Duration checkpointInterval = Duration.ofSeconds(10);
        MemorySize managed = MemorySize.parse("256m");
        Path out = Path.of("target/memory");
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--services" -> services = Integer.parseInt(v);
                case "--backend" -> backend = v;
                case "--pauses" -> {
                    List<Duration> list = new ArrayList<>();
                    for (String p : v.split(",")) list.add(parseDuration(p));
                    pauses = list;
                }
                case "--interval" -> interval = parseDuration(v);
                case "--parallelism" -> parallelism = Integer.parseInt(v);
                case "--checkpoint-interval" -> checkpointInterval = parseDuration(v);
                case "--managed" -> managed = MemorySize.parse(v);
                case "--out" -> out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = out.resolve(backend).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("fleet.yaml"), Fleet.jobYaml(services));
        JobConfig config = Fleet.config(services);
        long seriesCount = (long) services * Fleet.METRICS.length;

        Configuration cluster = new Configuration();
        cluster.set(StateBackendOptions.STATE_BACKEND, backend);
        cluster.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        cluster.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        cluster.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, false);
        cluster.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
        cluster.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, managed);
        cluster.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        MiniClusterConfiguration mc =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(cluster)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(parallelism)
                        .build();

        System.out.printf(
                Locale.ROOT,
                "MEMORY fleet: %,d services x %d metrics = %,d series (%,d watched), one sample per"
                    + " series every %s; backend %s, parallelism %d, checkpoint every %s, managed"
                    + " memory %s, max heap %,d MB%n",
                services,
                Fleet.METRICS.length,
                seriesCount,
                (long) services * Fleet.WATCHED,
                interval,
                backend,
                parallelism,
                checkpointInterval,
                managed,
                Runtime.getRuntime().maxMemory() >> 20);

        try (MiniCluster miniCluster = new MiniCluster(mc)) {
            miniCluster.start();
            long heapIdle = liveHeap();
            long rssIdle = rss();
            System.out.printf(
                    Locale.ROOT,
                    "MEMORY before the job: live heap %,d bytes, RSS %,d bytes%n",
                    heapIdle,
                    rssIdle);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            IncidentPipeline.configure(env);
            env.setParallelism(parallelism);
            env.enableCheckpointing(checkpointInterval.toMillis());
            long total =
                    seriesCount * (pauses.get(pauses.size() - 1).toMillis() / interval.toMillis());
            // One record more than the last pause: the gate never lets it out, so the source
            // never finishes and the job keeps its state until it is cancelled.
            DataGeneratorSource<Decoded> source =
                    new DataGeneratorSource<>(
                            new Fleet.Samples(services, interval.toMillis()),
                            total + 1,
                            new GateLimits(),
                            TypeInformation.of(Decoded.class));
            DataStream<Decoded> metrics =
                    env.fromSource(
                                    source,
                                    InputWatermarks.strategy(config.watermarks()),
                                    "fleet samples")
                            .uid("fleet-samples")
                            // one reader emits the series in event-time order; the router after it
                            // runs at the job's parallelism
                            .setParallelism(1);
            IncidentPipeline.Outputs outputs =
                    IncidentPipeline.build(
                            config,
                            new IncidentPipeline.Inputs(
                                    metrics,
                                    empty(env, "auth"),
                                    empty(env, "logs"),
                                    empty(env, "changes")));
            outputs.signals()
                    .filter(new Opened())
                    .name("opened")
                    .sinkTo(new CountingSink<>("signals opened"))
                    .name("signals opened");
            outputs.incidents()
                    .sinkTo(new CountingSink<>("incident events"))
                    .name("incident events");
            outputs.statusUpdates()
                    .sinkTo(new CountingSink<>("status updates"))
                    .name("status updates");
            outputs.deadLetters().sinkTo(new CountingSink<>("dead letters")).name("dead letters");

            JobID job = miniCluster.submitJob(env.getStreamGraph()).get().getJobID();
            List<String> rows = new ArrayList<>();
            long emitted = 0;
            for (Duration pause : pauses) {
                long target = seriesCount * (pause.toMillis() / interval.toMillis());
                long start = System.nanoTime();
                Gate.runUntil(target);
                waitFor(
                        () -> Gate.generated >= target,
                        Duration.ofHours(2),
                        "the source to reach " + target);
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = (target - emitted) / seconds;
                emitted = target;
                long checkpoint =
                        miniCluster
                                .triggerCheckpoint(job, CheckpointType.FULL)
                                .get(30, TimeUnit.MINUTES);
                AccessExecutionGraph graph = miniCluster.getExecutionGraph(job).get();
                AbstractCheckpointStats stats =
                        graph.getCheckpointStatsSnapshot()
                                .getHistory()
                                .getCheckpointById(checkpoint);
                long onDisk =
                        size(
                                dir.resolve("checkpoints")
                                        .resolve(job.toHexString())
                                        .resolve("chk-" + checkpoint));
                long heap = liveHeap();
                long rss = rss();
                long rocks = size(dir.resolve("rocksdb"));
                String row =
                        String.format(
                                Locale.ROOT,
                                "%s | %,d | %,.0f | %,d | %,d | %,d | %,d | %,d | %,d",
                                pause,
                                target,
                                rate,
                                stats.getStateSize(),
                                onDisk,
                                stats.getEndToEndDuration(),
                                heap - heapIdle,
                                rss - rssIdle,
                                rocks);
                rows.add(row);
                System.out.println("MEMORY at " + row);
                System.out.println(
                        "MEMORY   by vertex at " + pause + ": " + byVertex(graph, stats));
                System.out.println("MEMORY   outputs: " + new TreeMap<>(CountingSink.COUNTS));
            }
            long heapWith = liveHeap();
            long rssWith = rss();
            histogram(dir.resolve("histogram-with-job.txt"));
            miniCluster.cancelJob(job).get();
            waitFor(
                    () -> miniCluster.getJobStatus(job).get() == JobStatus.CANCELED,
                    Duration.ofMinutes(5),
                    "the job to cancel");
            // The TaskManager lets go of the cancelled tasks a little after the job is CANCELED:
            // measure until the live heap stops falling, then once more.
            AtomicLong lastHeap = new AtomicLong(liveHeap());
            try {
                await("the live heap to stop falling")
                        .atMost(Duration.ofSeconds(30))
                        .pollDelay(Duration.ofSeconds(2))
                        .pollInterval(Duration.ofSeconds(2))
                        .until(
                                () -> {
                                    long now = liveHeap();
                                    return now >= lastHeap.getAndSet(now);
                                });
            } catch (ConditionTimeoutException stillFalling) {
                // Measured as it stood after 30 s.
            }
            long heapWithout = lastHeap.get();
            long rssWithout = rss();
            histogram(dir.resolve("histogram-after-cancel.txt"));
            System.out.println(
                    "MEMORY event time | records | records/s while filling | checkpoint state bytes"
                        + " | checkpoint files bytes | checkpoint ms | live heap over idle cluster"
                        + " | RSS over idle cluster | RocksDB local dir bytes");
            rows.forEach(r -> System.out.println("MEMORY " + r));
            System.out.printf(
                    Locale.ROOT,
                    "MEMORY live heap with the job %,d, after cancelling it %,d: the job holds %,d"
                            + " bytes (%,.0f per series, %,.0f per watched series); RSS with %,d,"
                            + " after %,d%n",
                    heapWith,
                    heapWithout,
                    heapWith - heapWithout,
                    (double) (heapWith - heapWithout) / seriesCount,
                    (double) (heapWith - heapWithout) / (services * (long) Fleet.WATCHED),
                    rssWith,
                    rssWithout);
        }
    }

    /** The live heap: used bytes after two full collections. */
    private static long liveHeap() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The live objects by class (jcmd GC.class_histogram of this JVM), into {@code file}. */
    private static void histogram(Path file) throws IOException, InterruptedException {
        Process jcmd =
                new ProcessBuilder(
                                "jcmd",
                                Long.toString(ProcessHandle.current().pid()),
                                "GC.class_histogram")
                        .redirectErrorStream(true)
                        .redirectOutput(file.toFile())
                        .start();
        if (!jcmd.waitFor(2, TimeUnit.MINUTES)) jcmd.destroy();
    }

    /** Resident set size of this process (Linux), 0 where /proc is missing. */
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** Checkpointed state bytes per job vertex (operator chain), largest first. */
    private static String byVertex(AccessExecutionGraph graph, AbstractCheckpointStats stats) {
        List<String> parts = new ArrayList<>();
        List<TaskStateStats> tasks = new ArrayList<>(stats.getAllTaskStateStats());
        tasks.sort((a, b) -> Long.compare(b.getStateSize(), a.getStateSize()));
        for (TaskStateStats t : tasks) {
            if (t.getStateSize() < 1024) continue;
            AccessExecutionJobVertex v = graph.getJobVertex(t.getJobVertexId());
            parts.add(
                    String.format(
                            Locale.ROOT,
                            "%s=%,d",
                            v == null ? t.getJobVertexId() : v.getName(),
                            t.getStateSize()));
        }
        return String.join("; ", parts);
    }

    private static DataStream<Decoded> empty(StreamExecutionEnvironment env, String stream) {
        // fromData of an empty collection fails in Flink 2.2; one placeholder filtered out is an
        // empty, finished stream (as the replay does for a stream without files).
        return env.fromData(
                        TypeInformation.of(Decoded.class),
                        new Decoded(Long.MIN_VALUE, null, null, null, null, null))
                .name("no " + stream)
                .uid("no-" + stream)
                .filter(new NoRecords())
                .name("no " + stream + " records")
                .uid("no-" + stream + "-records");
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition condition, Duration limit, String what) {
        await(what)
                .atMost(limit)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> condition.holds());
    }

    private static long size(Path root) throws IOException {
        if (!Files.exists(root)) return 0;
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            p -> {
                                try {
                                    return Files.size(p);
                                } catch (IOException e) {
                                    return 0; // a file RocksDB removed meanwhile
                                }
                            })
                    .sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static Duration parseDuration(String text) {
        return io.incidentanalyzer.config.DurationText.parse(text);
    }
}
