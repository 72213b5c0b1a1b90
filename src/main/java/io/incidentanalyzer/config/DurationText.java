package io.incidentanalyzer.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them in job files: {@code 500ms}, {@code 30s}, {@code 5m}. */
public final class DurationText {
    public static final String EXPECTED = "a duration such as 500ms, 30s, 5m, 2h or 1d";

    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {}

    /**
     * Parses {@code text}, or returns {@code null} when it is not of the expected form; ISO-8601
     * ({@code PT1M}) is accepted too.
     */
    public static Duration parse(String text) {
        String t = text.trim();
        Matcher m = FORM.matcher(t);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException tooLong) {
                return null;
            }
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(t);
        } catch (RuntimeException notIso) {
            return null;
        }
    }

    /** The shortest exact text for {@code d} in the job-file form. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) return ms / 86_400_000 + "d";
        if (ms % 3_600_000 == 0 && ms > 0) return ms / 3_600_000 + "h";
        if (ms % 60_000 == 0 && ms > 0) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
