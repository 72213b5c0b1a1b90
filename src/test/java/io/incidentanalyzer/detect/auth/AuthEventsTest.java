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

    /** Few distinct values per field, so that most pairs tie on the first fields. */
    private static AuthEvent event(Random r) {
        AuthEventType[] types = AuthEventType.values();
        return new AuthEvent(
                r.nextInt(3),
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
