package io.incidentanalyzer.detect.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AuthEventsTest {

    /** The order as the chain of comparators it replaced spelled it. */
    private static final Comparator<String> TEXT =
            Comparator.nullsFirst(Comparator.<String>naturalOrder());

    private static final Comparator<AuthEvent> SPELLED_OUT =
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

    @Test
    void simultaneousEventsAreOrderedByTimeThenTypeThenEveryFieldNullsFirst() {
        Random random = new Random(7);
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) events.add(event(random));

        for (int i = 0; i < events.size(); i++) {
            AuthEvent a = events.get(i);
            AuthEvent b = events.get((i * 31 + 7) % events.size());
            assertThat(Integer.signum(AuthEvents.ORDER.compare(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(SPELLED_OUT.compare(a, b)));
            assertThat(AuthEvents.ORDER.compare(a, a)).isZero();
        }
        List<AuthEvent> sorted = new ArrayList<>(events);
        sorted.sort(AuthEvents.ORDER);
        List<AuthEvent> expected = new ArrayList<>(events);
        expected.sort(SPELLED_OUT);
        assertThat(sorted).isEqualTo(expected);
    }

    @Test
    void theFastSortGivesTheComparatorsOrder() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            int n = random.nextInt(400);
            // Times within one granule, with many ties, or spread too far to pack (the fallback).
            long spread = round % 10 == 9 ? Long.MAX_VALUE : 1 + random.nextInt(1000);
            long base = random.nextLong() / 2;
            List<AuthEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long ts = round % 10 == 9 ? random.nextLong() : base + random.nextLong(spread);
                events.add(event(random, ts));
            }
            List<AuthEvent> expected = new ArrayList<>(events);
            expected.sort(SPELLED_OUT);
            AuthEvents.sort(events);
            assertThat(events).isEqualTo(expected);
        }
    }

    /** Few distinct values per field, so that most pairs tie on the first fields. */
    private static AuthEvent event(Random r) {
        return event(r, r.nextInt(3));
    }

    private static AuthEvent event(Random r, long ts) {
        AuthEventType[] types = AuthEventType.values();
        return new AuthEvent(
                ts,
                text(r),
                r.nextInt(types.length + 1) == 0 ? null : types[r.nextInt(types.length)],
                text(r),
                text(r),
                text(r),
                text(r),
                text(r),
                text(r),
                text(r),
                text(r));
    }

    private static String text(Random r) {
        int v = r.nextInt(4);
        return v == 0 ? null : "v" + v;
    }
}
