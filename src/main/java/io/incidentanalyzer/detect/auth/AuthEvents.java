package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.model.AuthEvent;
import java.util.Comparator;
import java.util.Locale;

/** What the auth detectors share: the order of simultaneous events and how rates are written. */
final class AuthEvents {
    private AuthEvents() {}

    private static final Comparator<String> TEXT =
            Comparator.nullsFirst(Comparator.<String>naturalOrder());

    /**
     * Buffering granule of the auth detectors' event-time ordering: one timer per key and second
     * instead of one per distinct millisecond (measured: the timer queue was the largest cost of
     * the refresh-storm detector at storm rates). Bucket ends are whole seconds.
     */
    static final long ORDERING_GRANULE_MS = 1000;

    /**
     * Events of one key in one ordering granule: by event time, then by every field, so the
     * sketches see them in the same order whatever order they arrived in.
     */
    static final Comparator<AuthEvent> ORDER =
            Comparator.comparingLong(AuthEvent::ts)
                    .thenComparing(
                            AuthEvent::type, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(AuthEvent::sessionId, TEXT)
                    .thenComparing(AuthEvent::service, TEXT)
                    .thenComparing(AuthEvent::caller, TEXT)
                    .thenComparing(AuthEvent::clientId, TEXT)
                    .thenComparing(AuthEvent::clientVersion, TEXT)
                    .thenComparing(AuthEvent::userId, TEXT)
                    .thenComparing(AuthEvent::ip, TEXT)
                    .thenComparing(AuthEvent::outcome, TEXT)
                    .thenComparing(AuthEvent::error, TEXT);

    /** A bucket's count over its expectation; infinite over an expectation of zero. */
    static double ratio(double n, double expected) {
        if (expected > 0) return n / expected;
        return n > 0 ? Double.POSITIVE_INFINITY : 1;
    }

    /** {@code count} events per bucket as a rate per second, e.g. "473.1/s". */
    static String rate(double count, long bucketMs) {
        return String.format(Locale.ROOT, "%.1f/s", perSecond(count, bucketMs));
    }

    static double perSecond(double count, long bucketMs) {
        return count * 1000.0 / bucketMs;
    }

    static long roundUp(long ts, long step) {
        return Math.floorDiv(ts + step - 1, step) * step;
    }
}
