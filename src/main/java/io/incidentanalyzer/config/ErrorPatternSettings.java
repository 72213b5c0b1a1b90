package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Settings of the error-pattern detector (docs/detectors.md#error-pattern-spike): how log messages
 * are mined into templates and when a template's rate becomes a signal.
 *
 * @param levels log levels whose lines can raise a signal; every line is mined
 * @param similarity share of tokens a message must share with a template to join it (Drain's
 *     similarity threshold); it must also agree wherever both have a constant
 * @param depth leading tokens that, with the token count, pick the templates a message is compared
 *     with (Drain's parse-tree depth below the length level; 0: the token count alone)
 * @param maxTemplates templates remembered per service; past it the one with the lowest recent rate
 *     (lines decayed with {@code halfLife}) is dropped
 * @param forgetAfter a template not seen this long is dropped
 * @param bucket the counting interval of a template's rate and baseline
 * @param window a rate is the lines of the last window (whole buckets)
 * @param minCount lines per window a template needs before it can signal at all
 * @param warmup history a service needs before a template it never wrote counts as new
 * @param surgeDeviation robust z-score of the rate over its baseline that counts as surging
 * @param surgeRatio the rate must also be at least this many times the baseline
 * @param clearAfter a signal clears once its template stays below the signal's rate this long
 * @param halfLife how fast a template's baseline forgets
 */
public record ErrorPatternSettings(
        List<String> levels,
        Double similarity,
        Integer depth,
        Integer maxTemplates,
        Duration forgetAfter,
        Duration bucket,
        Duration window,
        Integer minCount,
        Duration warmup,
        Double surgeDeviation,
        Double surgeRatio,
        Duration clearAfter,
        Duration halfLife,
        Severity severity)
        implements Serializable {

    public static final List<String> DEFAULT_LEVELS =
            List.of("WARN", "WARNING", "ERROR", "FATAL", "CRITICAL");
    public static final double DEFAULT_SIMILARITY = 0.5;
    public static final int DEFAULT_DEPTH = 0;
    public static final int DEFAULT_MAX_TEMPLATES = 1000;
    public static final Duration DEFAULT_FORGET_AFTER = Duration.ofDays(7);
    public static final Duration DEFAULT_BUCKET = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final int DEFAULT_MIN_COUNT = 3;
    public static final Duration DEFAULT_WARMUP = Duration.ofMinutes(30);
    public static final double DEFAULT_SURGE_DEVIATION = 5;
    public static final double DEFAULT_SURGE_RATIO = 3;
    public static final Duration DEFAULT_CLEAR_AFTER = Duration.ofMinutes(2);
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofHours(2);

    public ErrorPatternSettings {
        levels =
                levels == null
                        ? DEFAULT_LEVELS
                        : levels.stream()
                                .map(l -> l == null ? null : l.trim().toUpperCase(Locale.ROOT))
                                .toList();
        similarity = similarity == null ? DEFAULT_SIMILARITY : similarity;
        depth = depth == null ? DEFAULT_DEPTH : depth;
        maxTemplates = maxTemplates == null ? DEFAULT_MAX_TEMPLATES : maxTemplates;
        forgetAfter = forgetAfter == null ? DEFAULT_FORGET_AFTER : forgetAfter;
        bucket = bucket == null ? DEFAULT_BUCKET : bucket;
        window = window == null ? DEFAULT_WINDOW : window;
        minCount = minCount == null ? DEFAULT_MIN_COUNT : minCount;
        warmup = warmup == null ? DEFAULT_WARMUP : warmup;
        surgeDeviation = surgeDeviation == null ? DEFAULT_SURGE_DEVIATION : surgeDeviation;
        surgeRatio = surgeRatio == null ? DEFAULT_SURGE_RATIO : surgeRatio;
        clearAfter = clearAfter == null ? DEFAULT_CLEAR_AFTER : clearAfter;
        halfLife = halfLife == null ? DEFAULT_HALF_LIFE : halfLife;
        severity = severity == null ? Severity.MAJOR : severity;
    }

    public static ErrorPatternSettings defaults() {
        return new ErrorPatternSettings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Buckets in one window; the settings check that the window is a whole number of them. */
    public int bucketsPerWindow() {
        return (int) Math.max(1, window.toMillis() / Math.max(1, bucket.toMillis()));
    }
}
