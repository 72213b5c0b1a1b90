package io.incidentanalyzer.model;

/**
 * One call from one service to another, read from a trace: the caller's CLIENT span and the
 * callee's SERVER span paired, a span whose parent is in another service, or a CLIENT span naming
 * its {@code peer.service}.
 *
 * @param ts event time, epoch ms: the later end of the spans paired
 * @param caller the calling service
 * @param callee the service called
 * @param durationMs the call's duration as the caller saw it (its CLIENT span) where there is one,
 *     else the callee's span
 * @param error whether either side recorded an error
 */
public record CallEdge(long ts, String caller, String callee, double durationMs, boolean error) {

    /** The edge's key: caller and callee. */
    public String edge() {
        return caller + " -> " + callee;
    }
}
