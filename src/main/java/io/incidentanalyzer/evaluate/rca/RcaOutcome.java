package io.incidentanalyzer.evaluate.rca;

import io.incidentanalyzer.correlate.rank.Candidate;
import java.util.List;

/**
 * How one labelled fault was ranked.
 *
 * @param group what the scores are broken down by (fault type, or scenario and symptom)
 * @param id the fault, for the verbose listing
 * @param truth the true root-cause node
 * @param rank the 1-based rank of {@code truth}, 0 when it was not ranked
 * @param ranking the candidates, best first
 */
public record RcaOutcome(String group, String id, String truth, int rank, List<Candidate> ranking) {
    public RcaOutcome {
        ranking = List.copyOf(ranking);
    }

    /** The outcome of {@code ranking} for a fault whose root cause is {@code truth}. */
    public static RcaOutcome of(String group, String id, String truth, List<Candidate> ranking) {
        int rank = 0;
        for (int i = 0; i < ranking.size(); i++) {
            if (ranking.get(i).node().equals(truth)) {
                rank = i + 1;
                break;
            }
        }
        return new RcaOutcome(group, id, truth, rank, ranking);
    }

    public boolean within(int k) {
        return rank > 0 && rank <= k;
    }
}
