package io.incidentanalyzer.correlate;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.correlate.rank.Anomaly;
import io.incidentanalyzer.correlate.rank.Candidate;
import io.incidentanalyzer.correlate.rank.Change;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.correlate.rank.RootCauseRanker;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.EdgeMetrics;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Names an incident's causes from its signals and the changes around it. Plain Java, no state: the
 * same signals and changes always give the same causes.
 *
 * <ol>
 *   <li>The {@link RootCauseRanker} ranks the services with signals that began within {@code
 *       rankWindow} of the incident's first one, on the service graph: position (an upstream cause
 *       explains downstream symptoms), onset order, magnitude, coinciding changes and the known
 *       chains of {@code patterns.chains} (by default refresh storm → verification failures →
 *       saturation → backlog).
 *   <li>Each ranked service is then read as a cause from its own signals: a signal that names its
 *       cause ({@code patterns.selfNaming}: by default a refresh storm, a dependency on the wrong
 *       host, requests without a token), a deploy just before its onset, a vendor's API ({@code
 *       external}), its own saturation, or a slowdown. A pool of {@code patterns.waitingResources}
 *       that filled while a dependency was already anomalous and the service's own load and other
 *       resources were not is waiting on that dependency: a symptom that travels like latency, not
 *       the service's own resource. Load is followed upstream: a service whose request rate rose
 *       with its callers' is loaded by them, so the cause is where the extra load enters (the
 *       caller with the largest excess): a refresh storm, more users at an entry point (a surge),
 *       or a service's own work.
 *   <li>Contributing causes: every signal that names a cause by itself ({@code
 *       patterns.selfNaming}) and is not the top candidate, whenever it began.
 * </ol>
 */
public final class CauseAnalysis {

    /** The causes of one incident. */
    public record Result(List<RootCause> ranked, List<RootCause> contributing) {
        public RootCause top() {
            return ranked.isEmpty() ? null : ranked.get(0);
        }
    }

    private final DependencyGraph graph;
    private final Set<String> external;
    private final CorrelationSettings settings;
    private final PatternsConfig patterns;
    private final RootCauseRanker ranker;

    /** With the default {@link PatternsConfig}. */
    public CauseAnalysis(
            DependencyGraph graph, Set<String> external, CorrelationSettings settings) {
        this(graph, external, settings, PatternsConfig.defaults());
    }

    /**
     * @param patterns the known chains, the self-naming signals and the thresholds (the job file's
     *     {@code patterns:})
     */
    public CauseAnalysis(
            DependencyGraph graph,
            Set<String> external,
            CorrelationSettings settings,
            PatternsConfig patterns) {
        this.graph = graph;
        this.external = Set.copyOf(external);
        this.settings = settings;
        this.patterns = patterns;
        this.ranker =
                new RootCauseRanker(
                        settings.changeWindow(),
                        patterns.thresholds().onsetTolerance(),
                        patterns.chainNames());
    }

    /**
     * @param signals the latest report of each signal of the incident, open or cleared
     * @param changes the changes around the incident, any order
     */
    public Result analyze(Collection<Signal> signals, Collection<ChangeEvent> changes) {
        if (signals.isEmpty()) return new Result(List.of(), List.of());
        List<Signal> all = new ArrayList<>(signals);
        all.sort(Comparator.comparingLong(Signal::onset).thenComparing(Signal::id));
        long horizon = all.get(0).onset() + settings.rankWindow().toMillis();
        List<Signal> early = all.stream().filter(s -> s.onset() <= horizon).toList();

        Map<String, List<Signal>> byService = new TreeMap<>();
        for (Signal s : early) {
            byService.computeIfAbsent(s.service(), k -> new ArrayList<>()).add(s);
        }
        DependencyGraph calls = withCalls(early);
        Map<String, Set<String>> waiting = waiting(early, calls, byService);
        List<Anomaly> anomalies = new ArrayList<>();
        for (Signal s : early) {
            Set<String> on = waiting.get(s.id());
            Anomaly.Facet facet = on != null ? Anomaly.Facet.OTHER : facet(s);
            anomalies.add(
                    new Anomaly(
                            s.service(),
                            s.onset(),
                            score(s),
                            s.kind().name(),
                            on == null
                                    ? label(s)
                                    : label(s) + ", waiting on " + String.join(", ", on),
                            facet,
                            facet == Anomaly.Facet.CALL_LATENCY
                                    ? s.measured().dependency()
                                    : null));
        }
        List<Change> rankChanges = new ArrayList<>();
        for (ChangeEvent c : changes) {
            if (c.service() != null) rankChanges.add(new Change(c.service(), c.ts(), label(c)));
        }
        List<Candidate> candidates = ranker.rank(calls, anomalies, rankChanges);

        Map<String, RootCause> ranked = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            RootCause cause = diagnose(c, byService, changes, waiting.keySet());
            ranked.putIfAbsent(cause.kind() + "@" + cause.service(), cause);
        }
        List<RootCause> rankedList = List.copyOf(ranked.values());
        RootCause top = rankedList.isEmpty() ? null : rankedList.get(0);

        Map<String, RootCause> contributing = new LinkedHashMap<>();
        for (Signal s : all) {
            CauseKind kind = namedBy(s);
            if (kind == null) continue;
            String key = kind + "@" + s.service();
            if (top != null && top.kind() == kind && top.service().equals(s.service())) continue;
            contributing.putIfAbsent(
                    key,
                    new RootCause(
                            kind,
                            s.service(),
                            score(s),
                            s.onset(),
                            s.evidence(),
                            List.of(s.id()),
                            s.heavyHitter()));
        }
        return new Result(rankedList, List.copyOf(contributing.values()));
    }

    /**
     * Whether a cause speaks for itself once found ({@code patterns.identifiedAtOnce}; by default a
     * storm, a wrong host, missing tokens, a deploy just before the onset): it need not stay on top
     * for {@code identifyAfter} to be IDENTIFIED.
     */
    public boolean selfEvident(CauseKind kind) {
        return patterns.identifiedAtOnce(kind);
    }

    /**
     * The cause a signal names by itself, whatever else is going on ({@code patterns.selfNaming});
     * null for a symptom.
     */
    CauseKind namedBy(Signal s) {
        return patterns.namedBy(s.kind(), s.measured()::counts);
    }

    /** Reads a ranked service as a cause, from its own signals and changes. */
    private RootCause diagnose(
            Candidate c,
            Map<String, List<Signal>> byService,
            Collection<ChangeEvent> changes,
            Set<String> waiting) {
        String node = c.node();
        List<Signal> own = byService.getOrDefault(node, List.of());
        if (own.isEmpty()) {
            // Ranked from its callers' calls to it alone (traces): those are its evidence.
            own = callsTo(node, byService);
        }
        List<String> why = new ArrayList<>(c.evidence());
        long onset = own.isEmpty() ? 0 : own.get(0).onset();

        List<Signal> naming = own.stream().filter(s -> namedBy(s) != null).toList();
        if (!naming.isEmpty()) {
            // Two that name a cause in one interval: the one that explains the other names it.
            Signal s = lead(naming, waiting);
            return cause(namedBy(s), node, c, why, s, own);
        }
        ChangeEvent deploy = deployBefore(node, onset, changes);
        if (deploy != null) {
            why.add(
                    "%s %s %s before its first signal"
                            .formatted(
                                    deploy.kind().name().toLowerCase(Locale.ROOT),
                                    deploy.version() == null ? "" : deploy.version(),
                                    minutes(onset - deploy.ts()))
                            .replace("  ", " "));
            return cause(CauseKind.BAD_DEPLOY, node, c, why, lead(own, waiting), own);
        }
        Signal load = loadUp(own);
        // A pool that fills while its calls wait on a dependency is not the service's own fault.
        List<Signal> saturations =
                own.stream()
                        .filter(s -> s.kind() == SignalKind.SATURATION)
                        .filter(s -> !waiting.contains(s.id()))
                        .toList();
        boolean saturated = !saturations.isEmpty();
        Origin origin = load != null || saturated ? loadOrigin(node, byService) : null;
        if (origin != null) {
            List<Signal> at = byService.getOrDefault(origin.service, List.of());
            if (!origin.service.equals(node)) {
                why.add(
                        "its callers' load rose with it: the extra load enters at %s (%s)"
                                .formatted(origin.service, ratio(origin.load)));
            } else {
                why.add(
                        "its own %s rose (%s) while its callers' did not"
                                .formatted(settings.loadMetric(), ratio(load)));
            }
            for (Signal s : at) {
                if (s.kind() == SignalKind.REFRESH_STORM)
                    return cause(CauseKind.TOKEN_REFRESH_STORM, origin.service, c, why, s, at);
            }
            CauseKind kind =
                    graph.callersOf(origin.service).isEmpty()
                            ? CauseKind.TRAFFIC_SURGE
                            : CauseKind.RESOURCE_SATURATION;
            return cause(kind, origin.service, c, why, origin.load, at);
        }
        Signal lead = lead(own, waiting);
        if (external.contains(node)) {
            why.add(node + " is an external dependency");
            return cause(CauseKind.EXTERNAL_DEPENDENCY, node, c, why, lead, own);
        }
        if (saturations.contains(lead)) {
            return cause(CauseKind.RESOURCE_SATURATION, node, c, why, lead, own);
        }
        return cause(CauseKind.SERVICE_SLOWDOWN, node, c, why, lead, own);
    }

    /**
     * The signal that leads a node's others, which names its kind: the first to begin, and of
     * several that began at the same instant (detectors see a change interval by interval, so two
     * effects of one fault often start in the same interval), the one no other explains. A signal
     * that began earlier, even by seconds, leads as it did before: the window is not widened to
     * {@code onsetTolerance}, which cost a slowdown whose CPU followed within a minute its kind. A
     * signal explains another when its kind comes before the other's in a known chain ({@code
     * patterns.chains}); when no chain relates the two, when what it measured comes first in load →
     * the node's own resource → anything else (more requests fill a resource; a full CPU or memory
     * slows and fails every request). A pool waiting on a dependency ({@link #waiting}) is not the
     * node's own resource. Of several that nothing explains: the earliest, then the strongest; the
     * signal id only settles signals that measured the same thing, never the kind.
     */
    private Signal lead(List<Signal> own, Set<String> waiting) {
        long first = own.get(0).onset();
        for (Signal s : own) first = Math.min(first, s.onset());
        long until = first;
        List<Signal> with = own.stream().filter(s -> s.onset() <= until).toList();
        List<Signal> unexplained =
                with.stream()
                        .filter(
                                s ->
                                        with.stream()
                                                .noneMatch(o -> o != s && explains(o, s, waiting)))
                        .toList();
        return (unexplained.isEmpty() ? with : unexplained)
                .stream()
                        .min(
                                Comparator.comparingInt((Signal s) -> measures(s, waiting))
                                        .thenComparingLong(Signal::onset)
                                        .thenComparing(
                                                Comparator.comparingDouble(this::score).reversed())
                                        .thenComparing(Signal::id))
                        .orElseThrow();
    }

    /** Whether signal {@code a} of a node explains its signal {@code b} ({@link #lead}). */
    private boolean explains(Signal a, Signal b, Set<String> waiting) {
        for (List<SignalKind> chain : patterns.chains()) {
            int i = chain.indexOf(a.kind());
            int j = chain.indexOf(b.kind());
            if (i >= 0 && j >= 0 && i != j) return i < j;
        }
        return measures(a, waiting) < measures(b, waiting);
    }

    /** Where a signal's measure stands in load → own resource → anything else. */
    private int measures(Signal s, Set<String> waiting) {
        if (waiting.contains(s.id())) return 2;
        return switch (facet(s)) {
            case LOAD -> 0;
            case RESOURCE -> 1;
            default -> 2;
        };
    }

    private static RootCause cause(
            CauseKind kind,
            String service,
            Candidate c,
            List<String> why,
            Signal primary,
            List<Signal> related) {
        List<String> ids = new ArrayList<>();
        ids.add(primary.id());
        for (Signal s : related) if (!ids.contains(s.id())) ids.add(s.id());
        List<String> evidence = new ArrayList<>(primary.evidence());
        evidence.addAll(why);
        long onset = primary.onset();
        for (Signal s : related) onset = Math.min(onset, s.onset());
        return new RootCause(
                kind, service, c.confidence(), onset, evidence, ids, primary.heavyHitter());
    }

    /**
     * A deploy or rollback of the service within changeWindow before onset (at most {@code
     * patterns.thresholds.deployAfterOnset} after it).
     */
    private ChangeEvent deployBefore(String node, long onset, Collection<ChangeEvent> changes) {
        ChangeEvent best = null;
        for (ChangeEvent ch : changes) {
            if (!node.equals(ch.service())
                    || (ch.kind() != ChangeKind.DEPLOY && ch.kind() != ChangeKind.ROLLBACK))
                continue;
            long lead = onset - ch.ts();
            if (lead < -patterns.thresholds().deployAfterOnset().toMillis()
                    || lead > settings.changeWindow().toMillis()) continue;
            if (best == null || ch.ts() > best.ts()) best = ch;
        }
        return best;
    }

    /**
     * The first signal that says the service's load rose, or null: its request rate above its
     * baseline, or a refresh storm (extra requests to a token service).
     */
    private Signal loadUp(List<Signal> own) {
        for (Signal s : own) {
            if (s.kind() == SignalKind.REFRESH_STORM) return s;
            if (s.kind() == SignalKind.BASELINE_SHIFT
                    && s.measured().isMetric(settings.loadMetric())
                    && s.peak() > s.baseline()) return s;
        }
        return null;
    }

    private record Origin(String service, Signal load) {}

    /**
     * Follows a rise in load from {@code node} to the callers whose load rose too, as far as it
     * goes. Of the services where it stops (no caller with more load), the one with the largest
     * excess over its baseline; null when no service on the way has more load at all.
     */
    private Origin loadOrigin(String node, Map<String, List<Signal>> byService) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(node);
        seen.add(node);
        Origin best = null;
        while (!todo.isEmpty()) {
            String n = todo.pop();
            boolean callerLoaded = false;
            for (String caller : graph.callersOf(n)) {
                if (loadUp(byService.getOrDefault(caller, List.of())) == null) continue;
                callerLoaded = true;
                if (seen.add(caller)) todo.add(caller);
            }
            Signal load = loadUp(byService.getOrDefault(n, List.of()));
            if (callerLoaded || load == null) continue;
            if (best == null || excess(load) > excess(best.load)) best = new Origin(n, load);
        }
        return best;
    }

    /**
     * The saturations that are requests waiting on a dependency, by signal id, each with the
     * anomalous dependencies it waits on. A pool of {@code patterns.waitingResources} (connections,
     * threads, workers) holds each request for as long as its calls take, so its occupancy is the
     * arrival rate times that time: it fills when more requests arrive or when the calls slow. It
     * is read as waiting, a symptom that travels like latency rather than the service's own
     * resource fault, when
     *
     * <ul>
     *   <li>a dependency of the service (in the graph, or called in traces) shows an anomaly other
     *       than more load (latency, errors, a saturation), or the service's own calls to it do
     *       (from traces), that began no later than the pool's onset plus {@code
     *       patterns.thresholds.onsetTolerance}: its calls took longer first;
     *   <li>the service's own load did not rise (more arrivals fill a pool by themselves), and
     *   <li>none of its other resources is saturated (a CPU at its ceiling slows every request, the
     *       calls included, on its own).
     * </ul>
     */
    private Map<String, Set<String>> waiting(
            List<Signal> early, DependencyGraph calls, Map<String, List<Signal>> byService) {
        Map<String, Set<String>> out = new TreeMap<>();
        long tolerance = patterns.thresholds().onsetTolerance().toMillis();
        for (Signal s : early) {
            if (s.kind() != SignalKind.SATURATION || !waits(s)) continue;
            List<Signal> own = byService.get(s.service());
            if (loadUp(own) != null) continue;
            if (own.stream().anyMatch(o -> o.kind() == SignalKind.SATURATION && !waits(o)))
                continue;
            Set<String> on = new TreeSet<>();
            for (Signal o : own) {
                // Its own calls to a dependency, measured from traces, slowed or failed first.
                String callee = o.measured() == null ? null : o.measured().dependency();
                if (callee != null
                        && EdgeMetrics.callee(o.measured().metric()) != null
                        && o.onset() <= s.onset() + tolerance) on.add(callee);
            }
            for (String dependency : calls.dependenciesOf(s.service())) {
                for (Signal d : byService.getOrDefault(dependency, List.of())) {
                    if (d.onset() <= s.onset() + tolerance && facet(d) != Anomaly.Facet.LOAD) {
                        on.add(dependency);
                        break;
                    }
                }
            }
            if (!on.isEmpty()) out.put(s.id(), on);
        }
        return out;
    }

    private boolean waits(Signal s) {
        return s.measured() != null && patterns.waits(s.measured().metric());
    }

    /** The signals of other services measuring their calls to {@code node}, by onset. */
    private static List<Signal> callsTo(String node, Map<String, List<Signal>> byService) {
        List<Signal> calls = new ArrayList<>();
        for (List<Signal> signals : byService.values()) {
            for (Signal s : signals) {
                if (s.measured() != null
                        && node.equals(s.measured().dependency())
                        && EdgeMetrics.callee(s.measured().metric()) != null) {
                    calls.add(s);
                }
            }
        }
        calls.sort(Comparator.comparingLong(Signal::onset).thenComparing(Signal::id));
        return calls;
    }

    /**
     * The job file's graph with the edges the incident's signals measured calls on (learned from
     * traces, {@link EdgeMetrics}): a slow or failing call names its caller and callee, whether or
     * not {@code dependsOn} does.
     */
    private DependencyGraph withCalls(List<Signal> signals) {
        Map<String, Set<String>> calls = new TreeMap<>();
        for (Signal s : signals) {
            String callee = s.measured() == null ? null : s.measured().dependency();
            if (callee != null && EdgeMetrics.callee(s.measured().metric()) != null) {
                calls.computeIfAbsent(s.service(), k -> new TreeSet<>()).add(callee);
            }
        }
        return calls.isEmpty() ? graph : graph.withEdges(calls);
    }

    private static double excess(Signal s) {
        return s.peak() - s.baseline();
    }

    /**
     * What a signal measured, for the ranker: saturation is the service's own resource (unless it
     * is a pool waiting on a dependency, {@link #waiting}: read as a whole then), a rise in its
     * {@code loadMetric} or a refresh storm its load, failures its errors, the latency of its calls
     * to another service (from traces) points at that service; anything else (latency, a backlog, a
     * drift) is read as a whole.
     */
    Anomaly.Facet facet(Signal s) {
        return switch (s.kind()) {
            case SATURATION -> Anomaly.Facet.RESOURCE;
            case REFRESH_STORM -> Anomaly.Facet.LOAD;
            case AUTH_FAILURES, ERROR_PATTERN -> Anomaly.Facet.ERRORS;
            case BASELINE_SHIFT ->
                    s.measured().isMetric(settings.loadMetric())
                            ? Anomaly.Facet.LOAD
                            : EdgeMetrics.isCallLatency(s.measured().metric())
                                    ? Anomaly.Facet.CALL_LATENCY
                                    : Anomaly.Facet.OTHER;
            default -> Anomaly.Facet.OTHER;
        };
    }

    /**
     * How strong a signal is, for the ranker: by severity ({@code patterns.thresholds
     * .severityScores}; a detector's severity already says how far beyond its baseline the signal
     * is; CRITICAL sits where the ranker's calibrated scale reaches 1).
     */
    double score(Signal s) {
        return patterns.thresholds().score(s.severity());
    }

    private static String label(Signal s) {
        return s.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + s.subject();
    }

    private static String label(ChangeEvent c) {
        String what = c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (c.version() != null) what += " " + c.version();
        return c.description() == null ? what : what + " (" + c.description() + ")";
    }

    private static String ratio(Signal s) {
        return s.baseline() > 0
                ? String.format(
                        Locale.ROOT,
                        "%s %.0f against %.0f, %.1f×",
                        s.subject(),
                        s.peak(),
                        s.baseline(),
                        s.peak() / s.baseline())
                : String.format(Locale.ROOT, "%s peak %.0f", s.subject(), s.peak());
    }

    private static String minutes(long ms) {
        if (ms < 60_000) return Math.max(0, ms / 1000) + " s";
        return (ms / 60_000) + " min";
    }
}
