package io.incidentanalyzer.correlate.rank;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who calls whom: an edge {@code caller → dependency} says the caller depends on (calls) the
 * dependency, so a fault in the dependency can show up as a symptom in the caller. The same shape
 * as a job file's {@code dependsOn}. Immutable; iteration order is sorted, so everything derived
 * from it is deterministic.
 */
public final class DependencyGraph implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Set<String>> dependencies = new TreeMap<>();
    private final Map<String, Set<String>> callers = new TreeMap<>();

    private DependencyGraph(Map<String, ? extends Collection<String>> dependsOn) {
        dependsOn.forEach(
                (caller, deps) -> {
                    node(caller);
                    for (String d : deps) {
                        if (d.equals(caller)) continue;
                        node(d);
                        dependencies.get(caller).add(d);
                        callers.get(d).add(caller);
                    }
                });
    }

    private void node(String n) {
        dependencies.computeIfAbsent(n, k -> new TreeSet<>());
        callers.computeIfAbsent(n, k -> new TreeSet<>());
    }

    /**
     * A graph from each node's direct dependencies (callees); nodes only named as one count too.
     */
    public static DependencyGraph of(Map<String, ? extends Collection<String>> dependsOn) {
        return new DependencyGraph(dependsOn);
    }

    /**
     * This graph with more edges (each caller's callees), e.g. the calls traces showed: a new
     * graph, this one unchanged.
     */
    public DependencyGraph withEdges(Map<String, ? extends Collection<String>> more) {
        Map<String, Set<String>> all = new TreeMap<>();
        dependencies.forEach((n, deps) -> all.put(n, new TreeSet<>(deps)));
        more.forEach((n, deps) -> all.computeIfAbsent(n, k -> new TreeSet<>()).addAll(deps));
        return new DependencyGraph(all);
    }

    /** Whether {@code caller} depends on {@code dependency} directly. */
    public boolean hasEdge(String caller, String dependency) {
        return dependenciesOf(caller).contains(dependency);
    }

    /** Every node named in the graph, sorted. */
    public Set<String> nodes() {
        return java.util.Collections.unmodifiableSet(dependencies.keySet());
    }

    /** The direct dependencies (callees) of {@code node}; empty when unknown. */
    public Set<String> dependenciesOf(String node) {
        return java.util.Collections.unmodifiableSet(dependencies.getOrDefault(node, Set.of()));
    }

    /** The direct callers of {@code node}; empty when unknown. */
    public Set<String> callersOf(String node) {
        return java.util.Collections.unmodifiableSet(callers.getOrDefault(node, Set.of()));
    }

    /** Every node {@code node} depends on directly or through others (not itself). */
    public Set<String> downstream(String node) {
        return reach(node, dependencies);
    }

    /** Every node that depends on {@code node} directly or through others (not itself). */
    public Set<String> upstream(String node) {
        return reach(node, callers);
    }

    private static Set<String> reach(String start, Map<String, Set<String>> edges) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(edges.getOrDefault(start, Set.of()));
        while (!todo.isEmpty()) {
            String n = todo.pop();
            if (n.equals(start) || !seen.add(n)) continue;
            todo.addAll(edges.getOrDefault(n, Set.of()));
        }
        return seen;
    }
}
