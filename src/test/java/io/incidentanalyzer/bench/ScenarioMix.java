package io.incidentanalyzer.bench;

import io.incidentanalyzer.config.DeliveryMode;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.KafkaSettings;
import io.incidentanalyzer.config.StartingOffsets;
import io.incidentanalyzer.config.Topics;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.simulate.KafkaSink;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.SimulationSink;
import io.incidentanalyzer.simulate.Simulator;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code watermelon} mix of {@link EndToEndBenchmark}: the records {@code bin/analyzer
 * simulate} writes for the Watermelon scenario (all four streams, in the proportions the simulator
 * gives them), produced with the simulator's own Kafka sink, and the scenario's job file with the
 * benchmark's topics and group.
 */
final class ScenarioMix {
    static final String SCENARIO = "jobs/scenarios/watermelon-2024-02-16.yaml";

    private ScenarioMix() {}

    private static ScenarioLoader.Loaded scenario() {
        return ScenarioLoader.loadResource(SCENARIO);
    }

    /**
     * Simulates the scenario and writes its first {@code limit} records (in the simulator's order,
     * which is event time) to {@code topics}; returns how many the broker acknowledged.
     */
    static long produce(
            String bootstrap, EndToEndBenchmark.InputTopics topics, long limit, String what)
            throws IOException {
        ScenarioLoader.Loaded loaded = scenario();
        JobConfig job = withTopics(loaded.job(), loaded.job().kafka(), topics, "unused");
        ScenarioLoader.Loaded into =
                new ScenarioLoader.Loaded(loaded.source(), loaded.scenario(), job);
        long start = System.nanoTime();
        FirstRecords sink = new FirstRecords(new KafkaSink(job, bootstrap), limit);
        try (sink) {
            new Simulator(into, loaded.scenario().seed()).run(sink);
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "Produced %,d %s records of %s (metrics %,d, auth %,d, logs %,d, changes %,d;"
                        + " bytes %,d) in %.1f s (not part of the figures)%n",
                sink.written,
                what,
                loaded.scenario().name(),
                sink.count(StreamKind.METRICS),
                sink.count(StreamKind.AUTH),
                sink.count(StreamKind.LOGS),
                sink.count(StreamKind.CHANGES),
                sink.bytes,
                s);
        return sink.written;
    }

    /** The scenario's job file reading {@code topics}, its outputs and group named by prefix. */
    static JobConfig config(String prefix, EndToEndBenchmark.InputTopics topics) {
        JobConfig job = scenario().job();
        KafkaSettings k = job.kafka();
        KafkaSettings kafka =
                new KafkaSettings(
                        prefix,
                        StartingOffsets.EARLIEST,
                        DeliveryMode.EXACTLY_ONCE,
                        k.checkpointInterval(),
                        k.transactionTimeout(),
                        k.properties());
        return withTopics(job, kafka, topics, prefix);
    }

    private static JobConfig withTopics(
            JobConfig job,
            KafkaSettings kafka,
            EndToEndBenchmark.InputTopics in,
            String outputPrefix) {
        Topics t = job.topics();
        Topics topics =
                new Topics(
                        rename(t.metrics(), in.metrics()),
                        rename(t.auth(), in.auth()),
                        rename(t.logs(), in.logs()),
                        rename(t.changes(), in.changes()),
                        outputPrefix + ".incidents",
                        outputPrefix + ".dead-letter",
                        outputPrefix + ".status-updates",
                        outputPrefix + ".reviews");
        return job.withKafka(kafka).withTopics(topics);
    }

    private static InputTopic rename(InputTopic t, String name) {
        return new InputTopic(name, t.format(), t.serviceFrom(), t.service(), t.timestampUnits());
    }

    /** Passes the first {@code limit} records on and drops the rest, counting per stream. */
    private static final class FirstRecords implements SimulationSink {
        private final SimulationSink next;
        private final long limit;
        private final Map<StreamKind, Long> counts = new EnumMap<>(StreamKind.class);
        long written;
        long bytes;

        FirstRecords(SimulationSink next, long limit) {
            this.next = next;
            this.limit = limit;
        }

        long count(StreamKind kind) {
            return counts.getOrDefault(kind, 0L);
        }

        @Override
        public void emit(StreamKind stream, long ts, String key, String json) throws IOException {
            if (written >= limit) return;
            next.emit(stream, ts, key, json);
            written++;
            bytes += json.length();
            counts.merge(stream, 1L, Long::sum);
        }

        @Override
        public void close() throws IOException {
            next.close();
        }
    }
}
