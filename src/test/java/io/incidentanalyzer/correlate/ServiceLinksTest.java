package io.incidentanalyzer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.correlate.rank.DependencyGraph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceLinksTest {
    private final ServiceLinks links =
            new ServiceLinks(
                    DependencyGraph.of(
                            Map.of(
                                    "index", List.of(),
                                    "search", List.of("index"),
                                    "payments", List.of(),
                                    "front", List.of("search", "payments"))));

    @Test
    void servicesOnOnePathAreLinkedEitherWayAndTransitively() {
        assertThat(links.linked("search", "index")).isTrue();
        assertThat(links.linked("index", "search")).isTrue();
        assertThat(links.linked("front", "index")).isTrue();
        assertThat(links.linked("index", "front")).isTrue();
    }

    @Test
    void aSharedCallerIsNotAPath() {
        assertThat(links.linked("search", "payments")).isFalse();
        assertThat(links.linked("index", "payments")).isFalse();
    }

    @Test
    void aServiceTheGraphDoesNotNameIsLinkedToEveryOther() {
        assertThat(links.linked("unknown", "payments")).isTrue();
        assertThat(links.linked("index", null)).isTrue();
    }
}
