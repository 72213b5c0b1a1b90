package io.incidentanalyzer.correlate;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.util.Collector;

/**
 * Groups the signals of one environment into incidents (keyed by environment), names their causes
 * and measures what changes did, all in event time: the same signals and changes always give the
 * same incident events (docs/architecture.md#correlator).
 *
 * <ul>
 *   <li><b>Opening.</b> Signals wait until there is enough evidence: one of at least {@code
 *       minSeverity}, or {@code minSignals} open together, or one that keeps growing ({@code
 *       growingAfter}). Then the incident opens (INVESTIGATING) with every waiting signal; its id
 *       is the environment and the earliest onset.
 *   <li><b>Grouping.</b> A signal that opens joins the open incident it is linked to: one with a
 *       service that shares a path with the signal's in the service graph, either direction,
 *       transitively (a service the graph does not name could be anywhere: it is linked to every
 *       incident). Unlinked, it joins one whose onset is within {@code separateAfter} of its own.
 *       Unlinked and apart it is a concurrent outage: it waits for evidence of its own and opens a
 *       separate incident, so an environment can have several open at once, each with its own
 *       signals, causes and lifecycle. After its last signal clears an incident is MONITORING for
 *       {@code quietPeriod}: a signal within {@code gap} of that clear, or a linked one, REOPENS it
 *       (flapping never spawns a new incident); an unrelated one resolves it and, once there is
 *       enough evidence, opens a new incident. Otherwise it is CLOSED (RESOLVED) when the period
 *       ends.
 *   <li><b>Causes.</b> Each new signal re-runs {@link CauseAnalysis}; every change of the top
 *       candidate is a ROOT_CAUSE_CHANGED event, the first time its confidence reaches {@code
 *       identifyAt} an IDENTIFIED one, and each new contributing cause a CONTRIBUTING_CAUSE one.
 *   <li><b>Change effects.</b> A change while the incident is open is measured on the open signals
 *       of its causes: their value at the change against {@code effectWindow} later
 *       (CHANGE_EFFECT). The first change after which the root-cause signal cleared or halved is
 *       the turning point.
 * </ul>
 *
 * <p>This class is the Flink shell: the keyed state, its timers and metrics. The work is done by
 * plain classes over that state, wired in {@link Correlation}: {@link IncidentLifecycle} (opening,
 * grouping, monitoring, closing), {@link CauseIdentification} (causes and IDENTIFIED), {@link
 * ChangeEffects} (changes and their effects), {@link SignalBook} and {@link IncidentBook} (what is
 * kept of signals and incidents), {@link ServiceLinks} (the service graph's paths).
 */
public class IncidentCorrelator extends EventTimeOrderedFunction<CorrelatorInput, IncidentEvent> {
    private static final long serialVersionUID = 1L;

    /**
     * Elements at one instant: changes first (a deploy precedes the signals it causes), then
     * signals that open, so a signal that opens as another clears joins.
     */
    private static final Comparator<CorrelatorInput> TIE_BREAK =
            Comparator.comparing((CorrelatorInput in) -> in.signal() == null ? 0 : 1)
                    .thenComparing(
                            in -> in.signal() == null ? SignalState.OPEN : in.signal().state())
                    .thenComparing(
                            in ->
                                    in.signal() == null
                                            ? in.change().service() + in.change().kind()
                                            : in.signal().id());

    private final CorrelationSettings settings;

    /** The job file's {@code patterns:}: chains, self-naming signals, effect thresholds. */
    private final PatternsConfig patterns;

    /** Built once from the job file, shipped with the function. */
    private final DependencyGraph graph;

    private final TreeSet<String> external;

    /**
     * The one incident of an environment as jobs before concurrent incidents kept it: read once
     * after a restore from their savepoints, moved into the incidents' map, then empty.
     */
    private transient ValueState<OpenIncident> legacyIncident;

    /** The work, in plain classes over this function's keyed state. */
    private transient Correlation correlation;

    /**
     * @param graph the service graph, built once from the job file
     * @param external the services outside the system (a cause there is an external dependency)
     */
    public IncidentCorrelator(
            CorrelationSettings settings, DependencyGraph graph, Set<String> external) {
        this(settings, graph, external, PatternsConfig.defaults());
    }

    /**
     * @param patterns the job file's {@code patterns:}
     */
    public IncidentCorrelator(
            CorrelationSettings settings,
            DependencyGraph graph,
            Set<String> external,
            PatternsConfig patterns) {
        super(CorrelatorInput.class);
        this.settings = settings;
        this.patterns = patterns;
        this.graph = graph;
        this.external = new TreeSet<>(external);
    }

    public static IncidentCorrelator of(JobConfig config) {
        return new IncidentCorrelator(
                config.correlation(),
                DependencyGraph.of(config.dependsOn()),
                config.externalServices(),
                config.patterns());
    }

    /**
     * The state layout is what savepoints hold: the names and types of these descriptors must not
     * change (IncidentCorrelatorTest restores a savepoint of the one-incident layout).
     */
    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        var rc = getRuntimeContext();
        StateMap<String, OpenIncident> incidentMap =
                StateMap.of(
                        rc.getMapState(
                                new MapStateDescriptor<>(
                                        "incidents",
                                        Types.STRING,
                                        TypeInformation.of(OpenIncident.class))));
        legacyIncident = rc.getState(new ValueStateDescriptor<>("incident", OpenIncident.class));
        StateMap<String, String> owners =
                StateMap.of(
                        rc.getMapState(
                                new MapStateDescriptor<>(
                                        "signal-incidents", Types.STRING, Types.STRING)));
        StateMap<String, Signal> active =
                StateMap.of(
                        rc.getMapState(
                                new MapStateDescriptor<>(
                                        "active-signals",
                                        Types.STRING,
                                        TypeInformation.of(Signal.class))));
        StateMap<String, Signal> evidence =
                StateMap.of(
                        rc.getMapState(
                                new MapStateDescriptor<>(
                                        "evidence-signals",
                                        Types.STRING,
                                        TypeInformation.of(Signal.class))));
        StateList<ChangeEvent> changes =
                StateList.of(
                        rc.getListState(new ListStateDescriptor<>("changes", ChangeEvent.class)));
        correlation =
                new Correlation(
                        settings,
                        patterns,
                        graph,
                        external,
                        incidentMap,
                        active,
                        evidence,
                        owners,
                        changes,
                        rc.getMetricGroup().counter("unmatchedSignals"),
                        rc.getMetricGroup().counter("signalsBelowEvidence"));
        rc.getMetricGroup()
                .<Integer, Gauge<Integer>>gauge("openIncidents", correlation.incidents::openCount);
    }

    @Override
    protected Comparator<CorrelatorInput> tieBreak() {
        return TIE_BREAK;
    }

    /**
     * A signal the watermark has passed is still handled: the detectors' own output is never
     * dropped as late (docs/architecture.md, "Signals are never late"). A late change is input like
     * any other and is dead-lettered.
     */
    @Override
    protected boolean handlesBehindWatermark(CorrelatorInput in) {
        return in.signal() != null;
    }

    @Override
    protected long eventTime(CorrelatorInput in) {
        return in.ts();
    }

    @Override
    protected String describe(CorrelatorInput in) {
        if (in.signal() != null) return in.signal().id() + " " + in.signal().state();
        ChangeEvent c = in.change();
        return "change " + c.kind() + " " + c.service() + " at " + Instant.ofEpochMilli(c.ts());
    }

    @Override
    protected void onOrdered(CorrelatorInput in, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        adoptLegacyIncident();
        if (in.change() != null) {
            correlation.onChange(in.change(), timers(ctx));
        } else {
            correlation.onSignal(in.signal(), timers(ctx), out::collect);
        }
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        adoptLegacyIncident();
        correlation.onTimer(timestamp, timers(ctx), out::collect);
    }

    /** Restored from a savepoint of a job with one incident per environment: adopts it. */
    private void adoptLegacyIncident() throws Exception {
        OpenIncident legacy = legacyIncident.value();
        if (legacy == null) return;
        legacyIncident.clear();
        correlation.adopt(legacy);
    }

    /** The key's timers; a deleted one stays while buffered input waits for its instant. */
    private Timers timers(OnTimerContext ctx) {
        return new Timers() {
            @Override
            public void register(long timestamp) {
                ctx.timerService().registerEventTimeTimer(timestamp);
            }

            @Override
            public void delete(long timestamp) throws Exception {
                deleteOwnTimer(ctx, timestamp);
            }
        };
    }

    static String incidentId(Signal first) {
        return IncidentEvents.incidentId(first);
    }
}
