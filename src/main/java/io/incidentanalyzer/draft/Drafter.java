package io.incidentanalyzer.draft;

import io.incidentanalyzer.config.ComponentConfig;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.ComponentWindow;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalSeries;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.model.TimelineEntry;
import java.io.Serializable;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Drafts an incident's timeline, status-page updates, component states and postmortem from its
 * incident events, with sentences from templates over the evidence (never per scenario). Feed it
 * each event of an incident in order ({@link #update}), then {@link #render} the drafts as of that
 * event: the same events always give the same drafts. Times are written in the job's time zone and
 * clock.
 */
public final class Drafter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Signals kept per incident, as in the correlator. */
    static final int MAX_SIGNALS = 1000;

    private final JobConfig config;

    /** The job's service graph, built once. */
    private final DependencyGraph graph;

    private transient Words words;

    public Drafter(JobConfig config) {
        this.config = config;
        this.graph = DependencyGraph.of(config.dependsOn());
    }

    DependencyGraph graph() {
        return graph;
    }

    JobConfig config() {
        return config;
    }

    Words words() {
        if (words == null) words = new Words(config);
        return words;
    }

    /** Takes in one incident event: the signals it carries and its lifecycle step. */
    public void update(DraftState st, IncidentEvent e) {
        note(st, e.cause());
        for (Signal s : e.activeSignals()) note(st, s);
        switch (e.type()) {
            case OPENED,
                    IDENTIFIED,
                    ROOT_CAUSE_CHANGED,
                    CONTRIBUTING_CAUSE,
                    MONITORING,
                    REOPENED,
                    CLOSED -> {
                DraftState.Step step =
                        new DraftState.Step(
                                e.ts(), e.type(), e.cause() == null ? null : e.cause().id());
                RootCause top = e.topCause();
                if (top != null) {
                    // As it stood then: a later revision does not rewrite earlier lines.
                    step.top = words().cause(top, find(st, top.signals().get(0)));
                    step.topSignals = new ArrayList<>(top.signals());
                }
                st.steps.add(step);
            }
            default -> {}
        }
    }

    private static void note(DraftState st, Signal s) {
        if (s == null) return;
        for (SignalNote n : st.signals) {
            if (n.id.equals(s.id())) {
                n.update(s);
                return;
            }
        }
        if (st.signals.size() < MAX_SIGNALS) st.signals.add(SignalNote.of(s));
    }

    /** The drafts as of {@code e}, the last event taken in. */
    public Drafts render(DraftState st, IncidentEvent e) {
        List<ComponentImpact> components = components(st, e.ts());
        List<TimelineEntry> timeline = timeline(st, e, components);
        List<StatusUpdate> updates = statusUpdates(st, e);
        String title = words().publicTitle(components);
        // With no component affected there is nothing public to name: the internal title heads it.
        String heading = components.isEmpty() ? e.title() : title;
        String postmortem = new Postmortem(this, st, e, timeline, components, heading).markdown();
        return new Drafts(timeline, updates, components, postmortem, series(st, e), title);
    }

    /** The figures of the top three candidates' and the contributing causes' first signals. */
    private static List<SignalSeries> series(DraftState st, IncidentEvent e) {
        List<String> ids = new ArrayList<>();
        for (RootCause c : e.rootCauses().subList(0, Math.min(3, e.rootCauses().size())))
            ids.add(c.signals().get(0));
        for (RootCause c : e.contributingCauses()) ids.add(c.signals().get(0));
        List<SignalSeries> out = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(ids)) {
            SignalNote n = find(st, id);
            if (n == null) continue;
            out.add(
                    new SignalSeries(
                            n.id, n.service, n.subject, n.baseline, n.pointTs, n.pointValues));
        }
        return out;
    }

    // ---------------------------------------------------------------- components

    /** What a signal says about the health of its service's components. */
    ComponentState impact(SignalNote n) {
        if (n.kind == SignalKind.BASELINE_SHIFT) {
            if (n.measured.isMetric(config.correlation().errorMetric())) {
                PatternsConfig.Thresholds t = config.patterns().thresholds();
                if (n.peak >= t.majorOutageAt()) return ComponentState.MAJOR_OUTAGE;
                if (n.peak >= t.partialOutageAt()) return ComponentState.PARTIAL_OUTAGE;
                return ComponentState.DEGRADED_PERFORMANCE;
            }
            // More requests than usual is load, not by itself a broken feature.
            if (n.measured.isMetric(config.correlation().loadMetric()))
                return ComponentState.OPERATIONAL;
            return ComponentState.DEGRADED_PERFORMANCE;
        }
        if (n.kind == SignalKind.AUTH_FAILURES && n.measured.counts(AuthEventType.MISSING_TOKEN)) {
            return ComponentState.PARTIAL_OUTAGE;
        }
        // A refresh storm is load and a wrong host a cause: what users feel shows in the latency,
        // errors and saturation that follow.
        if (n.kind == SignalKind.REFRESH_STORM || n.kind == SignalKind.DEPENDENCY_DRIFT) {
            return ComponentState.OPERATIONAL;
        }
        return ComponentState.DEGRADED_PERFORMANCE;
    }

    /** Each component touched by the incident, its state now, its worst and its windows. */
    List<ComponentImpact> components(DraftState st, long now) {
        List<ComponentImpact> out = new ArrayList<>();
        for (ComponentConfig c : config.components()) {
            List<SignalNote> notes = new ArrayList<>();
            for (SignalNote n : st.signals) {
                if (c.services().contains(n.service) && impact(n) != ComponentState.OPERATIONAL)
                    notes.add(n);
            }
            if (notes.isEmpty()) continue;
            notes.sort(
                    Comparator.comparingLong((SignalNote n) -> n.onset).thenComparing(n -> n.id));
            List<ComponentWindow> windows = new ArrayList<>();
            long from = -1;
            long to = -1;
            boolean open = false;
            ComponentState state = ComponentState.OPERATIONAL;
            ComponentState worst = ComponentState.OPERATIONAL;
            for (SignalNote n : notes) {
                long end = n.cleared < 0 ? Long.MAX_VALUE : n.cleared;
                if (from >= 0 && n.onset > to) {
                    windows.add(new ComponentWindow(from, open ? null : to, state));
                    from = -1;
                }
                if (from < 0) {
                    from = n.onset;
                    to = end;
                    state = impact(n);
                    open = n.cleared < 0;
                } else {
                    to = Math.max(to, end);
                    state = state.worst(impact(n));
                    open |= n.cleared < 0;
                }
                worst = worst.worst(impact(n));
            }
            windows.add(new ComponentWindow(from, open ? null : to, state));
            out.add(new ComponentImpact(c.name(), c.group(), stateAt(c, st, now), worst, windows));
        }
        return out;
    }

    ComponentState stateAt(ComponentConfig c, DraftState st, long t) {
        ComponentState s = ComponentState.OPERATIONAL;
        for (SignalNote n : st.signals) {
            if (c.services().contains(n.service) && n.openAt(t)) s = s.worst(impact(n));
        }
        return s;
    }

    // ---------------------------------------------------------------- timeline

    private List<TimelineEntry> timeline(
            DraftState st, IncidentEvent e, List<ComponentImpact> components) {
        List<Line> lines = new ArrayList<>();
        Words w = words();
        Set<String> named = new TreeSet<>();
        for (RootCause c : e.contributingCauses()) named.add(c.signals().get(0));
        String detection = null;
        for (DraftState.Step step : st.steps) {
            SignalNote n = find(st, step.signal);
            switch (step.type) {
                case OPENED -> {
                    detection = step.signal;
                    lines.add(
                            new Line(
                                    step.ts,
                                    0,
                                    "System outage detected: " + w.describe(n),
                                    ids(n)));
                }
                case IDENTIFIED, ROOT_CAUSE_CHANGED -> {
                    if (step.top == null) break;
                    String head =
                            step.type == IncidentEventType.IDENTIFIED
                                    ? "Identified the cause: "
                                    : "Root cause revised: ";
                    lines.add(new Line(step.ts, 2, head + step.top, step.topSignals));
                }
                case CONTRIBUTING_CAUSE -> {
                    RootCause c = contributing(e, step.signal);
                    String what =
                            c == null || n == null
                                    ? w.describe(n)
                                    : c.kind().words()
                                            + " on "
                                            + w.name(c.service())
                                            + " ("
                                            + w.describe(n)
                                            + ")";
                    lines.add(
                            new Line(
                                    step.ts,
                                    2,
                                    "Found a cause that blocks recovery: " + what,
                                    ids(n)));
                }
                case REOPENED ->
                        lines.add(
                                new Line(
                                        step.ts,
                                        1,
                                        "The problem came back: " + w.describe(n),
                                        ids(n)));
                case MONITORING ->
                        lines.add(
                                new Line(
                                        step.ts,
                                        5,
                                        "Every signal cleared; monitoring the situation.",
                                        ids(n)));
                case CLOSED ->
                        lines.add(
                                new Line(
                                        step.ts,
                                        6,
                                        "Resolved: no new signal for "
                                                + w.duration(
                                                        config.correlation()
                                                                .quietPeriod()
                                                                .toMillis())
                                                + ".",
                                        List.of()));
                default -> {}
            }
        }
        symptoms(st, detection, named, lines);
        changes(e, lines);
        recoveries(components, e.ts(), lines);
        lines.sort(
                Comparator.comparingLong(Line::ts)
                        .thenComparingInt(Line::order)
                        .thenComparing(Line::text));
        List<TimelineEntry> out = new ArrayList<>();
        for (Line l : lines)
            out.add(new TimelineEntry(l.ts, w.day(l.ts), w.time(l.ts), l.text, l.signals));
        return out;
    }

    private record Line(long ts, int order, String text, List<String> signals) {}

    /**
     * The symptoms, one line per cascade as a person tells it: symptoms whose onsets follow each
     * other within {@code patterns.thresholds.cascadeGap} (a cascade spans at most five gaps) share
     * a line at the latest onset, when the picture stood, and the line links to all their signals.
     */
    private void symptoms(DraftState st, String detection, Set<String> named, List<Line> lines) {
        List<SignalNote> notes = new ArrayList<>();
        for (SignalNote n : st.signals)
            if (!n.id.equals(detection) && !named.contains(n.id)) notes.add(n);
        notes.sort(Comparator.comparingLong((SignalNote n) -> n.onset).thenComparing(n -> n.id));
        long gap = config.patterns().thresholds().cascadeGap().toMillis();
        List<List<SignalNote>> cascades = new ArrayList<>();
        List<SignalNote> current = null;
        for (SignalNote n : notes) {
            if (current == null
                    || n.onset - current.get(current.size() - 1).onset > gap
                    || n.onset - current.get(0).onset > 5 * gap) {
                current = new ArrayList<>();
                cascades.add(current);
            }
            current.add(n);
        }
        Words w = words();
        for (List<SignalNote> cascade : cascades) {
            Map<SymptomCategory, List<SignalNote>> byCategory = new LinkedHashMap<>();
            List<String> ids = new ArrayList<>();
            for (SignalNote n : cascade) {
                byCategory.computeIfAbsent(category(n), k -> new ArrayList<>()).add(n);
                ids.add(n.id);
            }
            long at = cascade.get(cascade.size() - 1).onset;
            lines.add(new Line(at, 1, w.cascade(byCategory), ids));
        }
    }

    SymptomCategory category(SignalNote n) {
        return switch (n.kind) {
            case BASELINE_SHIFT -> {
                if (n.measured.isMetric(config.correlation().errorMetric()))
                    yield SymptomCategory.ERRORS;
                if (n.measured.isMetric(config.correlation().loadMetric()))
                    yield SymptomCategory.LOAD;
                yield SymptomCategory.LATENCY;
            }
            case SATURATION -> SymptomCategory.SATURATION;
            case BACKLOG_GROWTH -> SymptomCategory.BACKLOG;
            case AUTH_FAILURES -> {
                if (n.measured.counts(AuthEventType.VERIFY_ERROR))
                    yield SymptomCategory.VERIFY_FAILURES;
                if (n.measured.counts(AuthEventType.MISSING_TOKEN))
                    yield SymptomCategory.MISSING_TOKENS;
                yield SymptomCategory.OTHER_AUTH_FAILURES;
            }
            case ERROR_PATTERN -> SymptomCategory.LOG;
            case REFRESH_STORM -> SymptomCategory.STORM;
            case DEPENDENCY_DRIFT -> SymptomCategory.DRIFT;
        };
    }

    /** Each change with its measured effects, at the change's time. */
    private void changes(IncidentEvent e, List<Line> lines) {
        Map<ChangeEvent, List<ChangeEffect>> byChange = new LinkedHashMap<>();
        for (ChangeEffect x : e.changeEffects())
            byChange.computeIfAbsent(x.change(), k -> new ArrayList<>()).add(x);
        Words w = words();
        byChange.forEach(
                (change, effects) -> {
                    List<String> bodies = new ArrayList<>();
                    List<String> ids = new ArrayList<>();
                    for (ChangeEffect x : effects) {
                        bodies.add(w.effectBody(x));
                        if (x.signal() != null) ids.add(x.signal());
                    }
                    boolean turning = effects.stream().anyMatch(ChangeEffect::turningPoint);
                    lines.add(
                            new Line(
                                    change.ts(),
                                    3,
                                    change.name()
                                            + "; "
                                            + String.join("; ", bodies)
                                            + (turning ? ". The turning point." : "."),
                                    ids));
                });
    }

    /** Components operational again, grouped by minute, with what is still affected. */
    private void recoveries(List<ComponentImpact> components, long now, List<Line> lines) {
        Map<Long, List<String>> byMinute = new java.util.TreeMap<>();
        for (ComponentImpact c : components) {
            ComponentWindow last = c.windows().get(c.windows().size() - 1);
            for (ComponentWindow win : c.windows()) {
                if (win.to() == null) continue;
                if (win == last || win.to() <= now) {
                    long minute = Math.floorDiv(win.to(), 60_000) * 60_000;
                    byMinute.computeIfAbsent(minute, k -> new ArrayList<>()).add(c.name());
                }
            }
        }
        Words w = words();
        byMinute.forEach(
                (minute, names) -> {
                    List<String> still = new ArrayList<>();
                    for (ComponentImpact c : components) {
                        for (ComponentWindow win : c.windows()) {
                            if (win.from() <= minute + 59_999
                                    && (win.to() == null || win.to() > minute + 59_999)
                                    && !names.contains(c.name())) {
                                still.add(c.name());
                                break;
                            }
                        }
                    }
                    String text =
                            w.list(names)
                                    + (names.size() == 1 ? " is" : " are")
                                    + " operational again"
                                    + (still.isEmpty()
                                            ? "."
                                            : "; still affected: " + w.list(still) + ".");
                    lines.add(new Line(minute, 4, text, List.of()));
                });
    }

    // ---------------------------------------------------------------- status updates

    /**
     * One update per lifecycle step, and intermediate ones between them. A step's update names the
     * components by their worst state in the {@code patterns.thresholds.updateHold} after it (or up
     * to the next step), which is what a person writing it then would report; Monitoring reports
     * the states at the step, Resolved every component operational. While the incident stays
     * Investigating or Identified, a change of the components' states that lasts the hold drafts an
     * intermediate update at the end of the hold, once event time has reached it.
     */
    private List<StatusUpdate> statusUpdates(DraftState st, IncidentEvent e) {
        List<DraftState.Step> steps = new ArrayList<>();
        for (DraftState.Step step : st.steps) if (status(step) != null) steps.add(step);
        long hold = config.patterns().thresholds().updateHold().toMillis();
        List<StatusUpdate> out = new ArrayList<>();
        Map<String, ComponentState> before = new LinkedHashMap<>();
        Words w = words();
        for (int i = 0; i < steps.size(); i++) {
            DraftState.Step step = steps.get(i);
            IncidentStatus status = status(step);
            long until = i + 1 < steps.size() ? steps.get(i + 1).ts : e.ts();
            Map<String, ComponentState> now = new LinkedHashMap<>();
            for (ComponentConfig c : config.components()) {
                ComponentState s =
                        switch (status) {
                            case RESOLVED -> ComponentState.OPERATIONAL;
                            case MONITORING -> stateAt(c, st, step.ts);
                            default ->
                                    worstBetween(c, st, step.ts, Math.min(until, step.ts + hold));
                        };
                ComponentState was = before.getOrDefault(c.name(), ComponentState.OPERATIONAL);
                if (s != ComponentState.OPERATIONAL || was != ComponentState.OPERATIONAL)
                    now.put(c.name(), s);
            }
            out.add(
                    new StatusUpdate(
                            step.ts,
                            status,
                            w.statusBody(status, step.type, now, causes(e)),
                            changes(before, now),
                            false));
            before.putAll(now);
            if (status == IncidentStatus.INVESTIGATING || status == IncidentStatus.IDENTIFIED)
                intermediate(st, status, step.ts, Math.min(until, e.ts()), hold, before, out);
        }
        return out;
    }

    /**
     * The intermediate updates of one step, from {@code from} to {@code until}: at each change of
     * the components' states that no other change follows within {@code hold}, if the states then
     * differ from those last reported ({@code reported}, updated).
     */
    private void intermediate(
            DraftState st,
            IncidentStatus status,
            long from,
            long until,
            long hold,
            Map<String, ComponentState> reported,
            List<StatusUpdate> out) {
        java.util.TreeSet<Long> points = new java.util.TreeSet<>();
        for (SignalNote n : st.signals) {
            if (impact(n) == ComponentState.OPERATIONAL || !onComponent(n.service)) continue;
            if (n.onset > from && n.onset < until) points.add(n.onset);
            if (n.cleared > from && n.cleared < until) points.add(n.cleared);
        }
        Words w = words();
        for (long x : points) {
            if (x + hold > until) break;
            Long next = points.higher(x);
            if (next != null && next <= x + hold) continue;
            Map<String, ComponentState> now = new LinkedHashMap<>();
            for (ComponentConfig c : config.components()) {
                ComponentState s = stateAt(c, st, x);
                ComponentState was = reported.getOrDefault(c.name(), ComponentState.OPERATIONAL);
                if (s != ComponentState.OPERATIONAL || was != ComponentState.OPERATIONAL)
                    now.put(c.name(), s);
            }
            List<ComponentChange> changed = changes(reported, now);
            if (changed.isEmpty()) continue;
            out.add(
                    new StatusUpdate(
                            x + hold, status, w.updateBody(status, reported, now), changed, true));
            reported.putAll(now);
        }
    }

    private boolean onComponent(String service) {
        for (ComponentConfig c : config.components())
            if (c.services().contains(service)) return true;
        return false;
    }

    /** The components whose state differs between two reports. */
    private static List<ComponentChange> changes(
            Map<String, ComponentState> before, Map<String, ComponentState> now) {
        List<ComponentChange> changed = new ArrayList<>();
        now.forEach(
                (name, s) -> {
                    ComponentState was = before.getOrDefault(name, ComponentState.OPERATIONAL);
                    if (was != s) changed.add(new ComponentChange(name, was, s));
                });
        return changed;
    }

    private static IncidentStatus status(DraftState.Step step) {
        return switch (step.type) {
            case OPENED, REOPENED -> IncidentStatus.INVESTIGATING;
            case IDENTIFIED -> IncidentStatus.IDENTIFIED;
            case MONITORING -> IncidentStatus.MONITORING;
            case CLOSED -> IncidentStatus.RESOLVED;
            default -> null;
        };
    }

    /** The worst state of a component's signals open at any time in [from, to]. */
    private ComponentState worstBetween(ComponentConfig c, DraftState st, long from, long to) {
        ComponentState s = ComponentState.OPERATIONAL;
        for (SignalNote n : st.signals) {
            if (!c.services().contains(n.service)) continue;
            boolean overlaps = n.onset <= to && (n.cleared < 0 || n.cleared > from);
            if (overlaps) s = s.worst(impact(n));
        }
        return s;
    }

    /** The kinds of cause the incident names: its top candidate and contributing causes. */
    private static Set<CauseKind> causes(IncidentEvent e) {
        Set<CauseKind> kinds = new TreeSet<>();
        if (e.topCause() != null) kinds.add(e.topCause().kind());
        for (RootCause c : e.contributingCauses()) kinds.add(c.kind());
        return kinds;
    }

    private static RootCause contributing(IncidentEvent e, String signal) {
        for (RootCause c : e.contributingCauses()) if (c.signals().get(0).equals(signal)) return c;
        return null;
    }

    static SignalNote find(DraftState st, String id) {
        if (id == null) return null;
        for (SignalNote n : st.signals) if (n.id.equals(id)) return n;
        return null;
    }

    private static List<String> ids(SignalNote n) {
        return n == null ? List.of() : List.of(n.id);
    }

    /** Formats for the job's zone and clock. */
    static DateTimeFormatter dayFormat(JobConfig config) {
        return DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.ENGLISH)
                .withZone(config.zone());
    }
}
