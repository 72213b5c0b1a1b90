package io.incidentanalyzer.job;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.TailTrackingSource;
import io.incidentanalyzer.model.Decoded;
import java.nio.file.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The analyzer as a Flink job on Kafka: four sources, the {@link IncidentPipeline}, and sinks for
 * incident events and dead letters. {@link #main} is the entry point for {@code flink run} on a
 * cluster; {@code bin/analyzer run} and {@code demo} call {@link #define} on a local MiniCluster.
 */
public final class IncidentAnalyzerJob {

    private IncidentAnalyzerJob() {}

    /** {@code flink run incident-analyzer-job.jar --job FILE --bootstrap HOST:PORT} */
    public static void main(String[] args) throws Exception {
        JobConfig config;
        String bootstrap;
        try {
            String[] parsed = parseArgs(args);
            config = JobConfigLoader.load(Path.of(parsed[0]));
            bootstrap = parsed[1];
        } catch (ConfigException e) {
            // A user's mistake: the message says what to fix; a stack trace would bury it.
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        define(env, config, bootstrap, false);
        env.execute(jobName(config));
    }

    /** Returns {job file, bootstrap}. */
    static String[] parseArgs(String[] args) {
        String job = null;
        String bootstrap = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--job" -> job = value;
                case "--bootstrap" -> bootstrap = value;
                default ->
                        throw new ConfigException(
                                "unknown argument '"
                                        + args[i]
                                        + "'; usage: --job FILE --bootstrap HOST:PORT");
            }
            i++;
        }
        if (job == null || bootstrap == null) {
            throw new ConfigException("usage: --job FILE --bootstrap HOST:PORT (both required)");
        }
        return new String[] {job, bootstrap};
    }

    public static String jobName(JobConfig config) {
        return "incident-analyzer " + config.environment();
    }

    /**
     * Adds the whole job to {@code env}: the pipeline's settings ({@link
     * IncidentPipeline#configure}), checkpointing (the exactly-once sinks commit on it), sources,
     * pipeline and sinks.
     */
    public static IncidentPipeline.Outputs define(
            StreamExecutionEnvironment env, JobConfig config, String bootstrap, boolean bounded) {
        IncidentPipeline.configure(env);
        env.enableCheckpointing(config.kafka().checkpointInterval().toMillis());

        KafkaConnectors kafka = new KafkaConnectors(config, bootstrap, bounded);
        Watermarks time = config.watermarks();
        IncidentPipeline.Inputs inputs =
                new IncidentPipeline.Inputs(
                        source(env, kafka, time, config.topics().metrics(), StreamKind.METRICS),
                        source(env, kafka, time, config.topics().auth(), StreamKind.AUTH),
                        source(env, kafka, time, config.topics().logs(), StreamKind.LOGS),
                        source(env, kafka, time, config.topics().changes(), StreamKind.CHANGES),
                        externalAlerts(env, kafka, time, config.topics().externalAlerts()),
                        traces(env, kafka, time, config.topics().traces()));

        IncidentPipeline.Outputs out = IncidentPipeline.build(config, inputs);
        out.incidents().sinkTo(kafka.incidentSink()).name("incidents topic").uid("sink-incidents");
        if (config.topics().alerts() != null) {
            // The same events without waiting for a checkpoint (docs/operations.md#alert-latency).
            out.incidents()
                    .keyBy(new IncidentPipeline.IncidentKey())
                    .process(new AlertSequencer())
                    .name("alert sequence")
                    .uid("sequence-alerts")
                    .sinkTo(kafka.alertSink())
                    .name("alerts topic")
                    .uid("sink-alerts");
        }
        out.statusUpdates()
                .sinkTo(kafka.statusUpdateSink())
                .name("status-updates topic")
                .uid("sink-status-updates");
        out.deadLetters()
                .sinkTo(kafka.deadLetterSink())
                .name("dead-letter topic")
                .uid("sink-dead-letters");
        return out;
    }

    /** The optional externalAlerts topic's source; null when the job reads none. */
    private static DataStream<Decoded> externalAlerts(
            StreamExecutionEnvironment env,
            KafkaConnectors kafka,
            Watermarks time,
            InputTopic topic) {
        if (topic == null) return null;
        TailTrackingSource source = kafka.externalAlertSource(topic);
        return env.fromSource(
                        source, source.watermarks(time), "external-alerts topic " + topic.name())
                .uid("source-external-alerts");
    }

    /** The optional traces topic's source; null when the job reads none. */
    private static DataStream<Decoded> traces(
            StreamExecutionEnvironment env,
            KafkaConnectors kafka,
            Watermarks time,
            InputTopic topic) {
        if (topic == null) return null;
        TailTrackingSource source = kafka.traceSource(topic);
        return env.fromSource(source, source.watermarks(time), "traces topic " + topic.name())
                .uid("source-traces");
    }

    private static DataStream<Decoded> source(
            StreamExecutionEnvironment env,
            KafkaConnectors kafka,
            Watermarks time,
            InputTopic topic,
            StreamKind kind) {
        String name = kind.name().toLowerCase();
        TailTrackingSource source = kafka.source(topic, kind);
        return env.fromSource(source, source.watermarks(time), name + " topic " + topic.name())
                .uid("source-" + name);
    }
}
