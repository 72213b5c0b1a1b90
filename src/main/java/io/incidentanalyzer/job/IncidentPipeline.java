package io.incidentanalyzer.job;

import io.incidentanalyzer.config.DependencyDriftSettings;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.SaturationRule;
import io.incidentanalyzer.correlate.IncidentCorrelator;
import io.incidentanalyzer.detect.DependencyDriftDetector;
import io.incidentanalyzer.detect.ErrorPatternDetector;
import io.incidentanalyzer.detect.EventTimeOrderedFunction;
import io.incidentanalyzer.detect.HostReport;
import io.incidentanalyzer.detect.HostReports;
import io.incidentanalyzer.detect.SaturationDetector;
import io.incidentanalyzer.ingest.InputRouter;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Signal;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The analyzer's dataflow, independent of where events come from and go to: decoded inputs in,
 * signals, incident events and dead letters out. {@link IncidentAnalyzerJob} attaches Kafka; tests
 * attach in-memory streams.
 *
 * <pre>
 * inputs ─► route (events | rejects) ─► saturation detector (keyBy series) ─► signals
 * logs ─► host reports ─► dependency-drift detector (keyBy dependency) ─► signals
 * logs ─► error-pattern detector (keyBy service) ─► signals
 * signals ─► correlator (keyBy environment) ─► incident events
 * rejects + late events ─► dead letters
 * </pre>
 */
public final class IncidentPipeline {

    /** What the pipeline produces. */
    public record Outputs(
            DataStream<Signal> signals,
            DataStream<IncidentEvent> incidents,
            DataStream<DeadLetter> deadLetters) {}

    /** The four decoded inputs, with event-time timestamps and watermarks already assigned. */
    public record Inputs(
            DataStream<Decoded> metrics,
            DataStream<Decoded> auth,
            DataStream<Decoded> logs,
            DataStream<Decoded> changes) {}

    private IncidentPipeline() {}

    /**
     * The environment settings every run of the pipeline needs, whatever its sources and sinks: the
     * Kafka job, replays and tests call this before {@link #build}. Stream and state types are
     * Flink POJOs; a fallback to Kryo is a bug, so generic types are switched off to fail fast.
     */
    public static void configure(StreamExecutionEnvironment env) {
        Configuration settings = new Configuration();
        settings.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(settings);
    }

    public static Outputs build(JobConfig config, Inputs in) {
        SingleOutputStreamOperator<MetricSample> metrics =
                route(in.metrics(), InputRouter.metrics());
        // Auth and changes are decoded, counted and dead-lettered now; their detectors
        // (token storm, auth failures, change effects) attach to these streams later.
        SingleOutputStreamOperator<AuthEvent> auth = route(in.auth(), InputRouter.auth());
        SingleOutputStreamOperator<LogEvent> logs = route(in.logs(), InputRouter.logs());
        SingleOutputStreamOperator<ChangeEvent> changes =
                route(in.changes(), InputRouter.changes());

        List<SaturationRule> rules = config.detectors().saturation();
        SingleOutputStreamOperator<Signal> saturation =
                metrics.filter(new WatchedBySaturationRule(rules))
                        .name("saturation watched series")
                        .uid("filter-saturation")
                        .keyBy(new SeriesKey())
                        .process(new SaturationDetector(config.environment(), rules))
                        .name("saturation detector")
                        .uid("detect-saturation");

        DependencyDriftSettings drift = config.detectors().dependencyDrift();
        SingleOutputStreamOperator<Signal> dependencyDrift =
                logs.flatMap(new HostReports(drift.attributes()))
                        .name("dependency host reports")
                        .uid("extract-host-reports")
                        .keyBy(new DependencyKey())
                        .process(
                                new DependencyDriftDetector(
                                        config.environment(),
                                        drift,
                                        DependencyDriftDetector.configuredHosts(config.services())))
                        .name("dependency-drift detector")
                        .uid("detect-dependency-drift");

        SingleOutputStreamOperator<Signal> errorPatterns =
                logs.keyBy(new LogServiceKey())
                        .process(
                                new ErrorPatternDetector(
                                        config.environment(), config.detectors().errorPatterns()))
                        .name("error-pattern detector")
                        .uid("detect-error-patterns");

        DataStream<Signal> signals = saturation.union(dependencyDrift, errorPatterns);

        SingleOutputStreamOperator<IncidentEvent> incidents =
                signals.keyBy(new EnvironmentKey())
                        .process(new IncidentCorrelator())
                        .name("incident correlator")
                        .uid("correlate-incidents");

        DataStream<DeadLetter> deadLetters =
                metrics.getSideOutput(InputRouter.REJECTED)
                        .union(
                                auth.getSideOutput(InputRouter.REJECTED),
                                logs.getSideOutput(InputRouter.REJECTED),
                                changes.getSideOutput(InputRouter.REJECTED),
                                saturation.getSideOutput(EventTimeOrderedFunction.LATE),
                                dependencyDrift.getSideOutput(EventTimeOrderedFunction.LATE),
                                errorPatterns.getSideOutput(EventTimeOrderedFunction.LATE),
                                incidents.getSideOutput(EventTimeOrderedFunction.LATE));

        return new Outputs(signals, incidents, deadLetters);
    }

    private static <T> SingleOutputStreamOperator<T> route(
            DataStream<Decoded> input, InputRouter<T> router) {
        return input.process(router)
                .name("route " + router.stream())
                .uid("route-" + router.stream());
    }

    /** Keeps the samples some saturation rule watches, before the shuffle to the detector. */
    static final class WatchedBySaturationRule implements FilterFunction<MetricSample> {
        private static final long serialVersionUID = 1L;
        private final List<SaturationRule> rules;

        WatchedBySaturationRule(List<SaturationRule> rules) {
            this.rules = List.copyOf(rules);
        }

        @Override
        public boolean filter(MetricSample s) {
            return SaturationDetector.ruleFor(rules, s.service(), s.metric()) >= 0;
        }
    }

    static final class SeriesKey implements KeySelector<MetricSample, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(MetricSample s) {
            return s.seriesKey();
        }
    }

    /**
     * Reports keyed by dependency, so one key sees every caller of it. The job watches one
     * environment, so the dependency's name alone is unique.
     */
    static final class DependencyKey implements KeySelector<HostReport, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(HostReport r) {
            return r.dependency();
        }
    }

    static final class LogServiceKey implements KeySelector<LogEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(LogEvent e) {
            return e.service();
        }
    }

    static final class EnvironmentKey implements KeySelector<Signal, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Signal s) {
            return s.environment();
        }
    }
}
