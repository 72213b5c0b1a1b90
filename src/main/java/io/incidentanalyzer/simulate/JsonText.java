package io.incidentanalyzer.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

/**
 * The simulator's hand-rolled JSON writing: ISO-8601 UTC timestamps with milliseconds, numbers with
 * a fixed number of decimals and escaped strings, appended to a reused {@link StringBuilder}. It
 * exists for speed (millions of records, no {@code String.format} or {@code DateTimeFormatter} per
 * record) and for byte-identical output: nothing here depends on the locale or the default time
 * zone.
 */
final class JsonText {
    private static final long DAY_MS = 86_400_000L;
    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L
    };

    /** Above this a scaled value no longer fits a long exactly; such values take the slow path. */
    private static final double MAX_FAST = 9.0e15;

    private long cachedDay = Long.MIN_VALUE;
    private final char[] dayPrefix = new char[11]; // "2024-02-16T"

    /** Appends {@code ms} (epoch milliseconds) as {@code 2024-02-16T07:26:03.120Z}. */
    void appendTimestamp(StringBuilder b, long ms) {
        long day = Math.floorDiv(ms, DAY_MS);
        if (day != cachedDay) {
            LocalDate d = LocalDate.ofEpochDay(day);
            int y = d.getYear();
            if (y < 1000 || y > 9999) {
                throw new IllegalArgumentException("timestamp outside years 1000-9999: " + ms);
            }
            dayPrefix[0] = (char) ('0' + y / 1000);
            dayPrefix[1] = (char) ('0' + y / 100 % 10);
            dayPrefix[2] = (char) ('0' + y / 10 % 10);
            dayPrefix[3] = (char) ('0' + y % 10);
            dayPrefix[4] = '-';
            dayPrefix[5] = (char) ('0' + d.getMonthValue() / 10);
            dayPrefix[6] = (char) ('0' + d.getMonthValue() % 10);
            dayPrefix[7] = '-';
            dayPrefix[8] = (char) ('0' + d.getDayOfMonth() / 10);
            dayPrefix[9] = (char) ('0' + d.getDayOfMonth() % 10);
            dayPrefix[10] = 'T';
            cachedDay = day;
        }
        b.append(dayPrefix);
        int msOfDay = (int) Math.floorMod(ms, DAY_MS);
        int h = msOfDay / 3_600_000;
        int m = msOfDay / 60_000 % 60;
        int s = msOfDay / 1000 % 60;
        int milli = msOfDay % 1000;
        two(b, h).append(':');
        two(b, m).append(':');
        two(b, s).append('.');
        b.append((char) ('0' + milli / 100))
                .append((char) ('0' + milli / 10 % 10))
                .append((char) ('0' + milli % 10))
                .append('Z');
    }

    /**
     * Clears {@code b} and starts a record: {@code {"ts":"<ts>","service":<quotedService>}, the
     * head every simulated record shares. Callers pass names quoted once, not per record.
     */
    void startRecord(StringBuilder b, long ts, String quotedService) {
        b.setLength(0);
        b.append("{\"ts\":\"");
        appendTimestamp(b, ts);
        b.append("\",\"service\":").append(quotedService);
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /**
     * Appends {@code v} rounded half-up to {@code decimals} (0 to 8) decimals, always with that
     * many digits after the point ({@code 45.10}); never {@code -0.00}, never an exponent.
     */
    static void appendFixed(StringBuilder b, double v, int decimals) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number: " + v);
        }
        long scale = POW10[decimals];
        double scaled = Math.abs(v) * scale;
        if (scaled >= MAX_FAST) {
            b.append(new BigDecimal(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString());
            return;
        }
        long r = Math.round(scaled);
        if (r == 0) {
            b.append('0');
            if (decimals > 0) {
                b.append('.');
                for (int i = 0; i < decimals; i++) b.append('0');
            }
            return;
        }
        if (v < 0) b.append('-');
        b.append(r / scale);
        if (decimals > 0) {
            b.append('.');
            long frac = r % scale;
            for (long p = scale / 10; p > 0; p /= 10) {
                b.append((char) ('0' + frac / p % 10));
            }
        }
    }

    /** {@code s} as a JSON string literal, quotes included. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00");
                        b.append(Character.forDigit(c >> 4, 16));
                        b.append(Character.forDigit(c & 0xF, 16));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
