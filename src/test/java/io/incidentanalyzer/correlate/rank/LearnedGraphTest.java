package io.incidentanalyzer.correlate.rank;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.ServiceEdge;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearnedGraphTest {

    static final long T0 = 1708072380000L;

    /** The job file: the frontend calls checkout and payments, checkout nothing. */
    static final DependencyGraph DECLARED =
            DependencyGraph.of(Map.of("frontend", List.of("checkout", "payments")));

    @Test
    void setsTheEdgesTracesShowedAgainstTheDeclaredOnesBothWays() {
        LearnedGraph g =
                LearnedGraph.of(
                        DECLARED,
                        List.of(
                                new ServiceEdge("checkout", "orders-db", T0 + 60_000, false),
                                new ServiceEdge("frontend", "checkout", T0, true),
                                new ServiceEdge("checkout", "orders-db", T0 + 30_000, false)));

        assertThat(g.seen())
                .as("one per edge, the earliest sighting, sorted")
                .containsExactly(
                        new ServiceEdge("checkout", "orders-db", T0 + 30_000, false),
                        new ServiceEdge("frontend", "checkout", T0, true));
        assertThat(g.undeclared()).extracting(ServiceEdge::callee).containsExactly("orders-db");
        assertThat(g.unseen()).containsExactly("frontend -> payments");
        assertThat(g.report())
                .containsExactly(
                        "service graph: 2 edge(s) seen in traces, 1 not in dependsOn; 1 declared"
                                + " edge(s) never seen",
                        "  seen, not declared: checkout -> orders-db (first seen"
                                + " 2024-02-16T08:33:30Z)",
                        "  declared, never seen: frontend -> payments");
    }

    @Test
    void theMergedGraphHasBothAndTheDeclaredOneIsUnchanged() {
        DependencyGraph merged =
                LearnedGraph.of(
                                DECLARED,
                                List.of(new ServiceEdge("checkout", "orders-db", T0, false)))
                        .merged();

        assertThat(merged.downstream("frontend"))
                .containsExactly("checkout", "orders-db", "payments");
        assertThat(merged.callersOf("orders-db")).containsExactly("checkout");
        assertThat(DECLARED.hasEdge("checkout", "orders-db")).isFalse();
        assertThat(DECLARED.nodes()).doesNotContain("orders-db");
    }
}
