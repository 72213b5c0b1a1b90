package io.incidentanalyzer.draft;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The drafts' sentence templates: plain and calm, as on a status page, with the evidence's figures
 * and the job's display names, zone and clock.
 */
final class Words {
    private final JobConfig config;
    private final DateTimeFormatter day;
    private final DateTimeFormatter time;
    private final EffectWords effects;

    Words(JobConfig config) {
        this.config = config;
        this.day = Drafter.dayFormat(config);
        this.time = config.clockFormat("h:mm a", "HH:mm");
        this.effects = new EffectWords(config);
    }

    String day(long ts) {
        return day.format(Instant.ofEpochMilli(ts));
    }

    String time(long ts) {
        return time.format(Instant.ofEpochMilli(ts));
    }

    String name(String service) {
        return config.displayName(service);
    }

    /** "A, B and C"; past four names, "A, B, C, D and 3 more". */
    String list(List<String> names) {
        List<String> u = new ArrayList<>(new LinkedHashSet<>(names));
        if (u.size() > 4) {
            return String.join(", ", u.subList(0, 4)) + " and " + (u.size() - 4) + " more";
        }
        if (u.size() == 1) return u.get(0);
        return String.join(", ", u.subList(0, u.size() - 1)) + " and " + u.get(u.size() - 1);
    }

    static String number(double v) {
        if (Math.abs(v) >= 100 || v == Math.rint(v)) return String.format(Locale.ROOT, "%,.0f", v);
        return String.format(Locale.ROOT, "%.1f", v);
    }

    String duration(long ms) {
        long minutes = ms / 60_000;
        if (minutes < 1) return (ms / 1000) + " s";
        if (minutes < 60) return minutes + " min";
        long h = minutes / 60;
        long m = minutes % 60;
        return h + " h" + (m == 0 ? "" : " " + m + " min");
    }

    /** A metric's name in words ({@code patterns.metrics}), e.g. "CPU utilization". */
    String metric(String metric) {
        return config.patterns().metrics().name(metric);
    }

    /** The unit after a figure of the metric ({@code patterns.metrics}), e.g. "%" or "". */
    String unit(String metric) {
        return config.patterns().metrics().unit(metric);
    }

    /** One signal in a sentence, with its figures. */
    String describe(SignalNote n) {
        if (n == null) return "";
        String who = name(n.service);
        return switch (n.kind) {
            case REFRESH_STORM ->
                    String.format(
                            Locale.ROOT,
                            "token-refresh storm on %s, peaking at %s refreshes a bucket against %s"
                                    + " usually%s",
                            who,
                            number(n.peak),
                            number(n.baseline),
                            n.hitter == null ? "" : " (" + Phrases.heavyHitter(n.hitter) + ")");
            case SATURATION ->
                    String.format(
                            Locale.ROOT,
                            "%s %s at %s (ceiling %s)",
                            who,
                            metric(n.measured.metric()),
                            number(n.peak),
                            number(n.baseline));
            case BASELINE_SHIFT ->
                    String.format(
                            Locale.ROOT,
                            "%s %s at %s against %s usually",
                            who,
                            metric(n.measured.metric()),
                            number(n.peak),
                            number(n.baseline));
            case BACKLOG_GROWTH ->
                    String.format(
                            Locale.ROOT,
                            "%s %s growing, up to %s",
                            who,
                            metric(n.measured.metric()),
                            number(n.peak));
            case AUTH_FAILURES ->
                    !n.measured.counts(AuthEventType.MISSING_TOKEN)
                            ? String.format(
                                    Locale.ROOT,
                                    "token verification failing for %s, %s a second",
                                    who,
                                    number(n.peak))
                            : n.measured.caller() == null
                                    // The events named no caller: who sent them is unknown.
                                    ? String.format(
                                            Locale.ROOT,
                                            "requests without a token reaching %s, %s a second",
                                            who,
                                            number(n.peak))
                                    : String.format(
                                            Locale.ROOT,
                                            "%s sends requests without a token, %s a second",
                                            who,
                                            number(n.peak));
            case DEPENDENCY_DRIFT -> n.evidence;
            case ERROR_PATTERN -> String.format(Locale.ROOT, "%s logging \"%s\"", who, n.subject);
        };
    }

    /** A line for several symptoms of one kind that began in the same minute. */
    String symptoms(SymptomCategory category, List<SignalNote> notes) {
        List<String> who = new ArrayList<>();
        double maxRatio = 0;
        double maxPeak = 0;
        for (SignalNote n : notes) {
            who.add(name(n.service));
            maxRatio = Math.max(maxRatio, n.ratio());
            maxPeak = Math.max(maxPeak, n.peak);
        }
        String list = list(who);
        SignalNote first = notes.get(0);
        return switch (category) {
            case LATENCY ->
                    String.format(
                            Locale.ROOT,
                            "Overload observed on %s: responses up to %s× slower than usual.",
                            list,
                            number(maxRatio));
            case ERRORS ->
                    String.format(
                            Locale.ROOT,
                            "Requests failing on %s: up to %s%% of them.",
                            list,
                            number(maxPeak * 100));
            case LOAD ->
                    String.format(
                            Locale.ROOT,
                            "More requests than usual at %s: up to %s× the usual rate.",
                            list,
                            number(maxRatio));
            case SATURATION ->
                    String.format(
                            Locale.ROOT,
                            "%s %s peaked at %s%s.",
                            name(first.service),
                            metric(first.measured.metric()),
                            number(first.peak),
                            unit(first.measured.metric()));
            case BACKLOG ->
                    String.format(
                            Locale.ROOT,
                            "Requests backing up on %s: queues up to %s.",
                            list,
                            number(maxPeak));
            case VERIFY_FAILURES ->
                    String.format(
                            Locale.ROOT,
                            "Token verification failing for %s: up to %s a second.",
                            list,
                            number(maxPeak));
            case LOG ->
                    String.format(
                            Locale.ROOT, "New errors logged by %s: \"%s\".", list, first.subject);
            default -> capitalize(describe(first)) + (notes.size() > 1 ? " (and others)." : ".");
        };
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A cause in words, with the evidence that carries it best. */
    String cause(RootCause c) {
        String why = Phrases.bestEvidence(c);
        return c.kind().words()
                + " on "
                + name(c.service())
                + (why.isEmpty() ? "" : " (" + why + ")");
    }

    /** What a change did, without the change's name and time, nor the turning point. */
    String effectBody(ChangeEffect x) {
        return effects.body(x);
    }

    // ------------------------------------------------------------ status page

    private static String state(ComponentState s) {
        return switch (s) {
            case MAJOR_OUTAGE -> "not working";
            case PARTIAL_OUTAGE -> "partly not working";
            case DEGRADED_PERFORMANCE -> "slower than usual";
            case OPERATIONAL -> "working";
        };
    }

    /** "App Engine and API are not working; Website Widget is slower than usual." */
    String affected(Map<String, ComponentState> now) {
        List<String> parts = new ArrayList<>();
        for (ComponentState s :
                List.of(
                        ComponentState.MAJOR_OUTAGE,
                        ComponentState.PARTIAL_OUTAGE,
                        ComponentState.DEGRADED_PERFORMANCE)) {
            List<String> names = new ArrayList<>();
            now.forEach(
                    (n, st) -> {
                        if (st == s) names.add(n);
                    });
            if (!names.isEmpty()) {
                parts.add(list(names) + (names.size() == 1 ? " is " : " are ") + state(s));
            }
        }
        return parts.isEmpty() ? "" : capitalize(String.join("; ", parts)) + ".";
    }

    /** The components still working, among those of the groups the incident touched. */
    String stillWorking(Map<String, ComponentState> now) {
        Set<String> groups = new LinkedHashSet<>();
        config.components()
                .forEach(
                        c -> {
                            if (now.getOrDefault(c.name(), ComponentState.OPERATIONAL)
                                    != ComponentState.OPERATIONAL) groups.add(c.group());
                        });
        List<String> working = new ArrayList<>();
        config.components()
                .forEach(
                        c -> {
                            if (groups.contains(c.group())
                                    && now.getOrDefault(c.name(), ComponentState.OPERATIONAL)
                                            == ComponentState.OPERATIONAL) working.add(c.name());
                        });
        if (working.isEmpty()) return "";
        return list(working) + (working.size() == 1 ? " continues" : " continue") + " to work.";
    }

    String statusBody(
            IncidentStatus status,
            IncidentEventType step,
            Map<String, ComponentState> now,
            String top,
            Set<CauseKind> causes) {
        List<String> s = new ArrayList<>();
        switch (status) {
            case INVESTIGATING -> {
                s.add(
                        step == IncidentEventType.REOPENED
                                ? "The problem has come back and we are investigating it again."
                                : "We are currently investigating this incident.");
                s.add(affected(now));
                s.add(stillWorking(now));
            }
            case IDENTIFIED -> {
                s.add(
                        top == null
                                ? "We have identified the issue and are working on a solution."
                                : "We have identified the issue: a "
                                        + top
                                        + ". We are working on a solution.");
                s.add(affected(now));
            }
            case MONITORING -> {
                s.add("We've implemented a fix and are currently monitoring the situation.");
                boolean allWell =
                        now.values().stream().allMatch(x -> x == ComponentState.OPERATIONAL);
                s.add(allWell ? "Everything is running again." : affected(now));
                // The advice for the incident's kinds of cause (patterns.statusAdvice), once each.
                for (Map.Entry<CauseKind, String> a : config.patterns().statusAdvice().entrySet()) {
                    if (causes.contains(a.getKey()) && !s.contains(a.getValue()))
                        s.add(a.getValue());
                }
            }
            case RESOLVED -> s.add("This incident has been resolved.");
        }
        s.removeIf(String::isEmpty);
        return String.join(" ", s);
    }
}
