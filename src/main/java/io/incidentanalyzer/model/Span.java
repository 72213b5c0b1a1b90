package io.incidentanalyzer.model;

/**
 * One span of a trace, decoded from the traces topic: the part of it that says who called whom, how
 * long it took and whether it failed. The trace step pairs spans of different services into calls
 * between them (ingest.trace.SpanLinker).
 *
 * @param ts event time, epoch milliseconds: when the span ended (spans are exported as they end, so
 *     this is the order they arrive in)
 * @param traceId the trace, lower-case hex
 * @param spanId the span, lower-case hex
 * @param parentSpanId the parent span, lower-case hex; empty for a trace's root
 * @param service the service that recorded the span ({@code service.name} by default)
 * @param kind OTLP's span kind without its prefix: SERVER, CLIENT, PRODUCER, CONSUMER, INTERNAL or
 *     UNSPECIFIED
 * @param durationMs end minus start, milliseconds (fractions kept)
 * @param error whether the span's status is ERROR
 * @param peer for a CLIENT or PRODUCER span, the service it called as its {@code peer.service}
 *     attribute names it (a database or a vendor that records no spans of its own); null otherwise
 */
public record Span(
        long ts,
        String traceId,
        String spanId,
        String parentSpanId,
        String service,
        String kind,
        double durationMs,
        boolean error,
        String peer) {

    /** Whether this span is the caller's side of a call (CLIENT or PRODUCER). */
    public boolean callerSide() {
        return "CLIENT".equals(kind) || "PRODUCER".equals(kind);
    }

    /** Whether this span's call is counted towards its {@link #peer} already. */
    public boolean callsPeer() {
        return callerSide() && peer != null && !peer.isEmpty();
    }
}
