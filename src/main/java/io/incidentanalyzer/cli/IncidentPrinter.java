package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.draft.EffectWords;
import io.incidentanalyzer.draft.Phrases;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Renders incident events and dead letters as short lines a person reads at a glance. */
final class IncidentPrinter {
    private final JobConfig config;
    private final DateTimeFormatter time;
    private final EffectWords effects;

    IncidentPrinter(JobConfig config) {
        this.config = config;
        this.time = config.clockFormat("EEE h:mm:ss a", "EEE HH:mm:ss");
        this.effects = new EffectWords(config);
    }

    String format(IncidentEvent e) {
        String head =
                String.format(
                        Locale.ROOT,
                        "%15s  %-14s  %s  [%s]",
                        at(e.ts()),
                        e.type(),
                        e.incidentId(),
                        e.status());
        return head + System.lineSeparator() + " ".repeat(17) + detail(e);
    }

    private String detail(IncidentEvent e) {
        Signal s = e.cause();
        String what = config.displayName(s.service()) + " " + s.subject();
        return switch (e.type()) {
            case OPENED, SIGNAL_ADDED -> opened(s);
            case SIGNAL_CLEARED ->
                    String.format(
                            Locale.ROOT,
                            "%s recovered (peak %s); %d signal(s) still open",
                            what,
                            number(s.peak()),
                            e.activeSignals().size());
            case MONITORING ->
                    String.format(
                            Locale.ROOT,
                            "%s recovered (peak %s); every signal cleared, monitoring",
                            what,
                            number(s.peak()));
            case REOPENED -> "flared up again: " + opened(s);
            case ROOT_CAUSE_CHANGED -> "root cause now: " + cause(e.topCause(), true);
            case IDENTIFIED -> "identified: " + cause(e.topCause(), true);
            case CONTRIBUTING_CAUSE ->
                    "contributing cause: "
                            + e.contributingCauses().stream()
                                    .filter(c -> c.signals().get(0).equals(s.id()))
                                    .findFirst()
                                    .map(c -> cause(c, false))
                                    .orElse(opened(s));
            case CHANGE_EFFECT -> {
                List<ChangeEffect> all = e.changeEffects();
                ChangeEvent last = all.get(all.size() - 1).change();
                yield String.join(
                        "; ",
                        all.stream()
                                .filter(x -> x.change().equals(last))
                                .map(effects::sentence)
                                .toList());
            }
            case CLOSED ->
                    String.format(
                            Locale.ROOT,
                            "resolved after a quiet period; %s lasted %s (%s to %s)",
                            e.title(),
                            duration(Duration.ofMillis(e.cause().ts() - e.openedAt())),
                            at(e.openedAt()),
                            at(e.cause().ts()));
        };
    }

    /**
     * A cause, its confidence when ranked, and its first piece of evidence, or the heavy hitter
     * that carries it when the evidence names one (e.g. a client version).
     */
    private String cause(RootCause c, boolean ranked) {
        if (c == null) return "(none ranked)";
        String why = Phrases.bestEvidence(c);
        return String.format(
                Locale.ROOT,
                "%s on %s since %s%s%s",
                c.kind().words(),
                config.displayName(c.service()),
                at(c.onset()),
                ranked ? String.format(Locale.ROOT, " (confidence %.2f)", c.confidence()) : "",
                why.isEmpty() ? "" : ": " + why);
    }

    /** What a signal says when it opens, in the words of its kind. */
    private String opened(Signal s) {
        String service = config.displayName(s.service());
        String since = at(s.onset());
        String peak = number(s.peak());
        String usual = number(s.baseline());
        return switch (s.kind()) {
            case SATURATION ->
                    String.format(
                            Locale.ROOT,
                            "%s %s at or above %s since %s (peak %s)",
                            service,
                            s.subject(),
                            usual,
                            since,
                            peak);
            case BASELINE_SHIFT ->
                    String.format(
                            Locale.ROOT,
                            "%s %s %s its usual %s since %s (peak %s)",
                            service,
                            s.subject(),
                            s.peak() >= s.baseline() ? "above" : "below",
                            usual,
                            since,
                            peak);
            case BACKLOG_GROWTH ->
                    String.format(
                            Locale.ROOT,
                            "%s %s growing since %s from %s (peak %s)",
                            service,
                            s.subject(),
                            since,
                            usual,
                            peak);
            case REFRESH_STORM ->
                    String.format(
                            Locale.ROOT,
                            "%s token-refresh storm since %s (peak %s refreshes a bucket, usually"
                                    + " %s)",
                            service,
                            since,
                            peak,
                            usual);
            case AUTH_FAILURES ->
                    String.format(
                            Locale.ROOT,
                            "%s %s spike since %s (peak %s a bucket, usually %s)",
                            service,
                            s.subject(),
                            since,
                            peak,
                            usual);
            case DEPENDENCY_DRIFT ->
                    String.format(
                            Locale.ROOT,
                            "%s uses an unexpected %s since %s%s",
                            service,
                            s.subject(),
                            since,
                            s.evidence().size() < 2 ? "" : " (" + s.evidence().get(1) + ")");
            case ERROR_PATTERN ->
                    String.format(
                            Locale.ROOT,
                            "%s log pattern surging since %s: \"%s\" (peak %s lines)",
                            service,
                            since,
                            s.subject(),
                            peak);
        };
    }

    String format(DeadLetter d) {
        return String.format(
                Locale.ROOT,
                "%15s  %-14s  %s[%d]@%d: %s",
                "",
                "DEAD LETTER",
                d.sourceTopic(),
                d.partition(),
                d.offset(),
                d.reason() + " - " + d.detail());
    }

    String format(ChangeEvent c) {
        return String.format(
                Locale.ROOT,
                "%15s  %-14s  %s%s: %s",
                at(c.ts()),
                "CHANGE " + c.kind(),
                config.displayName(c.service()),
                c.version() == null ? "" : " " + c.version(),
                c.description() == null ? "" : c.description());
    }

    private String at(long epochMillis) {
        return time.format(Instant.ofEpochMilli(epochMillis));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String duration(Duration d) {
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        if (h > 0) return h + "h " + m + "m";
        return m > 0 ? m + "m " + s + "s" : s + "s";
    }
}
