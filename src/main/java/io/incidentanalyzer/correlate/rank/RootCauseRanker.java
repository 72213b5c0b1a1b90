package io.incidentanalyzer.correlate.rank;

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
 * <p>Each anomalous node in scope (with a symptom: the symptom and everything it depends on) is
 * scored on seven factors in [0, 1], combined as a weighted sum into its confidence:
 *
 * <ul>
 *   <li><b>reaches</b> ({@value #W_REACHES}): with a symptom, whether the symptom reaches the node
 *       through its dependencies along nodes that are all anomalous themselves (a fault shows in
 *       every caller between it and the symptom); 1 for every node without a symptom.
 *   <li><b>explains</b> ({@value #W_EXPLAINS}): the share of the other anomalous nodes that depend
 *       on it, directly or through others: an upstream cause explains downstream symptoms, which
 *       appear in its callers.
 *   <li><b>root</b> ({@value #W_ROOT}): 1 less the strongest anomaly among its own dependencies
 *       that started no later than it (half weight if later): a node with an anomalous dependency
 *       may itself be a symptom of it.
 *   <li><b>magnitude</b> ({@value #W_MAGNITUDE}): its own anomaly score.
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
    static final double W_REACHES = 0.25;
    static final double W_EXPLAINS = 0.15;
    static final double W_ROOT = 0.20;
    static final double W_MAGNITUDE = 0.15;
    static final double W_ONSET = 0.10;
    static final double W_CHANGE = 0.10;
    static final double W_CHAIN = 0.05;

    /**
     * The causal chain the issue names: refresh storm → verification overload (auth failures) →
     * database CPU saturation → callers' backlog, as signal kinds.
     */
    public static final List<List<String>> KNOWN_CHAINS =
            List.of(List.of("REFRESH_STORM", "AUTH_FAILURES", "SATURATION", "BACKLOG_GROWTH"));

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

    /** A 30-minute change window, 1-minute tolerance and the {@link #KNOWN_CHAINS}. */
    public static RootCauseRanker defaults() {
        return new RootCauseRanker(Duration.ofMinutes(30), Duration.ofMinutes(1), KNOWN_CHAINS);
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
        Map<String, Anomaly> byNode = merge(anomalies, scope);
        Set<String> reached = symptom == null ? null : reached(graph, symptom, byNode.keySet());
        List<Scored> scored = new ArrayList<>();
        for (Anomaly a : byNode.values()) {
            scored.add(score(graph, a, byNode, changes, symptom, reached));
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

    /** One anomaly per node: the strongest score, the earliest onset, the kinds joined. */
    private static Map<String, Anomaly> merge(Collection<Anomaly> anomalies, Set<String> scope) {
        Map<String, Anomaly> byNode = new TreeMap<>();
        List<Anomaly> sorted = new ArrayList<>(anomalies);
        sorted.sort(
                Comparator.comparing(Anomaly::node)
                        .thenComparingLong(Anomaly::onset)
                        .thenComparing(Anomaly::kind));
        for (Anomaly a : sorted) {
            if (a.score() <= 0 || (scope != null && !scope.contains(a.node()))) continue;
            byNode.merge(
                    a.node(),
                    a,
                    (x, y) ->
                            new Anomaly(
                                    x.node(),
                                    Math.min(x.onset(), y.onset()),
                                    Math.max(x.score(), y.score()),
                                    x.score() >= y.score() ? x.kind() : y.kind(),
                                    x.score() >= y.score() ? x.detail() : y.detail()));
        }
        return byNode;
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
            Anomaly c,
            Map<String, Anomaly> all,
            Collection<Change> changes,
            String symptom,
            Set<String> reached) {
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
        double explains = others == 0 ? 1 : (double) explained.size() / others;
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
        for (Anomaly d : all.values()) {
            if (!down.contains(d.node())) continue;
            double w = d.onset() <= c.onset() + tolerance ? d.score() : d.score() / 2;
            if (w > worstDependency) {
                worstDependency = w;
                worst = d;
            }
        }
        double root = 1 - worstDependency;
        if (worst == null) {
            why.add("no anomalous dependency of its own");
        } else {
            why.add(
                    "depends on anomalous %s (score %s%s), which may explain it"
                            .formatted(
                                    worst.node(),
                                    fmt(worst.score()),
                                    worst.onset() > c.onset() + tolerance ? ", later" : ""));
        }

        why.add(
                "anomaly score %s%s"
                        .formatted(fmt(c.score()), c.detail().isEmpty() ? "" : ": " + c.detail()));

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
        confidence = Math.max(0, Math.min(1, confidence));
        return new Scored(c, confidence, why);
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
