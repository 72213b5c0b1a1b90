package io.incidentanalyzer.draft;

import io.incidentanalyzer.config.ComponentConfig;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** Refreshes a second from a refresh storm's figure, which counts them per bucket. */
    double perSecond(double perBucket) {
        return perBucket * 1000.0 / config.detectors().refreshStorm().bucket().toMillis();
    }

    /** "failing 60% of requests" or "latency p95 (ms) at 900 against 300 usually". */
    private String figure(SignalNote n) {
        String metric = n.measured.metric();
        if (n.measured.isMetric(config.correlation().errorMetric()))
            return "failing " + percent(n.peak) + " of requests";
        return String.format(
                Locale.ROOT,
                "%s at %s%s against %s usually",
                metric(metric),
                number(n.peak),
                unit(metric),
                number(n.baseline));
    }

    /** A share as a rounded percentage: 0.6 → "60%", 0.004 → "0.4%". */
    static String percent(double share) {
        return number(share * 100) + "%";
    }

    /** One signal in a sentence, with its figures in plain units (never a timestamp). */
    String describe(SignalNote n) {
        if (n == null) return "";
        String who = name(n.service);
        return switch (n.kind) {
            case REFRESH_STORM ->
                    String.format(
                            Locale.ROOT,
                            "token-refresh storm on %s, up to %s refreshes a second against %s"
                                    + " usually%s",
                            who,
                            number(perSecond(n.peak)),
                            number(perSecond(n.baseline)),
                            n.hitter == null ? "" : " (" + Phrases.heavyHitter(n.hitter) + ")");
            case SATURATION ->
                    String.format(
                            Locale.ROOT,
                            "%s %s at %s%s",
                            who,
                            metric(n.measured.metric()),
                            number(n.peak),
                            unit(n.measured.metric()));
            case BASELINE_SHIFT -> who + " " + figure(n);
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
            case DEPENDENCY_DRIFT ->
                    String.format(
                            Locale.ROOT,
                            "%s uses %s host %s",
                            who,
                            name(n.measured.dependency()),
                            n.measured.host());
            case ERROR_PATTERN -> String.format(Locale.ROOT, "%s logging \"%s\"", who, n.subject);
        };
    }

    /** The order in which a cascade's line tells its kinds of symptom: what users feel first. */
    private static final List<SymptomCategory> TELLING_ORDER =
            List.of(
                    SymptomCategory.SATURATION,
                    SymptomCategory.ERRORS,
                    SymptomCategory.LATENCY,
                    SymptomCategory.BACKLOG,
                    SymptomCategory.VERIFY_FAILURES,
                    SymptomCategory.MISSING_TOKENS,
                    SymptomCategory.OTHER_AUTH_FAILURES,
                    SymptomCategory.LOG,
                    SymptomCategory.LOAD,
                    SymptomCategory.STORM,
                    SymptomCategory.DRIFT);

    /** The most clauses a cascade's line tells; its other symptoms stay linked to the line. */
    private static final int CLAUSES = 3;

    /**
     * One line for the symptoms of one cascade, a clause per kind of symptom, the first three in
     * {@link #TELLING_ORDER}: "CPU utilization at 100% on Orders DB and Login server; requests
     * failing on Checkout and Cart (up to 100%); slow responses from the payment server (up to 119×
     * the usual)".
     */
    String cascade(Map<SymptomCategory, List<SignalNote>> byCategory) {
        List<String> clauses = new ArrayList<>();
        for (SymptomCategory category : TELLING_ORDER) {
            List<SignalNote> notes = byCategory.get(category);
            if (notes != null && !notes.isEmpty()) clauses.addAll(clauses(category, notes));
        }
        return capitalize(String.join("; ", clauses.subList(0, Math.min(CLAUSES, clauses.size()))))
                + ".";
    }

    private List<String> clauses(SymptomCategory category, List<SignalNote> notes) {
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
            case SATURATION -> saturation(notes);
            case LATENCY ->
                    List.of(
                            String.format(
                                    Locale.ROOT,
                                    "slow responses from %s (up to %s× the usual)",
                                    list,
                                    number(maxRatio)));
            case ERRORS ->
                    List.of(
                            String.format(
                                    Locale.ROOT,
                                    "requests failing on %s (up to %s)",
                                    list,
                                    percent(maxPeak)));
            case LOAD ->
                    List.of(
                            String.format(
                                    Locale.ROOT,
                                    "more requests than usual at %s (up to %s× the usual rate)",
                                    list,
                                    number(maxRatio)));
            case BACKLOG -> List.of("requests backing up on " + list);
            case VERIFY_FAILURES ->
                    List.of(
                            String.format(
                                    Locale.ROOT,
                                    "token verification failing for %s (up to %s a second)",
                                    list,
                                    number(maxPeak)));
            case LOG ->
                    List.of(
                            String.format(
                                    Locale.ROOT,
                                    "new errors logged by %s (\"%s\")",
                                    list,
                                    first.subject));
            default -> {
                List<String> out = new ArrayList<>();
                for (SignalNote n : notes) out.add(describe(n));
                yield out;
            }
        };
    }

    /**
     * The saturation that tells most: the metric of the most severe saturation (the earliest of
     * equals) with every service at its ceiling, "CPU utilization at 100% on Orders DB and Login
     * server".
     */
    private List<String> saturation(List<SignalNote> notes) {
        SignalNote head = notes.get(0);
        for (SignalNote n : notes) {
            if (n.severity != null
                    && (head.severity == null || n.severity.compareTo(head.severity) > 0)) head = n;
        }
        String metric = head.measured.metric();
        List<String> who = new ArrayList<>();
        double peak = 0;
        for (SignalNote n : notes) {
            if (!n.measured.isMetric(metric)) continue;
            who.add(name(n.service));
            peak = Math.max(peak, n.peak);
        }
        String at = "at " + number(peak) + unit(metric);
        return List.of(
                who.size() == 1
                        ? who.get(0) + " " + metric(metric) + " " + at
                        : metric(metric) + " " + at + " on " + list(who));
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * A cause in words, with the evidence that carries it best: the value behind it when one is,
     * else its first signal described from its figures.
     */
    String cause(RootCause c, SignalNote primary) {
        String why =
                c.heavyHitter() != null
                        ? Phrases.heavyHitter(c.heavyHitter())
                        : primary == null ? "" : describe(primary);
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

    /**
     * A status update's text. Public: it names components and kinds of cause, never a service, a
     * host or a client version.
     */
    String statusBody(
            IncidentStatus status,
            IncidentEventType step,
            Map<String, ComponentState> now,
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
                s.add("We have identified the issue and are working on a solution.");
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

    /**
     * An intermediate update: what changed since the last update, in the seed's form ("Everything
     * is running again except App Engine.").
     */
    String updateBody(
            IncidentStatus status,
            Map<String, ComponentState> reported,
            Map<String, ComponentState> now) {
        List<String> recovered = new ArrayList<>();
        List<String> worse = new ArrayList<>();
        List<String> still = new ArrayList<>();
        now.forEach(
                (name, s) -> {
                    ComponentState was = reported.getOrDefault(name, ComponentState.OPERATIONAL);
                    if (s == ComponentState.OPERATIONAL && was != ComponentState.OPERATIONAL)
                        recovered.add(name);
                    if (s != ComponentState.OPERATIONAL) still.add(name);
                    if (s.worst(was) == s && s != was) worse.add(name);
                });
        String lead =
                status == IncidentStatus.INVESTIGATING
                        ? "We are continuing to investigate this issue."
                        : "We are continuing to work on a solution.";
        if (worse.isEmpty() && !recovered.isEmpty()) {
            if (still.isEmpty()) return "Everything is running again. " + lead;
            if (recovered.size() >= still.size())
                return "Everything is running again except " + list(still) + ". " + lead;
            return list(recovered)
                    + (recovered.size() == 1 ? " is" : " are")
                    + " working again. "
                    + affected(now)
                    + " "
                    + lead;
        }
        // Worse: what got worse is the news; the rest stands as last reported.
        Map<String, ComponentState> worsened = new LinkedHashMap<>();
        for (String name : worse) worsened.put(name, now.get(name));
        return lead + " " + affected(worse.isEmpty() ? now : worsened);
    }

    /**
     * The title customers see, from the components in the incident's worst state so far: "Outage of
     * Platform, API and Apps". A group whose every component is affected is named by the group;
     * past three names, by the groups alone. Never a service's name.
     */
    String publicTitle(List<ComponentImpact> components) {
        ComponentState worst = ComponentState.OPERATIONAL;
        for (ComponentImpact c : components) worst = worst.worst(c.worst());
        if (worst == ComponentState.OPERATIONAL) return "Investigating an issue";
        Set<String> hit = new LinkedHashSet<>();
        for (ComponentImpact c : components) if (c.worst() == worst) hit.add(c.name());
        List<String> names = new ArrayList<>();
        Set<String> groups = new LinkedHashSet<>();
        for (ComponentConfig c : config.components()) {
            if (!hit.contains(c.name())) continue;
            // A component outside any group stands for itself.
            groups.add(c.group() == null ? c.name() : c.group());
            boolean whole =
                    c.group() != null
                            && config.components().stream()
                                    .filter(x -> c.group().equals(x.group()))
                                    .allMatch(x -> hit.contains(x.name()));
            names.add(whole ? c.group() : c.name());
        }
        List<String> shown = new ArrayList<>(new LinkedHashSet<>(names));
        if (shown.size() > 3) shown = new ArrayList<>(groups);
        String what =
                switch (worst) {
                    case MAJOR_OUTAGE -> "Outage of ";
                    case PARTIAL_OUTAGE -> "Partial outage of ";
                    default -> "Degraded performance of ";
                };
        return what + list(shown);
    }
}
