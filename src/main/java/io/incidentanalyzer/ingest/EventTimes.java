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

    /** Epoch milliseconds of an ISO-8601 date-time with a zone or offset, inside the range. */
    public static long iso(String text, String field) throws Reject {
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
