package io.incidentanalyzer.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Event-time parsing every decoder shares: ISO-8601 / RFC 3339 text and integer epoch times in a
 * given unit, both held to the plausible range, with a BAD_TIMESTAMP rejection whose detail names
 * the field.
 */
public final class EventTimes {

    /** Event times outside [2000-01-01, 2100-01-01] are producer bugs, not history. */
    public static final long MIN_TS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();

    public static final long MAX_TS = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    /** What exporters write for a number in a string; Double.parseDouble alone would take "NaN". */
    public static final Pattern DECIMAL =
            Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * ISO-8601 local date-time with an optional offset and an optional [zone] suffix, so that a
     * missing zone can be told apart from an unreadable string. The offset may also be in the basic
     * form {@code +0100} that strftime's %z writes.
     */
    private static final DateTimeFormatter ISO_DATE_TIME =
            new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    .optionalStart()
                    // Lenient "+HH" takes +01, +0100 and +01:00 alike.
                    .parseLenient()
                    .appendOffset("+HH", "Z")
                    .parseStrict()
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral('[')
                    .parseCaseSensitive()
                    .appendZoneRegionId()
                    .appendLiteral(']')
                    .optionalEnd()
                    .toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT)
                    .withChronology(IsoChronology.INSTANCE);

    private EventTimes() {}

    /** What {@link #commonIso} returns for a string it leaves to the general parser. */
    public static final long NOT_COMMON = Long.MIN_VALUE;

    /** Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar. */
    private static final long DAYS_0000_TO_1970 = 719_468L;

    /** Epoch milliseconds of an ISO-8601 date-time with a zone or offset, inside the range. */
    public static long iso(String text, String field) throws Reject {
        if (text.length() <= MAX_COMMON_LENGTH) {
            long fast = commonIso(text.toCharArray(), 0, text.length());
            if (fast != NOT_COMMON) {
                return fast;
            }
        }
        return generalIso(text, field);
    }

    /** The longest string {@link #commonIso} takes: nine fraction digits and a ±HH:MM offset. */
    static final int MAX_COMMON_LENGTH = "2000-01-01T00:00:00.123456789+00:00".length();

    /**
     * The common RFC 3339 forms without {@code java.time}, which cost more than the JSON parse (a
     * profile at issue 2 found 40% of the source threads' time in {@code DateTimeFormatter}):
     * {@code YYYY-MM-DDTHH:MM[:SS[.f{1,9}]]} then {@code Z} or {@code ±HH:MM}, {@code T} and {@code
     * Z} in either case, a valid calendar date and time, inside the range. Returns the epoch
     * milliseconds that {@link #generalIso} gives for the same text, or {@link #NOT_COMMON} for
     * anything else (leap seconds, other offset forms, zone ids, spaces, out of range, invalid
     * dates), so that only the general parser ever rejects, with its reasons unchanged.
     */
    public static long commonIso(char[] c, int off, int len) {
        if (len < 17 || len > MAX_COMMON_LENGTH) {
            return NOT_COMMON;
        }
        int year = digits4(c, off);
        int month = digits2(c, off + 5);
        int day = digits2(c, off + 8);
        int hour = digits2(c, off + 11);
        int minute = digits2(c, off + 14);
        if ((year | month | day | hour | minute) < 0
                || c[off + 4] != '-'
                || c[off + 7] != '-'
                || (c[off + 10] | 0x20) != 't'
                || c[off + 13] != ':') {
            return NOT_COMMON;
        }
        int i = off + 16;
        int end = off + len;
        int second = 0;
        int nanos = 0;
        if (c[i] == ':') {
            if (i + 3 > end || (second = digits2(c, i + 1)) < 0) {
                return NOT_COMMON;
            }
            i += 3;
            if (i < end && c[i] == '.') {
                int start = ++i;
                while (i < end && i - start < 10 && c[i] >= '0' && c[i] <= '9') {
                    nanos = nanos * 10 + (c[i] - '0');
                    i++;
                }
                int n = i - start;
                if (n == 0 || n > 9) {
                    return NOT_COMMON;
                }
                for (; n < 9; n++) {
                    nanos *= 10;
                }
            }
        }
        int offsetSeconds;
        if (i == end - 1 && (c[i] | 0x20) == 'z') {
            offsetSeconds = 0;
        } else if (i == end - 6 && (c[i] == '+' || c[i] == '-') && c[i + 3] == ':') {
            int oh = digits2(c, i + 1);
            int om = digits2(c, i + 4);
            if (oh < 0 || om < 0 || oh > 17 || om > 59) {
                return NOT_COMMON;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (c[i] == '-' ? -1 : 1);
        } else {
            return NOT_COMMON;
        }
        if (month < 1
                || month > 12
                || day < 1
                || day > lengthOfMonth(year, month)
                || hour > 23
                || minute > 59
                || second > 59) {
            return NOT_COMMON;
        }
        long seconds =
                epochDay(year, month, day) * 86_400L
                        + hour * 3600
                        + minute * 60
                        + second
                        - offsetSeconds;
        long millis = seconds * 1000 + nanos / 1_000_000;
        // At MAX_TS itself a sub-millisecond fraction is past the range; leave edges to java.time.
        if (millis < MIN_TS || millis >= MAX_TS) {
            return NOT_COMMON;
        }
        return millis;
    }

    private static int digits2(char[] c, int i) {
        int a = c[i] - '0';
        int b = c[i + 1] - '0';
        if (a < 0 || a > 9 || b < 0 || b > 9) {
            return -1;
        }
        return a * 10 + b;
    }

    private static int digits4(char[] c, int i) {
        int hi = digits2(c, i);
        int lo = digits2(c, i + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }

    private static int lengthOfMonth(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a valid proleptic Gregorian date with a non-negative year. */
    private static long epochDay(int year, int month, int day) {
        // Years start in March, so that the leap day is the last day of a year.
        int y = month <= 2 ? year - 1 : year;
        int era = y / 400;
        int yearOfEra = y - era * 400;
        int monthFromMarch = month > 2 ? month - 3 : month + 9;
        int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - DAYS_0000_TO_1970;
    }

    /**
     * {@link #iso} with {@code java.time} alone: every form ISO-8601 allows, and the rejections.
     */
    static long generalIso(String text, String field) throws Reject {
        String quoted = JsonInput.quote(text);
        TemporalAccessor parsed;
        try {
            parsed = ISO_DATE_TIME.parse(text.trim());
        } catch (DateTimeParseException e) {
            if (DECIMAL.matcher(text.trim()).matches()) {
                throw Reject.badTimestamp(
                        field
                                + " "
                                + quoted
                                + " is a number in a string; send epoch milliseconds as a JSON"
                                + " number or an ISO-8601 string");
            }
            throw Reject.badTimestamp(field + " " + quoted + " is not an ISO-8601 date-time");
        }
        if (!parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
            throw Reject.badTimestamp(
                    field + " " + quoted + " has no zone or offset; add Z or an offset");
        }
        Instant instant;
        try {
            instant = Instant.from(parsed);
        } catch (DateTimeException e) {
            throw Reject.badTimestamp(field + " " + quoted + " is not a representable instant");
        }
        if (instant.isBefore(Instant.ofEpochMilli(MIN_TS))
                || instant.isAfter(Instant.ofEpochMilli(MAX_TS))) {
            throw Reject.badTimestamp(field + " " + quoted + " is outside 2000-01-01..2100-01-01");
        }
        return instant.toEpochMilli();
    }

    /**
     * Epoch milliseconds of an integer epoch time in {@code unit}, inside the range; the detail of
     * a time that fits another unit says which.
     */
    public static long epoch(long value, TimeUnit unit, String field) throws Reject {
        long millis = unit.toMillis(value);
        if (inRange(millis) && !overflows(value, unit)) {
            return millis;
        }
        for (TimeUnit other :
                new TimeUnit[] {
                    TimeUnit.SECONDS,
                    TimeUnit.MILLISECONDS,
                    TimeUnit.MICROSECONDS,
                    TimeUnit.NANOSECONDS
                }) {
            if (other != unit && inRange(other.toMillis(value)) && !overflows(value, other)) {
                throw Reject.badTimestamp(
                        field
                                + " "
                                + value
                                + " looks like epoch "
                                + name(other)
                                + "; expected "
                                + name(unit));
            }
        }
        throw Reject.badTimestamp(
                field + " " + value + " is outside 2000-01-01..2100-01-01 as epoch " + name(unit));
    }

    private static boolean inRange(long millis) {
        return millis >= MIN_TS && millis <= MAX_TS;
    }

    /** TimeUnit saturates at Long.MAX_VALUE; a saturated conversion is no time at all. */
    private static boolean overflows(long value, TimeUnit unit) {
        long millis = unit.toMillis(value);
        return millis == Long.MAX_VALUE || millis == Long.MIN_VALUE;
    }

    private static String name(TimeUnit unit) {
        return switch (unit) {
            case NANOSECONDS -> "nanoseconds";
            case MICROSECONDS -> "microseconds";
            case MILLISECONDS -> "milliseconds";
            case SECONDS -> "seconds";
            default -> unit.name().toLowerCase(Locale.ROOT);
        };
    }
}
