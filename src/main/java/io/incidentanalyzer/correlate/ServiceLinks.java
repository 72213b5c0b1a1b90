package io.incidentanalyzer.correlate;

import io.incidentanalyzer.correlate.rank.DependencyGraph;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which services are linked in the service graph: they share a path, either direction, transitively
 * (a shared caller is not a path). What decides whether a signal or a change belongs to an
 * incident.
 */
final class ServiceLinks {
    private final DependencyGraph graph;

    /** Each service's linked services (upstream and downstream), computed once per service. */
    private final Map<String, Set<String>> cache = new HashMap<>();

    ServiceLinks(DependencyGraph graph) {
        this.graph = graph;
    }

    /** Whether {@code service} is linked to any service of the incident's signals. */
    boolean linked(OpenIncident o, String service) {
        for (String other : o.services) if (linked(service, other)) return true;
        return false;
    }

    /**
     * Whether two services share a path in the service graph, either direction, transitively. A
     * service the graph does not name (none, or not in the job file) is linked to every other:
     * nothing says it stands apart, so it never splits an outage.
     */
    boolean linked(String a, String b) {
        if (a == null || b == null || a.equals(b)) return true;
        Set<String> nodes = graph.nodes();
        if (!nodes.contains(a) || !nodes.contains(b)) return true;
        return cache.computeIfAbsent(
                        a,
                        n -> {
                            Set<String> both = new TreeSet<>(graph.upstream(n));
                            both.addAll(graph.downstream(n));
                            return both;
                        })
                .contains(b);
    }
}
