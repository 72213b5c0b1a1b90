package io.incidentanalyzer.correlate.rank;

import io.incidentanalyzer.model.ServiceEdge;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The service graph learned from traces next to the one the job file declares ({@code dependsOn}):
 * the two merged, and each set against the other: edges traces show that the job file does not name
 * (a dependency nobody wrote down), and declared edges no trace showed (a dependency gone, renamed,
 * or not traced). Immutable; sorted, so every report from it is deterministic.
 */
public final class LearnedGraph {
    private final DependencyGraph declared;
    private final Map<String, ServiceEdge> seen = new TreeMap<>();

    private LearnedGraph(DependencyGraph declared, Collection<ServiceEdge> edges) {
        this.declared = declared;
        for (ServiceEdge e : edges) {
            seen.merge(
                    key(e.caller(), e.callee()),
                    e,
                    (a, b) -> a.firstSeen() <= b.firstSeen() ? a : b);
        }
    }

    /**
     * @param declared the job file's graph
     * @param edges the edges traces showed, in any order, repeats allowed (the earliest sighting of
     *     each counts)
     */
    public static LearnedGraph of(DependencyGraph declared, Collection<ServiceEdge> edges) {
        return new LearnedGraph(declared, edges);
    }

    /** The declared graph with every edge traces showed added. */
    public DependencyGraph merged() {
        Map<String, Set<String>> more = new TreeMap<>();
        for (ServiceEdge e : seen.values()) {
            more.computeIfAbsent(e.caller(), k -> new TreeSet<>()).add(e.callee());
        }
        return declared.withEdges(more);
    }

    /** Every edge traces showed, sorted by caller and callee. */
    public List<ServiceEdge> seen() {
        return List.copyOf(seen.values());
    }

    /** Edges traces showed that the job file does not declare, sorted. */
    public List<ServiceEdge> undeclared() {
        List<ServiceEdge> out = new ArrayList<>();
        for (ServiceEdge e : seen.values()) {
            if (!declared.hasEdge(e.caller(), e.callee())) out.add(e);
        }
        return out;
    }

    /** Declared edges no trace showed, as {@code caller -> callee}, sorted. */
    public List<String> unseen() {
        List<String> out = new ArrayList<>();
        for (String caller : declared.nodes()) {
            for (String callee : declared.dependenciesOf(caller)) {
                if (!seen.containsKey(key(caller, callee))) out.add(key(caller, callee));
            }
        }
        return out;
    }

    /** The comparison as lines of text, for a report: counts, then each difference. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        List<ServiceEdge> undeclared = undeclared();
        List<String> unseen = unseen();
        lines.add(
                "service graph: %d edge(s) seen in traces, %d not in dependsOn; %d declared edge(s) never seen"
                        .formatted(seen.size(), undeclared.size(), unseen.size()));
        for (ServiceEdge e : undeclared) {
            lines.add(
                    "  seen, not declared: %s (first seen %s)"
                            .formatted(
                                    key(e.caller(), e.callee()),
                                    Instant.ofEpochMilli(e.firstSeen())));
        }
        for (String e : unseen) {
            lines.add("  declared, never seen: " + e);
        }
        return lines;
    }

    private static String key(String caller, String callee) {
        return caller + " -> " + callee;
    }
}
