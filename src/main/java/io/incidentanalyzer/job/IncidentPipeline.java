package io.incidentanalyzer.job;

import io.incidentanalyzer.config.BacklogRule;
import io.incidentanalyzer.config.BaselineShiftSettings;
import io.incidentanalyzer.config.DependencyDriftSettings;
import io.incidentanalyzer.config.DetectorSettings;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.MetricRule;
import io.incidentanalyzer.config.SaturationRule;
import io.incidentanalyzer.correlate.CorrelatorInput;
import io.incidentanalyzer.correlate.IncidentCorrelator;
import io.incidentanalyzer.detect.BacklogDetector;
import io.incidentanalyzer.detect.BaselineShiftDetector;
import io.incidentanalyzer.detect.DependencyDriftDetector;
import io.incidentanalyzer.detect.ErrorPatternDetector;
import io.incidentanalyzer.detect.HostReport;
import io.incidentanalyzer.detect.HostReports;
import io.incidentanalyzer.detect.MetricDetector;
import io.incidentanalyzer.detect.SaturationDetector;
import io.incidentanalyzer.detect.auth.AuthFailureDetector;
import io.incidentanalyzer.detect.auth.RefreshStormDetector;
import io.incidentanalyzer.draft.IncidentDrafter;
import io.incidentanalyzer.ingest.AlertEpisodes;
import io.incidentanalyzer.ingest.CumulativeRates;
import io.incidentanalyzer.ingest.InputRouter;
import io.incidentanalyzer.ingest.trace.CallEdgeAggregator;
import io.incidentanalyzer.ingest.trace.SpanLinker;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventSerializer;
import io.incidentanalyzer.model.CallEdge;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.ServiceEdge;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.Span;
import io.incidentanalyzer.model.StatusPageIncident;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.util.List;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
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
 * metrics ─► metric detectors (keyBy series): saturation, baseline shift, backlog ─┐
 * auth ─► logins, refreshes, logouts ─► refresh-storm detector (keyBy token svc) ──┤
 * auth ─► MISSING_TOKEN, VERIFY_ERROR ─► auth-failure detector (keyBy caller) ──────┼─► signals
 * logs ─► host reports ─► dependency-drift detector (keyBy dependency) ─────────────┤
 * logs ─► error-pattern detector (keyBy service) ───────────────────────────────────┤
 * external alerts (optional) ─► alert episodes (keyBy alert) ───────────────────────┘
 * traces (optional) ─► span linker (keyBy trace) ─► call edge metrics (keyBy edge) ─► metrics
 * signals + changes ─► correlator (keyBy environment) ─► drafter (keyBy incident) ─► incident events
 * incident events at each lifecycle step ─► Statuspage documents (status updates)
 * rejects + late events ─► dead letters
 * </pre>
 */
public final class IncidentPipeline {

    /**
     * What the pipeline produces.
     *
     * @param serviceGraph the edges learned from traces, each once when first seen; null when the
     *     job reads no traces
     */
    public record Outputs(
            DataStream<Signal> signals,
            DataStream<IncidentEvent> incidents,
            DataStream<StatusPageIncident> statusUpdates,
            DataStream<DeadLetter> deadLetters,
            DataStream<ServiceEdge> serviceGraph) {

        public Outputs(
                DataStream<Signal> signals,
                DataStream<IncidentEvent> incidents,
                DataStream<StatusPageIncident> statusUpdates,
                DataStream<DeadLetter> deadLetters) {
            this(signals, incidents, statusUpdates, deadLetters, null);
        }
    }

    /**
     * The decoded inputs, with event-time timestamps and watermarks already assigned.
     *
     * @param externalAlerts the optional input of a team's own alerts, read as signals; null for
     *     none
     * @param traces the optional input of spans; null for none
     */
    public record Inputs(
            DataStream<Decoded> metrics,
            DataStream<Decoded> auth,
            DataStream<Decoded> logs,
            DataStream<Decoded> changes,
            DataStream<Decoded> externalAlerts,
            DataStream<Decoded> traces) {

        /** The inputs without traces. */
        public Inputs(
                DataStream<Decoded> metrics,
                DataStream<Decoded> auth,
                DataStream<Decoded> logs,
                DataStream<Decoded> changes,
                DataStream<Decoded> externalAlerts) {
            this(metrics, auth, logs, changes, externalAlerts, null);
        }

        /** The four event inputs, without external alerts. */
        public Inputs(
                DataStream<Decoded> metrics,
                DataStream<Decoded> auth,
                DataStream<Decoded> logs,
                DataStream<Decoded> changes) {
            this(metrics, auth, logs, changes, null);
        }
    }

    private IncidentPipeline() {}

    /**
     * The environment settings every run of the pipeline needs, whatever its sources and sinks: the
     * Kafka job, replays and tests call this before {@link #build}. Stream and state types are
     * Flink POJOs; a fallback to Kryo is a bug, so generic types are switched off to fail fast.
     */
    public static void configure(StreamExecutionEnvironment env) {
        Configuration settings = new Configuration();
        settings.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators pass records on without a copy. Safe here: sources and decoders make
        // a new object per record, stream types are records (immutable) or never changed after
        // they are emitted, and no chained operator keeps an input beyond its call (the keyed
        // detectors that buffer events read them from the network, a fresh copy). Copying cost more
        // than half of
        // a replay's auth task thread (the decoded envelope into the router, each event into both
        // auth filters: docs/benchmarks.md).
        settings.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(settings);
    }

    public static Outputs build(JobConfig config, Inputs in) {
        SingleOutputStreamOperator<MetricSample> routedMetrics =
                route(in.metrics(), InputRouter.metrics());
        DataStream<MetricSample> metrics =
                config.topics().metrics().format().emitsRunningTotals()
                        ? withRates(routedMetrics)
                        : routedMetrics;
        SingleOutputStreamOperator<Span> spans = null;
        SingleOutputStreamOperator<CallEdge> calls = null;
        SingleOutputStreamOperator<MetricSample> edgeSamples = null;
        if (in.traces() != null) {
            // Spans → calls between services (keyBy trace) → edge metrics per bucket (keyBy edge),
            // read by the metric detectors like any other sample.
            spans = route(in.traces(), InputRouter.traces());
            calls =
                    spans.keyBy(new TraceKey())
                            .process(new SpanLinker())
                            .name("span linker")
                            .uid("link-spans");
            edgeSamples =
                    calls.keyBy(new EdgeKey())
                            .process(new CallEdgeAggregator(config.dependsOn()))
                            .name("call edge metrics")
                            .uid("aggregate-call-edges");
            metrics = metrics.union(edgeSamples);
        }
        SingleOutputStreamOperator<AuthEvent> auth = route(in.auth(), InputRouter.auth());
        SingleOutputStreamOperator<LogEvent> logs = route(in.logs(), InputRouter.logs());
        SingleOutputStreamOperator<ChangeEvent> changes =
                route(in.changes(), InputRouter.changes());

        DetectorSettings detectors = config.detectors();
        List<SaturationRule> rules = detectors.saturation();
        SingleOutputStreamOperator<Signal> saturation =
                metricDetector(
                        metrics,
                        rules,
                        new SaturationDetector(config.environment(), rules),
                        "saturation");
        BaselineShiftSettings shift = detectors.baselineShift();
        SingleOutputStreamOperator<Signal> baselineShift =
                metricDetector(
                        metrics,
                        shift.rules(),
                        new BaselineShiftDetector(config.environment(), shift),
                        "baseline-shift");
        List<BacklogRule> backlog = detectors.backlog();
        SingleOutputStreamOperator<Signal> backlogGrowth =
                metricDetector(
                        metrics,
                        backlog,
                        new BacklogDetector(config.environment(), backlog),
                        "backlog");
        // Each auth detector gets only the event types it counts, filtered before the shuffle:
        // every event it keeps waits in its event-time ordering buffer. The shuffles carry them
        // with a hand-written serializer (most auth events cross one: AuthEventSerializer).
        SingleOutputStreamOperator<Signal> refreshStorms =
                auth.filter(new TokenGrants())
                        .returns(AuthEventSerializer.TYPE)
                        .name("token grants and refreshes")
                        .uid("filter-refresh-storm")
                        .keyBy(new TokenServiceKey())
                        .process(
                                new RefreshStormDetector(
                                        config.environment(), config.detectors().refreshStorm()))
                        .name("refresh storm detector")
                        .uid("detect-refresh-storm");
        SingleOutputStreamOperator<Signal> authFailures =
                auth.filter(new AuthFailures())
                        .returns(AuthEventSerializer.TYPE)
                        .name("missing tokens and failed verifications")
                        .uid("filter-auth-failures")
                        .keyBy(new CallerKey())
                        .process(
                                new AuthFailureDetector(
                                        config.environment(), config.detectors().authFailures()))
                        .name("auth failure detector")
                        .uid("detect-auth-failures");
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

        List<SingleOutputStreamOperator<Signal>> detected =
                List.of(
                        saturation,
                        baselineShift,
                        backlogGrowth,
                        refreshStorms,
                        authFailures,
                        dependencyDrift,
                        errorPatterns);
        DataStream<Signal> signals =
                saturation.union(
                        baselineShift,
                        backlogGrowth,
                        refreshStorms,
                        authFailures,
                        dependencyDrift,
                        errorPatterns);
        SingleOutputStreamOperator<Signal> alerts = null;
        if (in.externalAlerts() != null) {
            // A team's own alerts join the detectors' signals, one OPEN and one CLEAR an episode.
            alerts = route(in.externalAlerts(), InputRouter.externalAlerts());
            signals =
                    signals.union(
                            alerts.keyBy(new AlertEpisodes.AlertKey())
                                    .process(new AlertEpisodes(config.environment()))
                                    .name("alert episodes")
                                    .uid("alert-episodes"));
        }

        // The job watches one environment; changes carry none, so they join its correlator.
        DataStream<CorrelatorInput> correlated =
                signals.map(new SignalInput())
                        .name("signals to correlate")
                        .uid("correlate-signals")
                        .union(
                                changes.map(new ChangeInput())
                                        .name("changes to correlate")
                                        .uid("correlate-changes"));
        SingleOutputStreamOperator<IncidentEvent> correlatedIncidents =
                correlated
                        .keyBy(new EnvironmentKey(config.environment()))
                        .process(IncidentCorrelator.of(config))
                        .name("incident correlator")
                        .uid("correlate-incidents");
        SingleOutputStreamOperator<IncidentEvent> incidents =
                correlatedIncidents
                        .keyBy(new IncidentKey())
                        .process(new IncidentDrafter(config))
                        .name("incident drafter")
                        .uid("draft-incidents");

        DataStream<DeadLetter> deadLetters =
                routedMetrics
                        .getSideOutput(InputRouter.REJECTED)
                        .union(
                                auth.getSideOutput(InputRouter.REJECTED),
                                logs.getSideOutput(InputRouter.REJECTED),
                                changes.getSideOutput(InputRouter.REJECTED),
                                correlatedIncidents.getSideOutput(EventTimeOrderedFunction.LATE));
        for (SingleOutputStreamOperator<Signal> d : detected) {
            deadLetters = deadLetters.union(d.getSideOutput(EventTimeOrderedFunction.LATE));
        }
        if (alerts != null) {
            deadLetters = deadLetters.union(alerts.getSideOutput(InputRouter.REJECTED));
        }
        if (spans != null) {
            deadLetters =
                    deadLetters.union(
                            spans.getSideOutput(InputRouter.REJECTED),
                            calls.getSideOutput(InputRouter.REJECTED),
                            edgeSamples.getSideOutput(EventTimeOrderedFunction.LATE));
        }

        return new Outputs(
                signals,
                incidents,
                incidents.getSideOutput(IncidentDrafter.STATUS_UPDATES),
                deadLetters,
                edgeSamples == null ? null : edgeSamples.getSideOutput(CallEdgeAggregator.LEARNED));
    }

    /**
     * The samples with every running total (an OTLP cumulative sum) replaced by its per-second
     * rate: the marked ones go through the keyed {@link CumulativeRates} step, the others pass.
     */
    private static DataStream<MetricSample> withRates(DataStream<MetricSample> metrics) {
        DataStream<MetricSample> rates =
                metrics.filter(new CumulativeRates.Marked(true))
                        .name("running totals")
                        .uid("filter-running-totals")
                        .keyBy(new CumulativeRates.SeriesWithLabels())
                        .process(new CumulativeRates())
                        .name("running totals to rates")
                        .uid("cumulative-rates");
        return metrics.filter(new CumulativeRates.Marked(false))
                .name("samples")
                .uid("filter-samples")
                .union(rates);
    }

    private static <T> SingleOutputStreamOperator<T> route(
            DataStream<Decoded> input, InputRouter<T> router) {
        return input.process(router)
                .name("route " + router.stream())
                .uid("route-" + router.stream());
    }

    /**
     * Keys the samples a metric detector's rules watch by series and runs the detector on them; the
     * filter drops the others before the shuffle.
     */
    private static SingleOutputStreamOperator<Signal> metricDetector(
            DataStream<MetricSample> metrics,
            List<? extends MetricRule> rules,
            MetricDetector detector,
            String name) {
        return metrics.filter(new WatchedBy(rules))
                .name(name + " watched series")
                .uid("filter-" + name)
                .keyBy(new SeriesKey())
                .process(detector)
                .name(name + " detector")
                .uid("detect-" + name);
    }

    /** Keeps the samples some rule of a metric detector watches. */
    static final class WatchedBy implements FilterFunction<MetricSample> {
        private static final long serialVersionUID = 1L;
        private final List<MetricRule> rules;

        WatchedBy(List<? extends MetricRule> rules) {
            this.rules = List.copyOf(rules);
        }

        @Override
        public boolean filter(MetricSample s) {
            return MetricRule.indexOf(rules, s.service(), s.metric()) >= 0;
        }
    }

    static final class TraceKey implements KeySelector<Span, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Span s) {
            return s.traceId();
        }
    }

    static final class EdgeKey implements KeySelector<CallEdge, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CallEdge c) {
            return c.edge();
        }
    }

    static final class SeriesKey implements KeySelector<MetricSample, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(MetricSample s) {
            return s.seriesKey();
        }
    }

    /** Keeps the auth events the refresh-storm detector reads: LOGIN, REFRESH(_ERROR), LOGOUT. */
    static final class TokenGrants implements FilterFunction<AuthEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(AuthEvent e) {
            return RefreshStormDetector.watches(e);
        }
    }

    /** Keeps the auth events the auth-failure detector counts: MISSING_TOKEN, VERIFY_ERROR. */
    static final class AuthFailures implements FilterFunction<AuthEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(AuthEvent e) {
            return AuthFailureDetector.watches(e);
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

    static final class TokenServiceKey implements KeySelector<AuthEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(AuthEvent e) {
            return e.service();
        }
    }

    static final class CallerKey implements KeySelector<AuthEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(AuthEvent e) {
            return AuthFailureDetector.callerKey(e);
        }
    }

    static final class IncidentKey implements KeySelector<IncidentEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(IncidentEvent e) {
            return e.incidentId();
        }
    }

    /** Signals by their environment; changes, which name none, by the job's. */
    static final class EnvironmentKey implements KeySelector<CorrelatorInput, String> {
        private static final long serialVersionUID = 1L;
        private final String environment;

        EnvironmentKey(String environment) {
            this.environment = environment;
        }

        @Override
        public String getKey(CorrelatorInput in) {
            return in.signal() != null ? in.signal().environment() : environment;
        }
    }

    static final class SignalInput implements MapFunction<Signal, CorrelatorInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public CorrelatorInput map(Signal s) {
            return CorrelatorInput.of(s);
        }
    }

    static final class ChangeInput implements MapFunction<ChangeEvent, CorrelatorInput> {
        private static final long serialVersionUID = 1L;

        @Override
        public CorrelatorInput map(ChangeEvent c) {
            return CorrelatorInput.of(c);
        }
    }
}
