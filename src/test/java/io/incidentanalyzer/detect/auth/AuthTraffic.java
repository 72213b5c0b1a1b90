package io.incidentanalyzer.detect.auth;

import static io.incidentanalyzer.testing.Fixtures.t;

import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Auth events for the detector tests, built as traffic: sessions, storms, failures. */
public final class AuthTraffic {
    public static final String TOKEN_SERVICE = "token-verification";

    /** The normal refresh period of the tests' sessions: a 15 min token refreshed at 14 min. */
    static final long REFRESH_PERIOD_S = 14 * 60;

    private final List<AuthEvent> events = new ArrayList<>();

    public List<AuthEvent> events() {
        List<AuthEvent> out = new ArrayList<>(events);
        out.sort(Comparator.comparingLong(AuthEvent::ts));
        return out;
    }

    /**
     * {@code n} sessions that exist from before {@code fromS} and refresh once per {@link
     * #REFRESH_PERIOD_S}, their phases spread evenly, until {@code toS} (seconds after T0).
     */
    public AuthTraffic sessions(int n, String client, String version, long fromS, long toS) {
        for (int i = 0; i < n; i++) {
            long phaseMs = i * REFRESH_PERIOD_S * 1000 / n;
            String id = client + "-" + i;
            for (long ms = phaseMs; ms < (toS - fromS) * 1000; ms += REFRESH_PERIOD_S * 1000) {
                events.add(refresh(t(fromS) + ms, client, version, id));
            }
        }
        return this;
    }

    /**
     * {@code n} new sessions that log in evenly over [{@code fromS}, {@code fromS + spreadS}), then
     * refresh once per period until {@code toS}.
     */
    AuthTraffic logins(int n, String client, String version, long fromS, long spreadS, long toS) {
        for (int i = 0; i < n; i++) {
            long at = t(fromS) + i * spreadS * 1000 / n;
            String id = "new-" + client + "-" + i;
            events.add(event(at, AuthEventType.LOGIN, client, version, id, null, null));
            for (long ms = at + REFRESH_PERIOD_S * 1000;
                    ms < t(toS);
                    ms += REFRESH_PERIOD_S * 1000) {
                events.add(refresh(ms, client, version, id));
            }
        }
        return this;
    }

    /**
     * {@code n} sessions at any time in [{@code fromS}, {@code toS}), each {@code lengthS} long: it
     * logs in, refreshes once per {@link #REFRESH_PERIOD_S}, and logs out at its end, when a new
     * session of its slot logs in. The slots' ages are spread evenly, so the churn is steady.
     */
    AuthTraffic churning(int n, String client, String version, long fromS, long toS, long lengthS) {
        return churning(n, client, version, fromS, toS, lengthS, Long.MAX_VALUE, 0);
    }

    /**
     * As {@link #churning(int, String, String, long, long, long)}, but from {@code loopFromS} on
     * every session refreshes every {@code loopEveryS} seconds instead, the slots' phases spread
     * evenly over that period: a client release that refreshes too often.
     */
    AuthTraffic churning(
            int n,
            String client,
            String version,
            long fromS,
            long toS,
            long lengthS,
            long loopFromS,
            long loopEveryS) {
        long from = t(fromS);
        long to = t(toS);
        long length = lengthS * 1000;
        long period = REFRESH_PERIOD_S * 1000;
        long loopFrom = loopFromS == Long.MAX_VALUE ? Long.MAX_VALUE : t(loopFromS);
        long every = loopEveryS * 1000;
        for (int i = 0; i < n; i++) {
            int j = 0;
            for (long start = from - i * length / n; start < to; start += length, j++) {
                String id = client + "-" + i + "-" + j;
                long end = start + length;
                List<Long> refreshes = new ArrayList<>();
                for (long r = start + period; r < end && r < loopFrom; r += period) {
                    refreshes.add(r);
                }
                if (loopFrom < end) {
                    // On the loop's grid: one refresh per loop period and slot, at the slot's
                    // phase.
                    long r = loopFrom + i * every / n;
                    while (r <= start) r += every;
                    for (; r < end; r += every) refreshes.add(r);
                }
                if (start >= from) {
                    events.add(event(start, AuthEventType.LOGIN, client, version, id, null, null));
                }
                for (long r : refreshes) {
                    if (r >= from && r < to) events.add(refresh(r, client, version, id));
                }
                if (end >= from && end < to) {
                    events.add(event(end, AuthEventType.LOGOUT, client, version, id, null, null));
                }
            }
        }
        return this;
    }

    /**
     * {@code n} sessions that refresh every {@code everyS} seconds in [fromS, toS), each of its own
     * client and version: a storm that no client, version, user or address carries.
     */
    public AuthTraffic spreadLooping(int n, long fromS, long toS, long everyS) {
        for (int i = 0; i < n; i++) {
            String id = "spread-" + i;
            for (long ms = t(fromS) + i * everyS * 1000 / n; ms < t(toS); ms += everyS * 1000) {
                events.add(refresh(ms, "client-" + i, "0." + i, id));
            }
        }
        return this;
    }

    /** {@code n} sessions that refresh every {@code everyS} seconds in [fromS, toS). */
    public AuthTraffic looping(
            int n, String client, String version, long fromS, long toS, long everyS) {
        for (int i = 0; i < n; i++) {
            String id = "loop-" + i;
            for (long ms = t(fromS) + i * everyS * 1000 / n; ms < t(toS); ms += everyS * 1000) {
                events.add(refresh(ms, client, version, id));
            }
        }
        return this;
    }

    /**
     * {@code perBucket} failures of {@code type} from {@code caller} in each 10 s of [from, to).
     */
    public AuthTraffic failures(
            AuthEventType type, String caller, int perBucket, long fromS, long toS, String error) {
        for (long b = fromS; b < toS; b += 10) {
            for (int i = 0; i < perBucket; i++) {
                long at = t(b) + i * 10_000L / Math.max(1, perBucket);
                events.add(event(at, type, "web", "1.0", "f-" + i, caller, error));
            }
        }
        return this;
    }

    /** Failures at random times: on average {@code perBucket} per 10 s of [from, to). */
    AuthTraffic randomFailures(
            AuthEventType type, String caller, double perBucket, long fromS, long toS, long seed) {
        Random rng = new Random(seed);
        long n = Math.round(perBucket * (toS - fromS) / 10.0);
        for (long i = 0; i < n; i++) {
            long at = t(fromS) + (long) (rng.nextDouble() * (toS - fromS) * 1000);
            events.add(event(at, type, "web", "1.0", "r-" + i, caller, "token expired"));
        }
        return this;
    }

    static AuthEvent refresh(long ts, String client, String version, String id) {
        return event(ts, AuthEventType.REFRESH, client, version, id, null, null);
    }

    static AuthEvent event(
            long ts,
            AuthEventType type,
            String client,
            String version,
            String id,
            String caller,
            String error) {
        return new AuthEvent(
                ts,
                TOKEN_SERVICE,
                type,
                client,
                version,
                "u-" + id,
                "s-" + id,
                "10.0." + Math.floorMod(id.hashCode(), 256) + "." + Math.floorMod(id.length(), 250),
                caller,
                error == null ? "success" : "failure",
                error);
    }

    /**
     * Feeds events in the given order with a watermark that trails the newest event by {@code
     * lagMs} (advanced once per second of event time), then a final watermark at {@code until}.
     */
    public static <K> void play(
            KeyedOneInputStreamOperatorTestHarness<K, AuthEvent, ?> harness,
            List<AuthEvent> events,
            long lagMs,
            long until)
            throws Exception {
        long newest = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        for (AuthEvent e : events) {
            harness.processElement(e, e.ts());
            newest = Math.max(newest, e.ts());
            if (newest - lagMs >= watermark + 1000) {
                watermark = newest - lagMs;
                harness.processWatermark(watermark);
            }
        }
        if (until > watermark) harness.processWatermark(until);
    }

    /** The events reordered within windows of {@code windowMs}: inside a lag of that size. */
    static List<AuthEvent> shuffledWithin(List<AuthEvent> ordered, long windowMs, long seed) {
        List<AuthEvent> out = new ArrayList<>(ordered.size());
        Random rng = new Random(seed);
        ToLongFunction<AuthEvent> window = e -> Math.floorDiv(e.ts(), windowMs);
        int i = 0;
        while (i < ordered.size()) {
            int j = i;
            long w = window.applyAsLong(ordered.get(i));
            while (j < ordered.size() && window.applyAsLong(ordered.get(j)) == w) j++;
            List<AuthEvent> block = new ArrayList<>(ordered.subList(i, j));
            Collections.shuffle(block, rng);
            out.addAll(block);
            i = j;
        }
        return out;
    }

    private AuthTraffic() {}

    public static AuthTraffic traffic() {
        return new AuthTraffic();
    }
}
