package io.incidentanalyzer.draft;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.ComponentWindow;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.TimelineEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The postmortem draft in the seed's structure: Incident Timeline, Root Cause Analysis (with the
 * figures), Impact, Actions Taken (changes and their measured effect) and Preventive Measures
 * (suggested from a catalogue of patterns, marked as suggestions). Markdown.
 */
final class Postmortem {
    private final JobConfig config;
    private final Drafter drafter;
    private final Words w;
    private final DraftState st;
    private final IncidentEvent e;
    private final List<TimelineEntry> timeline;
    private final List<ComponentImpact> components;
    private final DependencyGraph graph;
    private final String title;

    Postmortem(
            Drafter drafter,
            DraftState st,
            IncidentEvent e,
            List<TimelineEntry> timeline,
            List<ComponentImpact> components,
            String title) {
        this.title = title;
        this.drafter = drafter;
        this.config = drafter.config();
        this.w = drafter.words();
        this.st = st;
        this.e = e;
        this.timeline = timeline;
        this.components = components;
        this.graph = drafter.graph();
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Postmortem: ").append(title).append("\n\n");
        b.append("> Draft by incident-analyzer from the evidence of incident `")
                .append(e.incidentId())
                .append("` as of ")
                .append(w.day(e.ts()))
                .append(", ")
                .append(w.time(e.ts()))
                .append(" (")
                .append(config.timeZone())
                .append("). Review and edit before publishing.\n\n");
        b.append("## Incident Timeline\n\n").append(Markdown.timeline(timeline));
        b.append("\n## Root Cause Analysis\n\n").append(rootCause()).append('\n');
        if (!e.contributingCauses().isEmpty()) {
            b.append("\nCauses that blocked recovery:\n\n");
            for (RootCause c : e.contributingCauses()) {
                SignalNote n = Drafter.find(st, c.signals().get(0));
                b.append("- From ")
                        .append(w.day(c.onset()))
                        .append(", ")
                        .append(w.time(c.onset()))
                        .append(": ")
                        .append(c.kind().words())
                        .append(" on the ")
                        .append(w.name(c.service()))
                        .append(n == null ? "" : ": " + w.describe(n))
                        .append(
                                n == null || n.cleared < 0
                                        ? " (still open)."
                                        : " (cleared at " + w.time(n.cleared) + ").")
                        .append('\n');
            }
        }
        b.append("\n## Impact\n\n").append(impact());
        b.append("\n## Actions Taken\n\n").append(actions());
        b.append("\n## Preventive Measures (suggested)\n\n")
                .append(
                        "Suggestions from a catalogue of known patterns, for the team to decide"
                                + " on:\n\n")
                .append(preventive());
        return b.toString();
    }

    /**
     * The main cause in the words of its kind, from its own evidence, then what it did to its
     * service and what followed along the service graph.
     */
    private String rootCause() {
        RootCause top = e.topCause();
        if (top == null) return "No cause ranked yet.";
        SignalNote primary = Drafter.find(st, top.signals().get(0));
        List<String> s = new ArrayList<>();
        String service = top.service();
        String who = "the " + w.name(service);
        s.add("The outage was primarily caused by " + lead(top, primary, who) + ".");
        List<String> overload = new ArrayList<>();
        for (SignalNote n : notes(Set.of(service))) {
            if (n == primary) continue;
            switch (n.kind) {
                case BASELINE_SHIFT -> {
                    if (n.measured.isMetric(config.correlation().errorMetric())) {
                        overload.add(
                                String.format(
                                        Locale.ROOT,
                                        "up to %s of requests failing from %s",
                                        Words.percent(n.peak),
                                        w.time(n.onset)));
                    } else if (n.measured.isMetric(config.correlation().loadMetric())) {
                        overload.add("requests " + figures(n));
                    } else {
                        overload.add(w.metric(n.measured.metric()) + " " + figures(n));
                    }
                }
                case BACKLOG_GROWTH, SATURATION ->
                        overload.add(w.metric(n.measured.metric()) + " " + figures(n));
                default -> {}
            }
        }
        if (!overload.isEmpty()) {
            s.add(
                    String.format(Locale.ROOT, consequence(top.kind()), who)
                            + ": "
                            + String.join("; ", overload.subList(0, Math.min(4, overload.size())))
                            + ".");
        }
        List<String> failing = new ArrayList<>();
        double worst = 0;
        for (SignalNote n : st.signals) {
            if (n.kind == SignalKind.AUTH_FAILURES
                    && n.measured.counts(AuthEventType.VERIFY_ERROR)) {
                failing.add(w.name(n.service));
                worst = Math.max(worst, n.peak);
            }
        }
        if (!failing.isEmpty()) {
            s.add(
                    String.format(
                            Locale.ROOT,
                            "Token verifications failed for %s, up to %s a second.",
                            w.list(failing),
                            Words.number(worst)));
        }
        Map<String, List<SignalNote>> saturated = new LinkedHashMap<>();
        for (SignalNote n : notes(graph.downstream(service))) {
            if (n.kind == SignalKind.SATURATION)
                saturated
                        .computeIfAbsent(
                                n.service + "/" + n.measured.metric(), k -> new ArrayList<>())
                        .add(n);
        }
        for (List<SignalNote> episodes : saturated.values()) {
            SignalNote n = episodes.get(0);
            List<String> again = new ArrayList<>();
            for (SignalNote x : episodes.subList(1, episodes.size())) again.add(w.time(x.onset));
            s.add(
                    String.format(
                            Locale.ROOT,
                            "The %s %s reached %s%s from %s (ceiling %s%s)%s.",
                            w.name(n.service),
                            w.metric(n.measured.metric()),
                            Words.number(n.peak),
                            w.unit(n.measured.metric()),
                            w.time(n.onset),
                            Words.number(n.baseline),
                            w.unit(n.measured.metric()),
                            again.isEmpty() ? "" : ", and again from " + w.list(again)));
        }
        Set<String> backedUp = new LinkedHashSet<>();
        for (SignalNote n : st.signals) {
            if (n.service.equals(service)) continue;
            if (n.kind == SignalKind.BACKLOG_GROWTH
                    || (n.kind == SignalKind.BASELINE_SHIFT
                            && category(n) == SymptomCategory.LATENCY))
                backedUp.add(w.name(n.service));
        }
        if (!backedUp.isEmpty()) {
            s.add(
                    "This resulted in a backlog of requests across "
                            + w.list(new ArrayList<>(backedUp))
                            + ".");
        }
        return String.join(" ", s);
    }

    /**
     * The cause as its kind is told, from its own evidence: a storm by its refreshes and the client
     * behind them, a surge by the requests, a saturated service by its resource and its own
     * workload, a release by what followed it, an outside provider as outside our control.
     */
    private String lead(RootCause top, SignalNote primary, String who) {
        String evidence = primary == null ? "" : ": " + evidence(primary);
        return switch (top.kind()) {
            case TOKEN_REFRESH_STORM -> "a token-refresh storm on " + who + evidence;
            case TRAFFIC_SURGE -> "a surge of traffic at " + who + evidence;
            case RESOURCE_SATURATION -> {
                SignalNote load = own(top.service(), config.correlation().loadMetric());
                yield who
                        + " saturated under its own workload"
                        + evidence
                        + (load == null
                                ? ", with no more requests than usual"
                                : ", with requests at most "
                                        + Words.number(load.ratio())
                                        + "× the usual");
            }
            case SERVICE_SLOWDOWN -> who + " slowing down" + evidence;
            case BAD_DEPLOY ->
                    "a bad release of "
                            + who
                            + ": its first symptom came within "
                            + w.duration(config.correlation().changeWindow().toMillis())
                            + " of a deploy"
                            + (primary == null ? "" : "; " + evidence(primary));
            case EXTERNAL_DEPENDENCY ->
                    who + ", a provider outside our control, slowing down" + evidence;
            case DEPENDENCY_DRIFT ->
                    who
                            + " connecting to the wrong host"
                            + (primary == null ? "" : ": " + w.describe(primary));
            case MISSING_TOKEN ->
                    who
                            + " sending requests without a token"
                            + (primary == null
                                    ? ""
                                    : ": up to " + Words.number(primary.peak) + " a second");
        };
    }

    /** A signal's figures led by what they measure: "CPU utilization at 100% (ceiling 95) …". */
    private String evidence(SignalNote n) {
        boolean metric =
                n.measured != null
                        && n.measured.metric() != null
                        && !n.measured.isMetric(config.correlation().errorMetric());
        return (metric ? w.metric(n.measured.metric()) + " " : "") + figures(n);
    }

    /** How the cause's own service fared, told by the kind: only load overloads. */
    private static String consequence(CauseKind kind) {
        return switch (kind) {
            case TOKEN_REFRESH_STORM -> "The refreshes overloaded %s";
            case TRAFFIC_SURGE -> "The extra requests overloaded %s";
            case RESOURCE_SATURATION -> "At its ceiling, %s answered slowly";
            case BAD_DEPLOY -> "After the release, %s showed";
            case EXTERNAL_DEPENDENCY -> "The provider's slowness showed on %s";
            default -> "On %s";
        };
    }

    /** The cause service's first note of the given metric, or null. */
    private SignalNote own(String service, String metric) {
        for (SignalNote n : notes(Set.of(service)))
            if (n.kind == SignalKind.BASELINE_SHIFT && n.measured.isMetric(metric)) return n;
        return null;
    }

    private SymptomCategory category(SignalNote n) {
        return drafter.category(n);
    }

    /** The notes on the given services, by onset. */
    private List<SignalNote> notes(Set<String> services) {
        List<SignalNote> out = new ArrayList<>();
        for (SignalNote n : st.signals) if (services.contains(n.service)) out.add(n);
        out.sort(
                java.util.Comparator.comparingLong((SignalNote n) -> n.onset)
                        .thenComparing(n -> n.id));
        return out;
    }

    /** A signal's figures: "up to 522 against 13.4 usually (39×), from 8:26 AM". */
    private String figures(SignalNote n) {
        if (n.kind == SignalKind.SATURATION) {
            String unit = w.unit(n.measured.metric());
            return String.format(
                    Locale.ROOT,
                    "at %s%s (ceiling %s%s) from %s",
                    Words.number(n.peak),
                    unit,
                    Words.number(n.baseline),
                    unit,
                    w.time(n.onset));
        }
        String ratio =
                n.baseline > 0 ? String.format(Locale.ROOT, " (%s×)", Words.number(n.ratio())) : "";
        if (n.kind == SignalKind.BASELINE_SHIFT
                && n.measured.isMetric(config.correlation().errorMetric())) {
            return String.format(
                    Locale.ROOT,
                    "up to %s of requests failing against %s usually, from %s",
                    Words.percent(n.peak),
                    Words.percent(n.baseline),
                    w.time(n.onset));
        }
        String base =
                n.kind == SignalKind.REFRESH_STORM
                        ? String.format(
                                Locale.ROOT,
                                "up to %s refreshes a second against %s usually%s, from %s",
                                Words.number(w.perSecond(n.peak)),
                                Words.number(w.perSecond(n.baseline)),
                                ratio,
                                w.time(n.onset))
                        : String.format(
                                Locale.ROOT,
                                "up to %s against %s usually%s, from %s",
                                Words.number(n.peak),
                                Words.number(n.baseline),
                                ratio,
                                w.time(n.onset));
        return base + (n.hitter == null ? "" : "; " + Phrases.heavyHitter(n.hitter));
    }

    private String impact() {
        if (components.isEmpty()) return "No status-page component was affected.\n";
        StringBuilder b = new StringBuilder();
        b.append("| Component | Worst state | From | To | Duration |\n|---|---|---|---|---|\n");
        for (ComponentImpact c : components) {
            for (ComponentWindow win : c.windows()) {
                b.append("| ")
                        .append(c.name())
                        .append(" | ")
                        .append(stateName(win.state()))
                        .append(" | ")
                        .append(when(win.from()))
                        .append(" | ")
                        .append(win.to() == null ? "ongoing" : when(win.to()))
                        .append(" | ")
                        .append(win.to() == null ? "" : w.duration(win.to() - win.from()))
                        .append(" |\n");
            }
        }
        return b.toString();
    }

    private String when(long ts) {
        return w.day(ts) + ", " + w.time(ts);
    }

    static String stateName(ComponentState s) {
        return switch (s) {
            case MAJOR_OUTAGE -> "Major outage";
            case PARTIAL_OUTAGE -> "Partial outage";
            case DEGRADED_PERFORMANCE -> "Degraded performance";
            case OPERATIONAL -> "Operational";
        };
    }

    private String actions() {
        Map<ChangeEvent, List<ChangeEffect>> byChange = new LinkedHashMap<>();
        for (ChangeEffect x : e.changeEffects())
            byChange.computeIfAbsent(x.change(), k -> new ArrayList<>()).add(x);
        if (byChange.isEmpty()) return "No change was recorded during the incident.\n";
        StringBuilder b = new StringBuilder();
        int i = 1;
        for (Map.Entry<ChangeEvent, List<ChangeEffect>> c : byChange.entrySet()) {
            List<String> bodies = new ArrayList<>();
            boolean turning = false;
            for (ChangeEffect x : c.getValue()) {
                bodies.add(w.effectBody(x));
                turning |= x.turningPoint();
            }
            b.append(i++)
                    .append(". ")
                    .append(w.day(c.getKey().ts()))
                    .append(", ")
                    .append(w.time(c.getKey().ts()))
                    .append(": ")
                    .append(c.getKey().name())
                    .append(". Effect: ")
                    .append(String.join("; ", bodies))
                    .append(turning ? ". This was the turning point." : ".")
                    .append('\n');
        }
        return b.toString();
    }

    private String preventive() {
        Set<CauseKind> kinds = new LinkedHashSet<>();
        if (e.topCause() != null) kinds.add(e.topCause().kind());
        for (RootCause c : e.contributingCauses()) kinds.add(c.kind());
        StringBuilder b = new StringBuilder();
        for (CauseKind k : kinds) {
            for (String m : config.patterns().advice().getOrDefault(k, List.of()))
                b.append("- (suggested) ").append(m).append('\n');
        }
        return b.toString();
    }
}
