package io.incidentanalyzer.detect;

import java.util.Locale;

/** Small formatting and timing helpers the detectors share. */
final class DetectorText {
    private static final long TIMER_ROUNDING_MS = 1000;

    private DetectorText() {}

    /** A number as evidence shows it: whole numbers without decimals, others with two. */
    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Rounds a timer up to a whole second, so that the timers of many keys coalesce. */
    static long roundUp(long ts) {
        return Math.floorDiv(ts + TIMER_ROUNDING_MS - 1, TIMER_ROUNDING_MS) * TIMER_ROUNDING_MS;
    }
}
