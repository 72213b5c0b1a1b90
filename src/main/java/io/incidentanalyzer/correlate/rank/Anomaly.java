package io.incidentanalyzer.correlate.rank;

import java.util.Objects;

/**
 * The anomaly evidence of one node: when it started, how strong it is and what kind it is (a signal
 * kind such as {@code SATURATION}, or a metric name).
 *
 * @param node the service or component, as named in the {@link DependencyGraph}
 * @param onset event time (epoch ms) the anomaly started
 * @param score how anomalous, in [0, 1] (clamped)
 * @param kind what was seen, matched against the ranker's known causal chains
 * @param detail a short human description, quoted in the evidence (may be empty)
 */
public record Anomaly(String node, long onset, double score, String kind, String detail) {
    public Anomaly {
        Objects.requireNonNull(node, "node");
        kind = kind == null ? "" : kind;
        detail = detail == null ? "" : detail;
        score = Double.isNaN(score) ? 0 : Math.max(0, Math.min(1, score));
    }

    public Anomaly(String node, long onset, double score, String kind) {
        this(node, onset, score, kind, "");
    }
}
