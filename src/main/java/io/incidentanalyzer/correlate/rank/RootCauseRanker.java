package io.incidentanalyzer.correlate.rank;

import io.incidentanalyzer.config.PatternsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ranks the anomalous nodes of an incident as root-cause candidates. Plain Java, no state, no
 * randomness: the same graph and evidence always give the same ranking.
 *
 * <p>The evidence is every anomalous series of every node, each an {@link Anomaly} on one
 * calibrated scale ({@link Anomaly#calibrate}) with what it measured. A call's latency ({@link
 * Anomaly.Facet#CALL_LATENCY}) counts for the dependency called, not the caller: a network fault is
 * located from its callers' side, their calls to it slowing while its own latency does not move. A
 * node's strength is the noisy-or of its facets' strongest scores (its callers' calls to it being
 * one facet), its onset its earliest series'.
 *
 * <p>Before scoring, a node the graph knows no dependency of and with no resource anomaly gets as
 * hidden dependencies the anomalous nodes that share a caller with it and rose less, no later, in
 * every series both measure in a known unit ({@link Anomaly#excess}): a load balancer or proxy as
 * its callers see it, whose latency and errors are the service's behind it. Those nodes then
 * explain it, as a known dependency would. Evidence without a known unit adds no such edge.
 *
 * <p>Each anomalous node in scope (with a symptom: the symptom and everything it depends on) is
 * scored on seven factors in [0, 1], combined as a weighted sum into its confidence. Magnitude
 * outweighs the structural factors together, so structure alone never out-ranks a much larger
 * anomaly:
 *
 * <ul>
 *   <li><b>magnitude</b> ({@value #W_MAGNITUDE}): its strength.
 *   <li><b>root</b> ({@value #W_ROOT}): 1 less how far its strongest anomalous dependency explains
 *       it: that dependency's score (double if it started more than {@code tolerance} earlier, half
 *       if later; times the share of the node's latency rise its own accounts for, where both carry
 *       an {@link Anomaly#excess} in the same latency metric) less the node's own resource score,
 *       relative to its strength. A node with a comparable anomalous dependency may itself be a
 *       symptom of it; a dependency much weaker than the node, or slower by far fewer seconds,
 *       explains little.
 *   <li><b>explains</b> ({@value #W_EXPLAINS}): the share of the other anomalous nodes that depend
 *       on it, directly or through others (an upstream cause explains downstream symptoms, which
 *       appear in its callers), each counted as far as its strength reaches theirs.
 *   <li><b>reaches</b> ({@value #W_REACHES}): with a symptom, whether the symptom reaches the node
 *       through its dependencies along nodes that are all anomalous themselves (a fault shows in
 *       every caller between it and the symptom); 1 for every node without a symptom. A node the
 *       symptom cannot reach also keeps only {@value #UNREACHED} of its confidence.
 *   <li><b>onset</b> ({@value #W_ONSET}): the share of its anomalous callers that started after it
 *       (ties count half; 0.5 without anomalous callers).
 *   <li><b>change</b> ({@value #W_CHANGE}): a change on the node within {@code changeWindow} before
 *       its onset (fading linearly with the lead) or at most {@code tolerance} after.
 *   <li><b>chain</b> ({@value #W_CHAIN}): the share of the other anomalous nodes whose kind follows
 *       this node's kind in a known causal chain, among those whose kind is in that chain.
 * </ul>
 *
 * <p>Ties go to the earlier onset, then to the node name.
 */
public final class RootCauseRanker {
    static final double W_REACHES = 0.10;
    static final double W_EXPLAINS = 0.10;
    static final double W_ROOT = 0.15;
    static final double W_MAGNITUDE = 0.40;
    static final double W_ONSET = 0.10;
    static final double W_CHANGE = 0.10;
    static final double W_CHAIN = 0.05;

    /** The share of its confidence a node keeps when the symptom cannot reach it. */
    static final double UNREACHED = 0.5;

    private final Duration changeWindow;
    private final long tolerance;
    private final List<List<String>> chains;

    /**
     * @param changeWindow how long before an onset a change still counts as coinciding
     * @param tolerance onsets closer than this count as simultaneous
     * @param chains known causal chains of anomaly kinds, cause first
     */
    public RootCauseRanker(Duration changeWindow, Duration tolerance, List<List<String>> chains) {
        this.changeWindow = changeWindow;
        this.tolerance = tolerance.toMillis();
        this.chains = List.copyOf(chains);
    }

    /**
     * A 30-minute change window and the default {@link PatternsConfig}'s onset tolerance and known
     * chains (the job file's {@code patterns:} without overrides).
     */
    public static RootCauseRanker defaults() {
        PatternsConfig p = PatternsConfig.defaults();
        return new RootCauseRanker(
                Duration.ofMinutes(30), p.thresholds().onsetTolerance(), p.chainNames());
    }

    /** Ranks every anomalous node. */
    public List<Candidate> rank(
            DependencyGraph graph, Collection<Anomaly> anomalies, Collection<Change> changes) {
        return rank(graph, anomalies, changes, null);
    }

    /**
     * Ranks the anomalous nodes that can explain {@code symptom} (itself and what it depends on);
     * with a null symptom, every anomalous node.
     */
    public List<Candidate> rank(
            DependencyGraph graph,
            Collection<Anomaly> anomalies,
            Collection<Change> changes,
            String symptom) {
        Set<String> scope = null;
        if (symptom != null) {
            scope = new TreeSet<>(graph.downstream(symptom));
            scope.add(symptom);
        }
        Map<String, Evidence> shown = evidence(graph, anomalies, scope);
        Map<String, Anomaly> byNode = new TreeMap<>();
        shown.forEach((n, e) -> byNode.put(n, e.summary()));
        Map<String, Set<String>> hidden = passThroughs(graph, shown);
        DependencyGraph seen = withHidden(graph, hidden);
        Set<String> reached = symptom == null ? null : reached(seen, symptom, byNode.keySet());
        List<Scored> scored = new ArrayList<>();
        for (Evidence e : shown.values()) {
            Scored s = score(seen, e, shown, byNode, changes, symptom, reached);
            Set<String> behind = hidden.get(e.summary().node());
            if (behind != null) {
                s.evidence()
                        .add(
                                ("no dependency known, and %s rose less in the same series at"
                                                + " the same time: it may stand in front of them")
                                        .formatted(String.join(", ", behind)));
            }
            scored.add(s);
        }
        scored.sort(
                Comparator.comparingDouble(Scored::confidence)
                        .reversed()
                        .thenComparingLong(s -> s.anomaly.onset())
                        .thenComparing(s -> s.anomaly.node()));
        List<Candidate> out = new ArrayList<>(scored.size());
        for (Scored s : scored) out.add(new Candidate(s.anomaly.node(), s.confidence, s.evidence));
        return out;
    }

    private record Scored(Anomaly anomaly, double confidence, List<String> evidence) {}

    /**
     * What one node shows, all its anomalous series together: its own (resource, latency, errors,
     * load, other) and its callers' calls to it ({@link Anomaly.Facet#CALL_LATENCY} with it as the
     * peer). A call's latency points at the dependency called, so it never counts for the caller; a
     * node's latency on all its calls together (no peer) counts for it only when it has no
     * dependency in the graph (nothing else to point at: its own network).
     *
     * @param local the strongest of its resource series: a fault there does not travel to it from a
     *     dependency
     * @param own its strongest own series, null when only its callers' calls show it
     * @param calls its callers' strongest call-latency series towards it, or null
     * @param summary the node's merged anomaly: the strongest score and kind, the earliest onset
     * @param series every series, strongest first
     */
    private record Evidence(
            double local, Anomaly own, Anomaly calls, Anomaly summary, List<Anomaly> series) {}

    private static Map<String, Evidence> evidence(
            DependencyGraph graph, Collection<Anomaly> anomalies, Set<String> scope) {
        Map<String, List<Anomaly>> byNode = new TreeMap<>();
        for (Anomaly a : anomalies) {
            if (a.score() <= 0) continue;
            String to = a.node();
            if (a.facet() == Anomaly.Facet.CALL_LATENCY) {
                if (a.peer() != null) to = a.peer();
                else if (!graph.dependenciesOf(a.node()).isEmpty()) continue;
            }
            if (scope != null && !scope.contains(to)) continue;
            byNode.computeIfAbsent(to, k -> new ArrayList<>()).add(a);
        }
        Map<String, Evidence> out = new TreeMap<>();
        byNode.forEach(
                (node, list) -> {
                    list.sort(
                            Comparator.comparingDouble(Anomaly::score)
                                    .reversed()
                                    .thenComparingLong(Anomaly::onset)
                                    .thenComparing(Anomaly::node)
                                    .thenComparing(Anomaly::kind)
                                    .thenComparing(Anomaly::detail));
                    Anomaly own = null;
                    Anomaly calls = null;
                    double local = 0;
                    long onset = Long.MAX_VALUE;
                    for (Anomaly a : list) {
                        onset = Math.min(onset, a.onset());
                        boolean call = !a.node().equals(node);
                        if (call && calls == null) calls = a;
                        if (!call && own == null) own = a;
                        if (!call && a.facet() == Anomaly.Facet.RESOURCE)
                            local = Math.max(local, a.score());
                    }
                    Anomaly top = list.get(0);
                    // Independent facets add up (noisy-or of each facet's strongest series): a
                    // fault shows in several things the node measures, noise mostly in one.
                    Map<String, Double> facets = new TreeMap<>();
                    for (Anomaly a : list) {
                        String f = a.node().equals(node) ? a.facet().name() : "CALLERS";
                        facets.merge(f, a.score(), Math::max);
                    }
                    double normal = 1;
                    for (double f : facets.values()) normal *= 1 - f;
                    Anomaly summary =
                            new Anomaly(
                                    node,
                                    onset,
                                    1 - normal,
                                    own != null ? own.kind() : top.kind(),
                                    top.detail(),
                                    top.facet(),
                                    top.peer());
                    out.put(node, new Evidence(local, own, calls, summary, List.copyOf(list)));
                });
        return out;
    }

    /**
     * The dependencies the graph does not record but the evidence shows: a node with no known
     * dependency and no resource anomaly of its own (a load balancer, proxy or gateway seen from
     * its callers, say) whose every measured rise (latency, errors) is larger than another
     * anomalous node's in the same series, which started no later, may be calling it. Such a node
     * passes its callees' faults on: it gets them as dependencies, so they explain it and its
     * callers. Only rises in a known unit count ({@link Anomaly#excess}): without them nothing is
     * added. The other node must not depend on it already (no cycle), and no two nodes can stand in
     * front of each other, since each must have risen strictly more.
     */
    private Map<String, Set<String>> passThroughs(
            DependencyGraph graph, Map<String, Evidence> shown) {
        Map<String, Set<String>> hidden = new TreeMap<>();
        for (Evidence front : shown.values()) {
            String node = front.summary().node();
            if (!graph.dependenciesOf(node).isEmpty() || front.local() > 0) continue;
            Set<String> up = graph.upstream(node);
            for (Evidence back : shown.values()) {
                String other = back.summary().node();
                if (other.equals(node) || up.contains(other)) continue;
                if (back.summary().onset() > front.summary().onset() + tolerance) continue;
                if (java.util.Collections.disjoint(graph.callersOf(node), graph.callersOf(other)))
                    continue;
                if (risesLess(back, front)) {
                    hidden.computeIfAbsent(node, k -> new TreeSet<>()).add(other);
                }
            }
        }
        return hidden;
    }

    /**
     * Whether {@code back} rose less than {@code front} in every own series with a known excess
     * they both show, and they share at least one.
     */
    private static boolean risesLess(Evidence back, Evidence front) {
        String b = back.summary().node();
        String f = front.summary().node();
        int shared = 0;
        for (Anomaly fa : front.series()) {
            if (!fa.node().equals(f) || !fa.hasExcess()) continue;
            for (Anomaly ba : back.series()) {
                if (!ba.node().equals(b) || !ba.hasExcess() || !ba.kind().equals(fa.kind()))
                    continue;
                if (!(ba.excess() < fa.excess())) return false;
                shared++;
            }
        }
        return shared > 0;
    }

    private static DependencyGraph withHidden(
            DependencyGraph graph, Map<String, Set<String>> hidden) {
        if (hidden.isEmpty()) return graph;
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String n : graph.nodes()) deps.put(n, new TreeSet<>(graph.dependenciesOf(n)));
        hidden.forEach((n, h) -> deps.computeIfAbsent(n, k -> new TreeSet<>()).addAll(h));
        return DependencyGraph.of(deps);
    }

    /** The symptom and the anomalous nodes it reaches through anomalous dependencies only. */
    private static Set<String> reached(
            DependencyGraph graph, String symptom, Set<String> anomalous) {
        Set<String> seen = new TreeSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        seen.add(symptom);
        todo.add(symptom);
        while (!todo.isEmpty()) {
            for (String d : graph.dependenciesOf(todo.pop())) {
                if (anomalous.contains(d) && seen.add(d)) todo.add(d);
            }
        }
        return seen;
    }

    private Scored score(
            DependencyGraph graph,
            Evidence shown,
            Map<String, Evidence> evidence,
            Map<String, Anomaly> all,
            Collection<Change> changes,
            String symptom,
            Set<String> reached) {
        Anomaly c = shown.summary();
        List<String> why = new ArrayList<>();
        String node = c.node();
        double reaches = 1;
        if (reached != null && !node.equals(symptom)) {
            if (reached.contains(node)) {
                why.add("linked to the symptom " + symptom + " by anomalous callers only");
            } else {
                reaches = 0;
                why.add("a caller between it and the symptom " + symptom + " looks normal");
            }
        }
        int others = all.size() - 1;
        Set<String> up = graph.upstream(node);
        Set<String> down = graph.downstream(node);

        List<Anomaly> explained = new ArrayList<>();
        for (Anomaly a : all.values()) if (up.contains(a.node())) explained.add(a);
        // A weak anomaly explains a much stronger one upstream only in part: each explained node
        // counts as far as this node's score reaches its own.
        double share = 0;
        for (Anomaly a : explained) share += Math.min(1, c.score() / Math.max(1e-9, a.score()));
        double explains = others == 0 ? 1 : share / others;
        if (others == 0) {
            why.add("the only anomalous node");
        } else if (!explained.isEmpty()) {
            why.add(
                    "explains %d of %d other anomalous nodes through the graph (%s)"
                            .formatted(explained.size(), others, names(explained)));
        } else {
            why.add("explains none of the %d other anomalous nodes".formatted(others));
        }

        double worstDependency = 0;
        Anomaly worst = null;
        double worstShare = Double.NaN;
        for (Anomaly d : all.values()) {
            if (!down.contains(d.node())) continue;
            // A dependency that started clearly earlier weighs double, one that started later half.
            double w =
                    d.onset() < c.onset() - tolerance
                            ? 2 * d.score()
                            : d.onset() <= c.onset() + tolerance ? d.score() : d.score() / 2;
            // Latency adds up along a call: a dependency explains the node's latency only as far
            // as its own rose as much, in seconds, whatever the two scores.
            double part = latencyShare(shown, evidence.get(d.node()));
            if (!Double.isNaN(part)) w *= part;
            if (w > worstDependency) {
                worstDependency = w;
                worst = d;
                worstShare = part;
            }
        }
        // Relative: a dependency explains the node only as far as its anomaly is as strong as the
        // part of the node's own that can travel (latency, errors, load), not its resources.
        double root =
                1
                        - Math.max(
                                0,
                                Math.min(
                                        1,
                                        (worstDependency - shown.local())
                                                / Math.max(1e-9, c.score())));
        if (worst == null) {
            why.add("no anomalous dependency of its own");
        } else {
            why.add(
                    "depends on anomalous %s (score %s%s%s), which may explain it"
                            .formatted(
                                    worst.node(),
                                    fmt(worst.score()),
                                    worst.onset() > c.onset() + tolerance ? ", later" : "",
                                    Double.isNaN(worstShare) || worstShare >= 1
                                            ? ""
                                            : ", its latency rose "
                                                    + Math.round(100 * worstShare)
                                                    + " % as much"));
        }

        why.add(
                "anomaly score %s%s"
                        .formatted(fmt(c.score()), c.detail().isEmpty() ? "" : ": " + c.detail()));
        if (shown.calls() != null
                && (shown.own() == null || shown.own().score() < shown.calls().score() / 2)) {
            why.add(
                    ("its callers' calls to it are slow (%s: %s) while it shows %s: a fault in it"
                                    + " or in the network to it")
                            .formatted(
                                    shown.calls().node(),
                                    shown.calls().detail(),
                                    shown.own() == null
                                            ? "nothing itself"
                                            : "less itself (" + fmt(shown.own().score()) + ")"));
        }
        if (shown.series().size() > 1) {
            List<String> more = new ArrayList<>();
            for (Anomaly a : shown.series().subList(1, Math.min(4, shown.series().size()))) {
                more.add(
                        (a.node().equals(node) ? "" : a.node() + " ")
                                + (a.detail().isEmpty() ? a.kind() : a.detail())
                                + " ("
                                + fmt(a.score())
                                + ")");
            }
            why.add("also " + String.join("; ", more));
        }

        double onset = 0.5;
        if (!explained.isEmpty()) {
            double later = 0;
            long lead = Long.MAX_VALUE;
            for (Anomaly a : explained) {
                long d = a.onset() - c.onset();
                lead = Math.min(lead, d);
                later += d > tolerance ? 1 : (d >= -tolerance ? 0.5 : 0);
            }
            onset = later / explained.size();
            if (lead > tolerance) {
                why.add("anomalous %s before its callers".formatted(minutes(lead)));
            } else if (lead >= -tolerance && onset >= 0.5) {
                why.add("anomalous together with its callers");
            } else if (onset < 0.5) {
                why.add("anomalous after some of its callers");
            }
        }

        double change = 0;
        for (Change ch : changes) {
            if (!ch.node().equals(node)) continue;
            long lead = c.onset() - ch.at();
            if (lead < -tolerance || lead > changeWindow.toMillis()) continue;
            double f = lead <= 0 ? 1 : 1 - (double) lead / Math.max(1, changeWindow.toMillis()) / 2;
            if (f > change) {
                change = f;
                why.add(
                        "changed %s before its onset%s"
                                .formatted(
                                        minutes(Math.max(0, lead)),
                                        ch.description().isEmpty() ? "" : ": " + ch.description()));
            }
        }

        double chain = 0;
        for (List<String> known : chains) {
            int at = known.indexOf(c.kind());
            if (at < 0) continue;
            int inChain = 0;
            List<Anomaly> follow = new ArrayList<>();
            for (Anomaly a : all.values()) {
                if (a == c || a.node().equals(node)) continue;
                int j = known.indexOf(a.kind());
                if (j < 0) continue;
                inChain++;
                if (j > at) follow.add(a);
            }
            if (inChain > 0 && (double) follow.size() / inChain > chain) {
                chain = (double) follow.size() / inChain;
                why.add(
                        "%s starts the known chain %s, followed by %s"
                                .formatted(c.kind(), String.join(" → ", known), names(follow)));
            }
        }

        double confidence =
                W_REACHES * reaches
                        + W_EXPLAINS * explains
                        + W_ROOT * root
                        + W_MAGNITUDE * c.score()
                        + W_ONSET * onset
                        + W_CHANGE * change
                        + W_CHAIN * chain;
        // The symptom cannot reach a node past a normal caller: it explains the symptom at most in
        // part, whatever its own size.
        if (reaches == 0) confidence *= UNREACHED;
        confidence = Math.max(0, Math.min(1, confidence));
        return new Scored(c, confidence, why);
    }

    /**
     * How much of {@code node}'s latency rise {@code dependency}'s accounts for, in [0, 1]: the
     * dependency's {@link Anomaly#excess} over the node's, in a latency metric both have (the most
     * favourable one when they share several). NaN when they share none with a known excess.
     */
    private static double latencyShare(Evidence node, Evidence dependency) {
        double best = Double.NaN;
        String self = node.summary().node();
        String other = dependency.summary().node();
        for (Anomaly n : node.series()) {
            if (!own(n, self) || !(n.excess() > 0)) continue;
            for (Anomaly d : dependency.series()) {
                if (!own(d, other) || !d.hasExcess() || !d.kind().equals(n.kind())) continue;
                double share = Math.max(0, Math.min(1, d.excess() / n.excess()));
                if (Double.isNaN(best) || share > best) best = share;
            }
        }
        return best;
    }

    /** Whether {@code a} is {@code node}'s own latency (not a call's, not another node's). */
    private static boolean own(Anomaly a, String node) {
        return a.facet() == Anomaly.Facet.LATENCY && a.node().equals(node);
    }

    private static String names(List<Anomaly> as) {
        List<String> n = new ArrayList<>();
        for (Anomaly a : as) n.add(a.node());
        if (n.size() > 4) return String.join(", ", n.subList(0, 4)) + ", …";
        return String.join(", ", n);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    private static String minutes(long ms) {
        if (ms < 60_000) return (ms / 1000) + " s";
        return (ms / 60_000) + " min";
    }
}
