package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.model.AuthEvent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** What the auth detectors share: the order of simultaneous events and how rates are written. */
final class AuthEvents {
    private AuthEvents() {}

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
    static final Comparator<AuthEvent> ORDER = new EventOrder();

    /**
     * {@link #ORDER} written out: ts, type (null first), then sessionId, service, caller, clientId,
     * clientVersion, userId, ip, outcome and error (each null first). A chain of {@code
     * Comparator.comparing} lambdas did the same; sorting each granule with it was a quarter of the
     * refresh-storm detector's time in the mixed end-to-end benchmark (docs/benchmarks.md), most of
     * it in calls through the shared comparator lambdas that the JIT did not inline.
     */
    private static final class EventOrder implements Comparator<AuthEvent> {
        @Override
        public int compare(AuthEvent a, AuthEvent b) {
            int c = Long.compare(a.ts(), b.ts());
            if (c != 0) return c;
            if (a.type() != b.type()) {
                if (a.type() == null) return -1;
                if (b.type() == null) return 1;
                return a.type().compareTo(b.type());
            }
            if ((c = text(a.sessionId(), b.sessionId())) != 0) return c;
            if ((c = text(a.service(), b.service())) != 0) return c;
            if ((c = text(a.caller(), b.caller())) != 0) return c;
            if ((c = text(a.clientId(), b.clientId())) != 0) return c;
            if ((c = text(a.clientVersion(), b.clientVersion())) != 0) return c;
            if ((c = text(a.userId(), b.userId())) != 0) return c;
            if ((c = text(a.ip(), b.ip())) != 0) return c;
            if ((c = text(a.outcome(), b.outcome())) != 0) return c;
            return text(a.error(), b.error());
        }

        private static int text(String a, String b) {
            if (a == b) return 0;
            if (a == null) return -1;
            if (b == null) return 1;
            return a.compareTo(b);
        }
    }

    /**
     * Sorts {@code events} by {@link #ORDER}: by time with a primitive sort of (time, position)
     * pairs, then each run of equal times by {@link #ORDER}. The same order as {@code
     * events.sort(ORDER)}, whose comparator calls, rarely past the time and made through a call
     * site every sort in the JVM shares, were a seventh of the refresh-storm detector's time in the
     * mixed end-to-end benchmark (docs/benchmarks.md). Events {@link #ORDER} finds equal are equal
     * in every field.
     */
    static void sort(List<AuthEvent> events) {
        int n = events.size();
        if (n < 2) return;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long ts = events.get(i).ts();
            min = Math.min(min, ts);
            max = Math.max(max, ts);
        }
        if (max - min < 0 || max - min >= 1L << 31) {
            events.sort(ORDER); // times too far apart to pack with a position (not one granule)
            return;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = (events.get(i).ts() - min) << 32 | i;
        Arrays.sort(keys);
        AuthEvent[] sorted = new AuthEvent[n];
        for (int i = 0; i < n; i++) sorted[i] = events.get((int) keys[i]);
        int run = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || sorted[i].ts() != sorted[run].ts()) {
                if (i - run > 1) Arrays.sort(sorted, run, i, ORDER);
                run = i;
            }
        }
        for (int i = 0; i < n; i++) events.set(i, sorted[i]);
    }

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
