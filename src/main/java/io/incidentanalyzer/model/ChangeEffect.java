package io.incidentanalyzer.model;

/**
 * What one change (deploy, rollback, config or feature-flag switch) did to a signal of an incident:
 * the signal's value at the change against its value {@code correlation.effectWindow} later.
 *
 * <p>Facts only: the drafts put them in words ({@code draft.EffectWords}).
 *
 * @param change the change
 * @param signal id of the signal measured; {@code null} when no signal of the incident was open
 * @param kind the kind of that signal; null with no signal
 * @param service the service of that signal; null with no signal
 * @param measured what that signal measured; null with no signal
 * @param cause the cause the signal measures (the root cause or a contributing one); {@code null}
 *     with no signal
 * @param before the signal's value in its last report at or before the change
 * @param after its value in its last report by the end of the window (at its clear, if it cleared)
 * @param relativeChange {@code after / before - 1}; 0 without a signal
 * @param verdict what the change did
 * @param turningPoint the first change after which the root-cause signal cleared or fell by half
 * @param measuredAt event time of the signal's report the effect was read from (its CLEAR, if it
 *     cleared); at or before the change when no report came after it; -1 with no signal
 */
public record ChangeEffect(
        ChangeEvent change,
        String signal,
        SignalKind kind,
        String service,
        Measured measured,
        RootCause cause,
        double before,
        double after,
        double relativeChange,
        Verdict verdict,
        boolean turningPoint,
        long measuredAt) {

    /** Whether a report after the change carried a new figure of the signal. */
    public boolean newFigure() {
        return measuredAt > change.ts();
    }

    /** A change made while no signal of the incident was open: nothing to measure it on. */
    public static ChangeEffect notMeasured(ChangeEvent change) {
        return new ChangeEffect(
                change, null, null, null, null, null, 0, 0, 0, Verdict.NOT_MEASURED, false, -1);
    }

    /** What a change did to the signal it was measured on. */
    public enum Verdict {
        /** The signal cleared within the window. */
        CLEARED,
        /** It fell by at least half. */
        IMPROVED,
        /** It moved by less than that either way. */
        NO_EFFECT,
        /** It rose by at least a quarter. */
        WORSE,
        /** No signal of the incident was open at the change. */
        NOT_MEASURED
    }
}
