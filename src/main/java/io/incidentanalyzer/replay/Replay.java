package io.incidentanalyzer.replay;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.embedded.LocalCluster;
import io.incidentanalyzer.ingest.InputWatermarks;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.job.IncidentPipeline;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.ServiceEdge;
import io.incidentanalyzer.model.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the analyzer's pipeline, bounded, over recorded input files instead of Kafka: the same
 * decoders, watermarks and {@link IncidentPipeline} as the Kafka job, so a replay gives the
 * incident events a streaming run of the same input gives. The job runs in streaming mode (not
 * batch): event time, watermarks and late events behave exactly as they do on Kafka. There is no
 * checkpointing and no restart; a failure fails the replay.
 *
 * <p>Outputs are collected with Flink's collect sinks and drained concurrently, so no output waits
 * for another; {@link #run} returns when the job has finished and every output is complete.
 */
public final class Replay {
    /** How long a stopped replay waits for its job to end. */
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(20);

    /** How often {@link ReplayProgress#update} is called while a replay runs. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

    private static final Comparator<Signal> SIGNAL_ORDER =
            Comparator.comparingLong(Signal::ts)
                    .thenComparing(Signal::id)
                    .thenComparing(Signal::state);

    private static final Comparator<DeadLetter> DEAD_LETTER_ORDER =
            Comparator.comparing(DeadLetter::sourceTopic, Comparator.nullsFirst(String::compareTo))
                    .thenComparingInt(DeadLetter::partition)
                    .thenComparingLong(DeadLetter::offset)
                    .thenComparing(DeadLetter::reason)
                    .thenComparing(DeadLetter::detail, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(DeadLetter::raw, Comparator.nullsFirst(String::compareTo));

    private static final Comparator<ServiceEdge> EDGE_ORDER =
            Comparator.comparing(ServiceEdge::caller).thenComparing(ServiceEdge::callee);

    private Replay() {}

    /**
     * Replays {@code inputDir} on a new local MiniCluster (no metrics endpoint).
     *
     * @param inputDir recorded input, see {@link RecordedInput}
     * @param parallelism parallelism of the job, at least 1
     * @param progress told about progress while the replay runs; may be null
     * @throws ConfigException when the input directory is missing or holds no recorded input
     * @throws ReplayFailedException when the Flink job fails
     */
    public static ReplayResult run(
            JobConfig config, Path inputDir, int parallelism, ReplayProgress progress) {
        if (parallelism < 1) {
            throw new ConfigException("parallelism must be at least 1, got " + parallelism);
        }
        RecordedInput input = RecordedInput.find(inputDir);
        return run(config, input, LocalCluster.bounded(parallelism, OptionalInt.empty()), progress);
    }

    /**
     * Replays {@code inputDir} on {@code env}, which must execute in this JVM (a local environment
     * or MiniCluster): progress and {@link ReplayResult#eventsRead()} are counted in memory shared
     * with the file readers.
     */
    public static ReplayResult run(
            JobConfig config,
            Path inputDir,
            StreamExecutionEnvironment env,
            ReplayProgress progress) {
        return run(config, RecordedInput.find(inputDir), env, progress);
    }

    private static ReplayResult run(
            JobConfig config,
            RecordedInput input,
            StreamExecutionEnvironment env,
            ReplayProgress progress) {
        long start = System.nanoTime();
        ReplayCounters counters = ReplayCounters.register();
        ScheduledExecutorService reporter = null;
        try {
            IncidentPipeline.Outputs out = define(env, config, input, counters.id());
            CloseableIterator<IncidentEvent> incidents = out.incidents().collectAsync();
            CloseableIterator<Signal> signals = out.signals().collectAsync();
            CloseableIterator<DeadLetter> deadLetters = out.deadLetters().collectAsync();
            CloseableIterator<ServiceEdge> edges =
                    out.serviceGraph() == null ? null : out.serviceGraph().collectAsync();

            if (progress != null) {
                reporter = Executors.newSingleThreadScheduledExecutor(daemon("replay-progress"));
                reporter.scheduleAtFixedRate(
                        () -> report(progress, counters, start, false),
                        PROGRESS_INTERVAL.toMillis(),
                        PROGRESS_INTERVAL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            JobClient job = execute(env, "incident-analyzer replay " + config.environment());
            Collected collected = collect(job, incidents, signals, deadLetters, edges, input);
            if (reporter != null) {
                stop(reporter);
                reporter = null;
            }
            if (progress != null) {
                report(progress, counters, start, true);
            }
            collected.signals.sort(SIGNAL_ORDER);
            collected.deadLetters.sort(DEAD_LETTER_ORDER);
            collected.edges.sort(EDGE_ORDER);
            return new ReplayResult(
                    collected.incidents,
                    collected.signals,
                    collected.deadLetters,
                    counters.records(),
                    collected.edges);
        } finally {
            if (reporter != null) {
                stop(reporter);
            }
            counters.unregister();
        }
    }

    /** Adds file sources, the pipeline and its settings to {@code env}; no sinks. */
    static IncidentPipeline.Outputs define(
            StreamExecutionEnvironment env,
            JobConfig config,
            RecordedInput input,
            String countersId) {
        IncidentPipeline.configure(env);
        // Streaming, not batch: batch mode would sort input and skip watermarks, and lateness
        // would no longer behave as on Kafka. Bounded and uncheckpointed: a failure is final.
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        Configuration settings = new Configuration();
        settings.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(settings);

        WatermarkStrategy<Decoded> time = InputWatermarks.forReplay(config.watermarks());
        Sources sources = new Sources(env, config, input, time, countersId);
        IncidentPipeline.Inputs inputs =
                new IncidentPipeline.Inputs(
                        sources.of(StreamKind.METRICS, config.topics().metrics()),
                        sources.of(StreamKind.AUTH, config.topics().auth()),
                        sources.of(StreamKind.LOGS, config.topics().logs()),
                        sources.of(StreamKind.CHANGES, config.topics().changes()),
                        sources.optional(
                                RecordedInput.EXTERNAL_ALERTS,
                                "external-alerts",
                                config.topics().externalAlerts(),
                                t -> RecordDecoders.forExternalAlerts(t, config.limits())),
                        sources.optional(
                                RecordedInput.TRACES,
                                "traces",
                                config.topics().traces(),
                                t -> RecordDecoders.forTraces(t, config.limits())));
        return IncidentPipeline.build(config, inputs);
    }

    /** One bounded FileSource per recorded file, decoding with the topic's decoder. */
    private record Sources(
            StreamExecutionEnvironment env,
            JobConfig config,
            RecordedInput input,
            WatermarkStrategy<Decoded> time,
            String countersId) {

        DataStream<Decoded> of(StreamKind kind, InputTopic topic) {
            return of(
                    RecordedInput.streamName(kind),
                    input.files().get(kind),
                    topic,
                    RecordDecoders.forTopic(topic, kind, config.limits()));
        }

        /**
         * An optional input's files ({@code traces.jsonl}, …): null when the job has no such topic
         * and there are none; files of an input the job does not read are a mistake, not skipped.
         */
        DataStream<Decoded> optional(
                String name,
                String stream,
                InputTopic topic,
                java.util.function.Function<InputTopic, RecordDecoder> decoder) {
            List<Path> files = input.optional().get(name);
            if (topic == null) {
                if (!files.isEmpty()) {
                    throw new ConfigException(
                            files.get(0)
                                    + ": the job file has no topics."
                                    + name
                                    + " to read it with; add one or move the file away");
                }
                return null;
            }
            return of(stream, files, topic, decoder.apply(topic));
        }

        private DataStream<Decoded> of(
                String stream, List<Path> files, InputTopic topic, RecordDecoder decoder) {
            if (files.isEmpty()) {
                // fromData of an empty collection fails in Flink 2.2 (its generator emits one
                // element anyway); one placeholder filtered out is an empty, finished stream.
                return env.fromData(
                                TypeInformation.of(Decoded.class),
                                new Decoded(Long.MIN_VALUE, null, null, null, null, null))
                        .name("no " + stream + " input")
                        .uid("replay-empty-" + stream)
                        .filter(new NoRecords())
                        .name("no " + stream + " records")
                        .uid("replay-empty-filter-" + stream);
            }
            DataStream<Decoded> union = null;
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                String name = input.topicOf(file);
                FileSource<Decoded> source =
                        FileSource.forRecordStreamFormat(
                                        new JsonLinesFormat(
                                                name,
                                                decoder,
                                                countersId,
                                                config.limits().maxFuture(),
                                                topic.format().binary()),
                                        new org.apache.flink.core.fs.Path(
                                                file.toAbsolutePath().toUri()))
                                .build();
                DataStream<Decoded> one =
                        env.fromSource(source, time, stream + " file " + name)
                                .uid("replay-source-" + stream + "-" + i);
                union = union == null ? one : union.union(one);
            }
            return union;
        }
    }

    /** Drops everything: the empty input of a stream without recorded files. */
    private static final class NoRecords implements FilterFunction<Decoded> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(Decoded d) {
            return false;
        }
    }

    private static JobClient execute(StreamExecutionEnvironment env, String name) {
        try {
            return env.executeAsync(name);
        } catch (Exception e) {
            throw new ReplayFailedException("could not start the replay job: " + rootCause(e), e);
        }
    }

    private static final class Collected {
        final List<IncidentEvent> incidents = new ArrayList<>();
        final List<Signal> signals = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<ServiceEdge> edges = new ArrayList<>();
    }

    /**
     * Drains the collect iterators at once: a collect sink whose buffer is full waits for its
     * client, so draining one to its end before the next could wait forever.
     */
    private static Collected collect(
            JobClient job,
            CloseableIterator<IncidentEvent> incidents,
            CloseableIterator<Signal> signals,
            CloseableIterator<DeadLetter> deadLetters,
            CloseableIterator<ServiceEdge> edges,
            RecordedInput input) {
        Collected c = new Collected();
        ExecutorService pool = Executors.newFixedThreadPool(4, daemon("replay-collect"));
        try {
            List<Future<?>> drains = new ArrayList<>();
            drains.add(pool.submit(() -> drain(incidents, c.incidents)));
            drains.add(pool.submit(() -> drain(signals, c.signals)));
            drains.add(pool.submit(() -> drain(deadLetters, c.deadLetters)));
            if (edges != null) drains.add(pool.submit(() -> drain(edges, c.edges)));
            for (Future<?> f : drains) {
                f.get();
            }
            job.getJobExecutionResult().get();
            return c;
        } catch (InterruptedException e) {
            // Stopped (Ctrl-C): the job ends before its collect iterators and the cluster go.
            LocalCluster.cancelAndWait(job, CANCEL_TIMEOUT);
            Thread.currentThread().interrupt();
            throw new ReplayFailedException("replay of " + input.dir() + " interrupted", e);
        } catch (ExecutionException e) {
            job.cancel();
            throw new ReplayFailedException(
                    "replay of " + input.dir() + " failed: " + rootCause(e), e.getCause());
        } finally {
            pool.shutdownNow();
            closeQuietly(incidents);
            closeQuietly(signals);
            closeQuietly(deadLetters);
            if (edges != null) closeQuietly(edges);
        }
    }

    private static <T> Void drain(CloseableIterator<T> it, List<T> into) {
        it.forEachRemaining(into::add);
        return null;
    }

    private static void report(
            ReplayProgress progress, ReplayCounters counters, long startNanos, boolean done) {
        try {
            progress.update(
                    new ReplayProgress.Snapshot(
                            counters.records(),
                            counters.maxEventTime(),
                            Duration.ofNanos(System.nanoTime() - startNanos),
                            done));
        } catch (RuntimeException e) {
            // A display problem must not fail or stop the replay.
        }
    }

    private static void stop(ScheduledExecutorService reporter) {
        reporter.shutdownNow();
        try {
            // No progress call may overlap or follow the final one.
            reporter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(CloseableIterator<?> it) {
        try {
            it.close();
        } catch (Exception e) {
            // The job is over or cancelled; nothing left to release.
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
