package io.incidentanalyzer.correlate.rank;

import java.util.List;

/**
 * One ranked root-cause candidate.
 *
 * @param node the node blamed
 * @param confidence how strongly the evidence points at it, in [0, 1]
 * @param evidence why, one short sentence per factor that counted
 */
public record Candidate(String node, double confidence, List<String> evidence) {
    public Candidate {
        evidence = List.copyOf(evidence);
    }
}
