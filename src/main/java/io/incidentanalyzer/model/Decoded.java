package io.incidentanalyzer.model;

/**
 * What an input source emits: exactly one of the four event kinds, a signal read from an alert (the
 * optional alerts input), a span (the optional traces input), or a rejection. Decoding inside the
 * Kafka source keeps watermarks per partition; the router after the source splits this envelope
 * into typed streams and the dead-letter stream.
 *
 * @param ts event time of the decoded event; {@link Long#MIN_VALUE} for a rejection, so that a
 *     rejected record never moves the watermark
 */
public record Decoded(
        long ts,
        MetricSample metric,
        AuthEvent auth,
        LogEvent log,
        ChangeEvent change,
        DeadLetter rejected,
        Signal signal,
        Span span) {

    /** An envelope of an input event, a signal read from an alert, or a rejection (no span). */
    public Decoded(
            long ts,
            MetricSample metric,
            AuthEvent auth,
            LogEvent log,
            ChangeEvent change,
            DeadLetter rejected,
            Signal signal) {
        this(ts, metric, auth, log, change, rejected, signal, null);
    }

    /** An envelope of one of the four input events or a rejection (no signal). */
    public Decoded(
            long ts,
            MetricSample metric,
            AuthEvent auth,
            LogEvent log,
            ChangeEvent change,
            DeadLetter rejected) {
        this(ts, metric, auth, log, change, rejected, null);
    }

    public static Decoded of(MetricSample m) {
        return new Decoded(m.ts(), m, null, null, null, null);
    }

    public static Decoded of(AuthEvent a) {
        return new Decoded(a.ts(), null, a, null, null, null);
    }

    public static Decoded of(LogEvent l) {
        return new Decoded(l.ts(), null, null, l, null, null);
    }

    public static Decoded of(ChangeEvent c) {
        return new Decoded(c.ts(), null, null, null, c, null);
    }

    /** A signal read from an alert, at the time of its report. */
    public static Decoded of(Signal s) {
        return new Decoded(s.ts(), null, null, null, null, null, s);
    }

    /** A span read from the optional traces input. */
    public static Decoded of(Span s) {
        return new Decoded(s.ts(), null, null, null, null, null, null, s);
    }

    public static Decoded rejected(DeadLetter d) {
        return new Decoded(Long.MIN_VALUE, null, null, null, null, d);
    }

    public boolean isRejected() {
        return rejected != null;
    }
}
