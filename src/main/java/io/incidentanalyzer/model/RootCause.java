package io.incidentanalyzer.model;

import java.util.List;

/**
 * A cause an incident names: a ranked root-cause candidate, or a contributing cause that is not the
 * main one but blocks recovery.
 *
 * @param kind what kind of cause
 * @param service the service it sits on
 * @param confidence how strongly the evidence points at it, in [0, 1]; for a contributing cause,
 *     the strength of its own signal
 * @param onset event time its first signal began
 * @param evidence why, one short sentence per fact that counted, figures included
 * @param signals ids of the signals behind it, the one that measures it first
 * @param heavyHitter for a cause its signal traced to one value (a refresh storm's client version,
 *     say): that value; null otherwise
 */
public record RootCause(
        CauseKind kind,
        String service,
        double confidence,
        long onset,
        List<String> evidence,
        List<String> signals,
        HeavyHitter heavyHitter) {
    public RootCause {
        evidence = List.copyOf(evidence);
        signals = List.copyOf(signals);
    }

    /** A cause that no single value carries. */
    public RootCause(
            CauseKind kind,
            String service,
            double confidence,
            long onset,
            List<String> evidence,
            List<String> signals) {
        this(kind, service, confidence, onset, evidence, signals, null);
    }

    /** Whether this names the same cause (kind and service) as {@code other}. */
    public boolean sameCause(RootCause other) {
        return other != null && kind == other.kind && service.equals(other.service);
    }
}
