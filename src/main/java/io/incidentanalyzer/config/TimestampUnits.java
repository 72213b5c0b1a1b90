package io.incidentanalyzer.config;

import java.util.concurrent.TimeUnit;

/** Telegraf's {@code json_timestamp_units}: the unit of an integer epoch timestamp. */
public final class TimestampUnits {
    private TimestampUnits() {}

    /** The unit of {@code text} (1ns, 1us, 1µs, 1ms, 1s; the 1 may be left out), or null. */
    public static TimeUnit parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.startsWith("1")) {
            t = t.substring(1);
        }
        return switch (t) {
            case "ns" -> TimeUnit.NANOSECONDS;
            case "us", "µs" -> TimeUnit.MICROSECONDS;
            case "ms" -> TimeUnit.MILLISECONDS;
            case "s" -> TimeUnit.SECONDS;
            default -> null;
        };
    }
}
