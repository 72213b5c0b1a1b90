package io.incidentanalyzer.draft;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.SignalKind;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What a change did, in words, from the facts of a {@link ChangeEffect}: the one place those
 * sentences are made, for the drafts and the command line's incident lines, in the job's zone and
 * clock.
 */
public final class EffectWords {
    /**
     * Below this relative change (either way) a cleared signal's figure is not worth a number
     * ({@code patterns.thresholds.worthANumber}).
     */
    private final double worthANumber;

    private final DateTimeFormatter time;
    private final long windowMs;

    public EffectWords(JobConfig config) {
        this.time = config.clockFormat("h:mm a", "HH:mm");
        this.windowMs = config.correlation().effectWindow().toMillis();
        this.worthANumber = config.patterns().thresholds().worthANumber();
    }

    /**
     * The whole sentence, e.g. "Token refresh disabled at 9:00 AM: refresh rate −100%; the token
     * refresh storm on auth cleared within 1 min (turning point)".
     */
    public String sentence(ChangeEffect x) {
        return x.change().name()
                + " at "
                + time.format(Instant.ofEpochMilli(x.change().ts()))
                + ": "
                + body(x)
                + (x.turningPoint() ? " (turning point)" : "");
    }

    /** What it did, without the change's name and time, nor the turning point. */
    public String body(ChangeEffect x) {
        if (x.signal() == null) return "no signal of its causes was open to measure it on";
        String measure = measureName(x);
        String window = minutes(windowMs);
        double rel = x.relativeChange();
        return switch (x.verdict()) {
            case CLEARED -> {
                long took = Math.max(0, x.measuredAt() - x.change().ts());
                String when = took == 0 ? "at once" : "within " + minutes(took);
                yield Math.abs(rel) >= worthANumber
                        ? String.format(
                                Locale.ROOT,
                                "%s %s; the %s cleared %s",
                                measure,
                                percent(rel),
                                causeName(x.cause()),
                                when)
                        : "the " + causeName(x.cause()) + " cleared " + when;
            }
            case IMPROVED ->
                    String.format(Locale.ROOT, "%s %s within %s", measure, percent(rel), window);
            case WORSE ->
                    String.format(
                            Locale.ROOT, "%s %s within %s (worse)", measure, percent(rel), window);
            case NO_EFFECT, NOT_MEASURED -> {
                if (x.kind() == SignalKind.DEPENDENCY_DRIFT) {
                    yield x.service() + " still uses an unexpected " + measure;
                }
                yield x.newFigure()
                        ? String.format(
                                Locale.ROOT,
                                "%s unchanged (%s within %s)",
                                measure,
                                percent(rel),
                                window)
                        : measure + " unchanged: still open, no new figure in " + window;
            }
        };
    }

    /** The series measured: "refresh rate", "MISSING_TOKEN rate", "db latency_ms". */
    private static String measureName(ChangeEffect x) {
        Measured m = x.measured();
        return switch (x.kind()) {
            case REFRESH_STORM -> "refresh rate";
            case AUTH_FAILURES ->
                    m.authEvent().name() + (m.caller() == null ? " (no caller)" : "") + " rate";
            case DEPENDENCY_DRIFT -> m.dependency() + " host";
            case ERROR_PATTERN -> "error-pattern rate";
            case SATURATION, BASELINE_SHIFT, BACKLOG_GROWTH -> x.service() + " " + m.metric();
        };
    }

    private static String causeName(RootCause c) {
        return c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " on " + c.service();
    }

    private static String percent(double rel) {
        long p = Math.round(rel * 100);
        return (p > 0 ? "+" : p < 0 ? "\u2212" : "±") + Math.abs(p) + "%";
    }

    private static String minutes(long ms) {
        if (ms < 60_000) return (ms / 1000) + " s";
        return (ms / 60_000) + " min";
    }
}
