package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.IncidentStatus.IDENTIFIED;
import static io.incidentanalyzer.model.IncidentStatus.INVESTIGATING;
import static io.incidentanalyzer.model.IncidentStatus.MONITORING;
import static io.incidentanalyzer.model.IncidentStatus.RESOLVED;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
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
 */
public class IncidentCorrelator extends EventTimeOrderedFunction<CorrelatorInput, IncidentEvent> {
    private static final long serialVersionUID = 1L;

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Signals kept as an incident's evidence; past this a flapping storm of ids is not kept. */
    static final int MAX_EVIDENCE_SIGNALS = 1000;

    /** Recent changes remembered for ranking and effects. */
    static final int MAX_CHANGES = 200;

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

    private static final Comparator<Signal> BY_ONSET =
            Comparator.comparingLong(Signal::onset).thenComparing(Signal::id);

    /** The order open incidents are visited in: oldest first, whatever the state backend's. */
    private static final Comparator<OpenIncident> BY_OPENING =
            Comparator.comparingLong((OpenIncident o) -> o.openedAt)
                    .thenComparing(o -> o.incidentId);

    private final CorrelationSettings settings;

    /** The job file's {@code patterns:}: chains, self-naming signals, effect thresholds. */
    private final PatternsConfig patterns;

    /** The environment's open or MONITORING incidents, by id: one per concurrent outage. */
    private transient MapState<String, OpenIncident> incidents;

    /**
     * The one incident of an environment as jobs before concurrent incidents kept it: read once
     * after a restore from their savepoints, moved into {@link #incidents}, then empty.
     */
    private transient ValueState<OpenIncident> legacyIncident;

    /** Every open signal of the environment, joined or waiting for evidence. */
    private transient MapState<String, Signal> active;

    /** The latest report of each signal kept as an incident's evidence. */
    private transient MapState<String, Signal> evidence;

    /**
     * The incident each signal joined (signal id → incident id), for its open signals and its
     * evidence; an open signal without an entry waits for evidence.
     */
    private transient MapState<String, String> owners;

    private transient ListState<ChangeEvent> changes;
    private transient Counter unmatchedSignals;
    private transient Counter belowEvidence;
    private transient CauseAnalysis analysis;

    /** Built once from the job file, shipped with the function. */
    private final DependencyGraph graph;

    private final TreeSet<String> external;

    /**
     * Incidents open on this subtask, for the gauge. Rebuilt after a restore as incidents are
     * saved: until an incident's next event it is not counted.
     */
    private transient Set<String> openIds;

    /** Each service's linked services (upstream and downstream), computed once per service. */
    private transient Map<String, Set<String>> linkedCache;

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

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        incidents =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "incidents",
                                        Types.STRING,
                                        TypeInformation.of(OpenIncident.class)));
        legacyIncident =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("incident", OpenIncident.class));
        owners =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "signal-incidents", Types.STRING, Types.STRING));
        active =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "active-signals",
                                        Types.STRING,
                                        TypeInformation.of(Signal.class)));
        evidence =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "evidence-signals",
                                        Types.STRING,
                                        TypeInformation.of(Signal.class)));
        changes =
                getRuntimeContext()
                        .getListState(new ListStateDescriptor<>("changes", ChangeEvent.class));
        unmatchedSignals = getRuntimeContext().getMetricGroup().counter("unmatchedSignals");
        belowEvidence = getRuntimeContext().getMetricGroup().counter("signalsBelowEvidence");
        openIds = new HashSet<>();
        linkedCache = new HashMap<>();
        getRuntimeContext()
                .getMetricGroup()
                .<Integer, org.apache.flink.metrics.Gauge<Integer>>gauge(
                        "openIncidents", () -> openIds.size());
        analysis = new CauseAnalysis(graph, external, settings, patterns);
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
            onChange(in.change(), ctx);
        } else {
            onSignal(in.signal(), ctx, out);
        }
    }

    private void onSignal(Signal s, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        switch (s.state()) {
            case OPEN -> {
                OpenIncident open = incidentFor(s, ctx, out);
                active.put(s.id(), s);
                if (open == null) {
                    openIfEnough(s, false, ctx, out);
                    return;
                }
                join(open, s);
                if (open.monitoring()) {
                    dropTimer(ctx, open.resolveAt, open);
                    open.monitoringSince = -1;
                    open.resolveAt = -1;
                    open.lastCleared = null;
                    rank(open, s, IncidentEventType.REOPENED, ctx, out);
                } else {
                    rank(open, s, IncidentEventType.SIGNAL_ADDED, ctx, out);
                }
                save(open);
            }
            case UPDATE -> {
                if (active.contains(s.id())) {
                    Signal before = active.get(s.id());
                    active.put(s.id(), s);
                    if (evidence.contains(s.id())) evidence.put(s.id(), s);
                    if (!owners.contains(s.id()) && growing(before, s)) {
                        openIfEnough(s, true, ctx, out);
                    }
                } else {
                    unmatchedSignals.inc();
                }
            }
            case CLEAR -> {
                if (!active.contains(s.id())) {
                    // Its OPEN was before this job's start offsets: nothing to close.
                    unmatchedSignals.inc();
                    return;
                }
                active.remove(s.id());
                String owner = owners.get(s.id());
                OpenIncident open = owner == null ? null : incidents.get(owner);
                if (open == null) {
                    // It cleared before there was enough evidence for an incident.
                    belowEvidence.inc();
                    return;
                }
                if (evidence.contains(s.id())) {
                    evidence.put(s.id(), s);
                } else {
                    owners.remove(s.id());
                }
                if (!activeOf(open).isEmpty()) {
                    out.collect(event(open, IncidentEventType.SIGNAL_CLEARED, s, null));
                } else if (settings.quietPeriod().isZero()) {
                    close(open, s, s.ts(), ctx, out);
                } else {
                    open.monitoringSince = s.ts();
                    open.resolveAt = s.ts() + settings.quietPeriod().toMillis();
                    open.lastCleared = s;
                    save(open);
                    ctx.timerService().registerEventTimeTimer(open.resolveAt);
                    out.collect(event(open, IncidentEventType.MONITORING, s, null));
                }
            }
        }
    }

    /**
     * The incident a signal that opens joins, or null when it is a new problem. A linked incident
     * first (the nearest in onset when several are); else one near in time: open with an onset
     * within {@code separateAfter} of the signal's, or MONITORING whose last clear was within
     * {@code gap}. Else the signal is unrelated to every incident: the MONITORING ones are over and
     * resolved now, the open ones go on beside the new problem.
     */
    private OpenIncident incidentFor(Signal s, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        List<OpenIncident> open = openIncidents();
        OpenIncident linked = nearest(open.stream().filter(o -> linked(o, s)).toList(), s);
        if (linked != null) return linked;
        OpenIncident near = nearest(open.stream().filter(o -> near(o, s)).toList(), s);
        if (near != null) return near;
        for (OpenIncident o : open) {
            if (!o.monitoring()) continue;
            // A new problem elsewhere: that outage is over, this one starts afresh.
            dropTimer(ctx, o.resolveAt, o);
            close(o, o.lastCleared, s.ts(), ctx, out);
        }
        return null;
    }

    /** Of the candidates (oldest first), the one whose onset is nearest the signal's. */
    private static OpenIncident nearest(List<OpenIncident> candidates, Signal s) {
        OpenIncident best = null;
        for (OpenIncident o : candidates) {
            if (best == null
                    || Math.abs(o.openedAt - s.onset()) < Math.abs(best.openedAt - s.onset())) {
                best = o;
            }
        }
        return best;
    }

    private boolean near(OpenIncident o, Signal s) {
        if (o.monitoring()) return s.ts() - o.monitoringSince <= settings.gap().toMillis();
        return Math.abs(s.onset() - o.openedAt) <= settings.separateAfter().toMillis();
    }

    private boolean linked(OpenIncident o, Signal s) {
        return linked(o, s.service());
    }

    /** Whether {@code service} is linked to any service of the incident's signals. */
    private boolean linked(OpenIncident o, String service) {
        for (String other : o.services) if (linked(service, other)) return true;
        return false;
    }

    /**
     * Whether two services share a path in the service graph, either direction, transitively. A
     * service the graph does not name (none, or not in the job file) is linked to every other:
     * nothing says it stands apart, so it never splits an outage.
     */
    private boolean linked(String a, String b) {
        if (a == null || b == null || a.equals(b)) return true;
        Set<String> nodes = graph.nodes();
        if (!nodes.contains(a) || !nodes.contains(b)) return true;
        return linkedCache
                .computeIfAbsent(
                        a,
                        n -> {
                            Set<String> both = new TreeSet<>(graph.upstream(n));
                            both.addAll(graph.downstream(n));
                            return both;
                        })
                .contains(b);
    }

    /**
     * Opens an incident once the signals waiting for evidence (open, in no incident) are enough;
     * {@code growing}: {@code s} is a signal that keeps growing, enough alone.
     */
    private void openIfEnough(
            Signal s, boolean growing, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        List<Signal> waiting = new ArrayList<>();
        boolean severe = growing;
        for (Signal a : active.values()) {
            if (owners.contains(a.id())) continue;
            waiting.add(a);
            severe |= a.severity().compareTo(settings.minSeverity()) >= 0;
        }
        if (!severe && waiting.size() < settings.minSignals()) return;
        waiting.sort(BY_ONSET);
        Signal first = waiting.get(0);
        String id = incidentId(first);
        // Two outages beginning in the same second (separateAfter 0s): the later one is numbered.
        for (int n = 2; incidents.contains(id); n++) id = incidentId(first) + "-" + n;
        OpenIncident open = new OpenIncident(id, first.onset(), title(first));
        for (Signal a : waiting) join(open, a);
        rank(open, s, IncidentEventType.OPENED, ctx, out);
        save(open);
    }

    /**
     * Whether an UPDATE makes a signal below {@code minSeverity} enough evidence alone: at least
     * {@code growingAfter} after its onset it reports a new peak, further from its baseline than
     * the peak of its previous report, and is at it. A load that keeps growing is heading
     * somewhere; a shift that settled, or a blip, is not.
     */
    private boolean growing(Signal before, Signal s) {
        if (s.severity().compareTo(settings.minSeverity()) >= 0) return false;
        if (s.ts() - s.onset() < settings.growingAfter().toMillis()) return false;
        double peak = Math.abs(s.peak() - s.baseline());
        return peak > Math.abs(before.peak() - before.baseline())
                && Math.abs(s.value() - s.baseline()) >= peak;
    }

    /** A signal joins an incident: it is the incident's, and kept as evidence up to the cap. */
    private void join(OpenIncident open, Signal s) throws Exception {
        owners.put(s.id(), open.incidentId);
        if (s.service() != null) open.addService(s.service());
        if (evidence.contains(s.id())) {
            evidence.put(s.id(), s);
        } else if (open.evidenceKept < MAX_EVIDENCE_SIGNALS) {
            evidence.put(s.id(), s);
            open.evidenceKept++;
        }
    }

    private void save(OpenIncident open) throws Exception {
        incidents.put(open.incidentId, open);
        openIds.add(open.incidentId);
    }

    /** The open incidents, oldest first. */
    private List<OpenIncident> openIncidents() throws Exception {
        List<OpenIncident> list = new ArrayList<>();
        for (OpenIncident o : incidents.values()) list.add(o);
        list.sort(BY_OPENING);
        return list;
    }

    /** The incident's evidence: the latest report of each of its kept signals. */
    private List<Signal> evidenceOf(OpenIncident open) throws Exception {
        List<Signal> list = new ArrayList<>();
        for (Signal e : evidence.values()) {
            if (open.incidentId.equals(owners.get(e.id()))) list.add(e);
        }
        return list;
    }

    /** The incident's open signals, by onset. */
    private List<Signal> activeOf(OpenIncident open) throws Exception {
        List<Signal> list = new ArrayList<>();
        for (Signal a : active.values()) {
            if (open.incidentId.equals(owners.get(a.id()))) list.add(a);
        }
        list.sort(BY_ONSET);
        return list;
    }

    /**
     * Deletes a timer of one incident, unless another open incident waits for the same instant
     * (Flink keeps one timer per key and timestamp).
     */
    private void dropTimer(OnTimerContext ctx, long timestamp, OpenIncident of) throws Exception {
        for (OpenIncident o : incidents.values()) {
            if (o.incidentId.equals(of.incidentId)) continue;
            if (o.identifyCheck == timestamp || o.resolveAt == timestamp) return;
            for (OpenIncident.PendingEffect p : o.pendingEffects) if (p.due == timestamp) return;
        }
        deleteOwnTimer(ctx, timestamp);
    }

    /**
     * Ranks the causes again, emits {@code lead} (the event the signal caused) with the new
     * ranking, then what changed about the causes.
     */
    private void rank(
            OpenIncident open,
            Signal s,
            IncidentEventType lead,
            OnTimerContext ctx,
            Collector<IncidentEvent> out)
            throws Exception {
        // Only the incident's own signals: a concurrent outage is ranked apart.
        CauseAnalysis.Result result = analysis.analyze(evidenceOf(open), changeList());
        RootCause before = open.top();
        open.rootCauses = new ArrayList<>(result.ranked());
        RootCause now = open.top();
        List<RootCause> known = open.contributing;
        // A contributing cause that has become the top candidate is no longer listed apart.
        open.contributing = new ArrayList<>(result.contributing());
        out.collect(event(open, lead, s, null));
        if (now != null && !now.sameCause(before)) {
            if (before != null) {
                out.collect(event(open, IncidentEventType.ROOT_CAUSE_CHANGED, s, null));
            }
            open.topSince = s.ts();
            if (open.identifyCheck >= 0) dropTimer(ctx, open.identifyCheck, open);
            open.identifyCheck = -1;
        }
        if (!open.identified && now != null && now.confidence() >= settings.identifyAt()) {
            long settled = open.topSince + settings.identifyAfter().toMillis();
            if (analysis.selfEvident(now.kind()) || s.ts() >= settled) {
                identify(open, s, s.ts(), ctx, out);
            } else if (open.identifyCheck < 0) {
                open.identifyCheck = settled;
                ctx.timerService().registerEventTimeTimer(settled);
            }
        }
        List<RootCause> fresh = new ArrayList<>();
        for (RootCause c : result.contributing()) {
            if (known.stream().noneMatch(c::sameCause)) fresh.add(c);
        }
        for (RootCause c : fresh) {
            Signal named = evidence.get(c.signals().get(0));
            // Reported when found, though its signal may have begun earlier.
            out.collect(
                    event(
                            open,
                            IncidentEventType.CONTRIBUTING_CAUSE,
                            status(open),
                            named,
                            s.ts(),
                            null));
        }
    }

    /** IDENTIFIED: the top candidate is confident, and self-evident or settled. */
    private void identify(
            OpenIncident open,
            Signal cause,
            long at,
            OnTimerContext ctx,
            Collector<IncidentEvent> out)
            throws Exception {
        open.identified = true;
        if (open.identifyCheck >= 0 && open.identifyCheck != at) {
            dropTimer(ctx, open.identifyCheck, open);
        }
        open.identifyCheck = -1;
        out.collect(event(open, IncidentEventType.IDENTIFIED, status(open), cause, at, null));
    }

    private void onChange(ChangeEvent c, OnTimerContext ctx) throws Exception {
        List<ChangeEvent> kept = new ArrayList<>();
        List<OpenIncident> open = openIncidents();
        long keepFrom = c.ts();
        for (OpenIncident o : open) keepFrom = Math.min(keepFrom, o.openedAt);
        keepFrom -= settings.changeWindow().toMillis();
        for (ChangeEvent e : changes.get()) if (e.ts() >= keepFrom) kept.add(e);
        kept.add(c);
        if (kept.size() > MAX_CHANGES) kept = kept.subList(kept.size() - MAX_CHANGES, kept.size());
        changes.update(kept);

        // Measured in the incidents of services linked to the changed one; a change linked to
        // none (or to no service) in every open incident, as when there is one.
        List<OpenIncident> measuredIn =
                c.service() == null
                        ? open
                        : open.stream().filter(o -> linked(o, c.service())).toList();
        if (measuredIn.isEmpty()) measuredIn = open;
        for (OpenIncident o : measuredIn) awaitEffect(o, c, ctx);
    }

    private void awaitEffect(OpenIncident open, ChangeEvent c, OnTimerContext ctx)
            throws Exception {
        OpenIncident.PendingEffect p = new OpenIncident.PendingEffect();
        p.change = c;
        p.due = c.ts() + settings.effectWindow().toMillis();
        List<RootCause> causes = new ArrayList<>();
        if (open.top() != null) causes.add(open.top());
        causes.addAll(open.contributing);
        for (RootCause cause : causes) {
            Signal measured = active.get(cause.signals().get(0));
            if (measured == null) continue;
            p.signals.add(measured.id());
            p.before.add(measured.value());
            p.causes.add(cause);
        }
        open.pendingEffects.add(p);
        save(open);
        ctx.timerService().registerEventTimeTimer(p.due);
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        adoptLegacyIncident();
        for (OpenIncident open : openIncidents()) tick(open, timestamp, ctx, out);
    }

    /**
     * Restored from a savepoint of a job with one incident per environment: that incident becomes
     * the first of the map, and every signal then kept (all of them its own) joins it.
     */
    private void adoptLegacyIncident() throws Exception {
        OpenIncident legacy = legacyIncident.value();
        if (legacy == null) return;
        legacyIncident.clear();
        for (Signal e : evidence.values()) {
            owners.put(e.id(), legacy.incidentId);
            legacy.addService(e.service());
            legacy.evidenceKept++;
        }
        for (Signal a : active.values()) {
            owners.put(a.id(), legacy.incidentId);
            legacy.addService(a.service());
        }
        save(legacy);
    }

    private void tick(
            OpenIncident open, long timestamp, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        if (timestamp == open.identifyCheck && !open.identified) {
            // The top candidate stayed on top for identifyAfter: its ranking has settled.
            RootCause top = open.top();
            Signal primary = top == null ? null : evidence.get(top.signals().get(0));
            open.identifyCheck = -1;
            if (primary != null && top.confidence() >= settings.identifyAt()) {
                identify(open, primary, timestamp, ctx, out);
            }
            save(open);
        }
        if (!open.pendingEffects.isEmpty()) {
            List<OpenIncident.PendingEffect> waiting = new ArrayList<>();
            boolean measured = false;
            for (OpenIncident.PendingEffect p : open.pendingEffects) {
                if (p.due <= timestamp) {
                    measure(open, p, timestamp, out);
                    measured = true;
                } else {
                    waiting.add(p);
                }
            }
            if (measured) {
                open.pendingEffects = waiting;
                save(open);
            }
        }
        if (open.monitoring() && timestamp == open.resolveAt) {
            close(open, open.lastCleared, timestamp, ctx, out);
        }
    }

    /** Measures one change on the signals it was taken on, and reports it. */
    private void measure(
            OpenIncident open, OpenIncident.PendingEffect p, long at, Collector<IncidentEvent> out)
            throws Exception {
        ChangeEvent c = p.change;
        boolean turningTaken = open.effects.stream().anyMatch(ChangeEffect::turningPoint);
        RootCause top = open.top();
        Signal first = null;
        List<ChangeEffect> made = new ArrayList<>();
        for (int i = 0; i < p.signals.size(); i++) {
            String id = p.signals.get(i);
            Signal now = evidence.get(id);
            if (now == null) now = active.get(id);
            if (now == null) continue;
            if (first == null) first = now;
            double before = p.before.get(i);
            double after = now.ts() > c.ts() ? now.value() : before;
            double rel = before != 0 ? after / before - 1 : (after == 0 ? 0 : 1);
            ChangeEffect.Verdict verdict;
            if (now.state() == SignalState.CLEAR) {
                verdict = ChangeEffect.Verdict.CLEARED;
            } else if (rel <= patterns.thresholds().improvedAt()) {
                verdict = ChangeEffect.Verdict.IMPROVED;
            } else if (rel >= patterns.thresholds().worseAt()) {
                verdict = ChangeEffect.Verdict.WORSE;
            } else {
                verdict = ChangeEffect.Verdict.NO_EFFECT;
            }
            RootCause cause = p.causes.get(i);
            boolean turning =
                    !turningTaken
                            && top != null
                            && cause.sameCause(top)
                            && (verdict == ChangeEffect.Verdict.CLEARED
                                    || verdict == ChangeEffect.Verdict.IMPROVED);
            turningTaken |= turning;
            made.add(
                    new ChangeEffect(
                            c,
                            id,
                            now.kind(),
                            now.service(),
                            now.measured(),
                            cause,
                            before,
                            after,
                            rel,
                            verdict,
                            turning,
                            now.ts()));
        }
        if (made.isEmpty()) {
            made.add(ChangeEffect.notMeasured(c));
            List<Signal> seen = evidenceOf(open);
            seen.sort(BY_ONSET);
            if (top != null && evidence.get(top.signals().get(0)) != null) {
                first = evidence.get(top.signals().get(0));
            } else if (!seen.isEmpty()) {
                first = seen.get(0);
            }
        }
        open.effects.addAll(made);
        if (first != null) {
            out.collect(
                    event(open, IncidentEventType.CHANGE_EFFECT, status(open), first, at, null));
        }
    }

    private List<ChangeEvent> changeList() throws Exception {
        List<ChangeEvent> list = new ArrayList<>();
        for (ChangeEvent c : changes.get()) list.add(c);
        return list;
    }

    /** RESOLVED: the incident's last event; its state goes. */
    private void close(
            OpenIncident open,
            Signal cause,
            long at,
            OnTimerContext ctx,
            Collector<IncidentEvent> out)
            throws Exception {
        out.collect(event(open, IncidentEventType.CLOSED, RESOLVED, cause, at, at));
        incidents.remove(open.incidentId);
        openIds.remove(open.incidentId);
        // Its pending timers go with it: an identify check, and effects no longer measured.
        if (open.identifyCheck > at) dropTimer(ctx, open.identifyCheck, open);
        for (OpenIncident.PendingEffect p : open.pendingEffects) {
            if (p.due > at) dropTimer(ctx, p.due, open);
        }
        // Its signals go with it; those of other incidents and those waiting stay.
        List<String> joined = new ArrayList<>();
        for (Map.Entry<String, String> e : owners.entries()) {
            if (open.incidentId.equals(e.getValue())) joined.add(e.getKey());
        }
        for (String id : joined) {
            owners.remove(id);
            evidence.remove(id);
            active.remove(id);
        }
    }

    private IncidentEvent event(
            OpenIncident open, IncidentEventType type, Signal cause, Long closedAt)
            throws Exception {
        return event(open, type, status(open), cause, cause.ts(), closedAt);
    }

    private static IncidentStatus status(OpenIncident open) {
        return open.monitoring() ? MONITORING : open.identified ? IDENTIFIED : INVESTIGATING;
    }

    private IncidentEvent event(
            OpenIncident open,
            IncidentEventType type,
            IncidentStatus status,
            Signal cause,
            long ts,
            Long closedAt)
            throws Exception {
        List<Signal> signals = activeOf(open);
        return new IncidentEvent(
                open.incidentId,
                cause.environment(),
                type,
                ts,
                status,
                open.openedAt,
                closedAt,
                open.title,
                cause,
                signals,
                List.copyOf(open.rootCauses),
                List.copyOf(open.contributing),
                List.copyOf(open.effects),
                null);
    }

    static String incidentId(Signal first) {
        return first.environment() + "-" + ID_TIME.format(Instant.ofEpochMilli(first.onset()));
    }

    private static String title(Signal s) {
        return switch (s.kind()) {
            case SATURATION -> s.service() + " " + s.subject() + " saturated";
            case BASELINE_SHIFT -> s.service() + " " + s.subject() + " far from its baseline";
            case BACKLOG_GROWTH -> s.service() + " " + s.subject() + " growing";
            case REFRESH_STORM -> s.service() + " token refresh storm";
            case AUTH_FAILURES -> s.service() + " " + s.subject() + " spike";
            case DEPENDENCY_DRIFT -> s.service() + " using an unexpected " + s.subject();
            case ERROR_PATTERN -> s.service() + " error pattern surging";
        };
    }
}
