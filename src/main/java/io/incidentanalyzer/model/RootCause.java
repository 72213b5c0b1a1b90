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
 */
public record RootCause(
        CauseKind kind,
        String service,
        double confidence,
        long onset,
        List<String> evidence,
        List<String> signals) {
    public RootCause {
        evidence = List.copyOf(evidence);
        signals = List.copyOf(signals);
    }

    /** Whether this names the same cause (kind and service) as {@code other}. */
    public boolean sameCause(RootCause other) {
        return other != null && kind == other.kind && service.equals(other.service);
    }
}
