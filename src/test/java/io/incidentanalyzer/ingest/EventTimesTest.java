package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.RejectReason;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written path for the common RFC 3339 forms ({@link EventTimes#commonIso}) against the
 * general {@code java.time} parser: on every string, {@link EventTimes#iso} must give the same
 * epoch milliseconds or the same rejection (reason and detail) as {@link EventTimes#generalIso}.
 */
class EventTimesTest {

    private static final long SEED = 20240216L;

    @Test
    void commonFormsTakeTheFastPathWithJavaTimesValue() {
        String[] common = {
            "2024-02-16T08:33:00Z",
            "2024-02-16T08:33Z",
            "2024-02-16t08:33:00z",
            "2024-02-16T08:33:00.1Z",
            "2024-02-16T08:33:00.12Z",
            "2024-02-16T08:33:00.123Z",
            "2024-02-16T08:33:00.1234Z",
            "2024-02-16T08:33:00.12345Z",
            "2024-02-16T08:33:00.123456Z",
            "2024-02-16T08:33:00.1234567Z",
            "2024-02-16T08:33:00.12345678Z",
            "2024-02-16T08:33:00.123456789Z",
            "2024-02-16T08:33:00.999999999+01:00",
            "2024-02-16T08:33:00-05:30",
            "2024-02-16T00:00:00-00:00",
            "2024-02-29T23:59:59+14:00",
            "2000-01-01T00:00:00Z",
            "2099-12-31T23:59:59.999Z",
            "2000-03-01T00:00:00Z",
            "2100-01-01T05:00:00+17:59",
        };
        for (String s : common) {
            long fast = EventTimes.commonIso(s.toCharArray(), 0, s.length());
            assertThat(fast).as(s).isNotEqualTo(EventTimes.NOT_COMMON);
            assertThat(fast).as(s).isEqualTo(general(s));
        }
        assertThat(EventTimes.commonIso("2024-02-16T08:33:00.123Z".toCharArray(), 0, 24))
                .isEqualTo(Instant.parse("2024-02-16T08:33:00.123Z").toEpochMilli());
    }

    @Test
    void invalidDatesLeapSecondsAndRareFormsAreLeftToJavaTime() {
        String[] left = {
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-02-16T24:00:00Z",
            "2024-02-16T23:60:00Z",
            "2016-12-31T23:59:60Z",
            "2024-02-16T08:33:00.Z",
            "2024-02-16T08:33:00.1234567891Z",
            "2024-02-16T08:33:00",
            "2024-02-16 08:33:00Z",
            " 2024-02-16T08:33:00Z",
            "2024-02-16T08:33:00Z ",
            "2024-02-16T08:33:00+0100",
            "2024-02-16T08:33:00+01",
            "2024-02-16T08:33:00+18:00",
            "2024-02-16T08:33:00+01:60",
            "2024-02-16T08:33:00Z[UTC]",
            "1999-12-31T23:59:59Z",
            "2100-01-01T00:00:00Z",
            "2100-01-01T00:00:00.0001Z",
            "+2024-02-16T08:33:00Z",
            "2024-02-16T08:33:00.5",
            "1708072200000",
        };
        for (String s : left) {
            assertThat(EventTimes.commonIso(s.toCharArray(), 0, s.length()))
                    .as(s)
                    .isEqualTo(EventTimes.NOT_COMMON);
            assertSameOutcome(s);
        }
        assertThat(reject("2024-02-30T00:00:00Z").reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(reject("2016-12-31T23:59:60Z").reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
    }

    @Test
    void generatedStringsGiveJavaTimesOutcome() {
        Random random = new Random(SEED);
        int fast = 0;
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 100_000; i++) {
            String s = i % 4 == 3 ? mutate(random, generate(random)) : generate(random);
            if (EventTimes.commonIso(s.toCharArray(), 0, s.length()) != EventTimes.NOT_COMMON) {
                fast++;
            }
            if (assertSameOutcome(s)) {
                accepted++;
            } else {
                rejected++;
            }
        }
        // The generator must reach both paths and both outcomes, or the comparison proves little.
        assertThat(fast).isGreaterThan(10_000);
        assertThat(accepted).isGreaterThan(fast);
        assertThat(rejected).isGreaterThan(10_000);
    }

    /** True when accepted; asserts iso and generalIso agree on the value or the rejection. */
    private static boolean assertSameOutcome(String s) {
        Object expected;
        try {
            expected = EventTimes.generalIso(s, "ts");
        } catch (Reject r) {
            expected = r.reason() + ": " + r.getMessage();
        }
        Object actual;
        try {
            actual = EventTimes.iso(s, "ts");
        } catch (Reject r) {
            actual = r.reason() + ": " + r.getMessage();
        }
        assertThat(actual).as(s).isEqualTo(expected);
        return expected instanceof Long;
    }

    private static long general(String s) {
        try {
            return EventTimes.generalIso(s, "ts");
        } catch (Reject r) {
            throw new AssertionError(s + ": " + r.getMessage(), r);
        }
    }

    private static Reject reject(String s) {
        try {
            EventTimes.iso(s, "ts");
        } catch (Reject r) {
            return r;
        }
        throw new AssertionError(s + " was accepted");
    }

    /** Mostly near-valid date-times: edges of every field, every separator and offset form. */
    private static String generate(Random r) {
        StringBuilder s = new StringBuilder(40);
        s.append(pick(r, 1998, 2101, 4)).append('-');
        s.append(pick(r, 0, 13, 2)).append('-');
        s.append(pick(r, 0, 32, 2));
        s.append(r.nextInt(10) == 0 ? pickOf(r, " ", "t", "_") : "T");
        s.append(pick(r, 0, 24, 2)).append(':').append(pick(r, 0, 60, 2));
        if (r.nextInt(8) != 0) {
            s.append(':').append(r.nextInt(30) == 0 ? 60 : pick(r, 0, 59, 2));
            if (r.nextBoolean()) {
                s.append('.');
                int digits = r.nextInt(11);
                for (int d = 0; d < digits; d++) {
                    s.append((char) ('0' + r.nextInt(10)));
                }
            }
        }
        switch (r.nextInt(10)) {
            case 0, 1, 2 -> s.append('Z');
            case 3 -> s.append('z');
            case 4, 5 ->
                    s.append(r.nextBoolean() ? '+' : '-')
                            .append(pick(r, 0, 19, 2))
                            .append(':')
                            .append(pick(r, 0, 60, 2));
            case 6 ->
                    s.append(r.nextBoolean() ? '+' : '-')
                            .append(pick(r, 0, 19, 2))
                            .append(pick(r, 0, 60, 2));
            case 7 -> s.append('+').append(pick(r, 0, 19, 2));
            case 8 -> s.append(pickOf(r, "Z[UTC]", "+01:00[Europe/Paris]", "", " ", "+01:00:30"));
            default -> s.append(pickOf(r, "Z", "-00:00", "+00:00"));
        }
        return r.nextInt(50) == 0 ? " " + s : s.toString();
    }

    private static String mutate(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int at = r.nextInt(b.length());
        String alphabet = "0123456789-:T.Zz+ t";
        switch (r.nextInt(3)) {
            case 0 -> b.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
            case 1 -> b.deleteCharAt(at);
            default -> b.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** A number in [min, max], zero-padded to width, usually the middle and often an edge. */
    private static String pick(Random r, int min, int max, int width) {
        int v =
                switch (r.nextInt(16)) {
                    case 0 -> min;
                    case 1 -> max;
                    default -> min + r.nextInt(max - min + 1);
                };
        return String.format("%0" + width + "d", v);
    }

    private static String pickOf(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }
}
