package io.incidentanalyzer.review;

import static io.incidentanalyzer.review.Html.esc;

import io.incidentanalyzer.config.ComponentConfig;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.draft.StatusPage;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.ComponentWindow;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The public status page in the shape of the seed's (banner, components by group with uptime over
 * 90 days, notice history by month) and its JSON in Statuspage's public format. Only what engineers
 * published appears: an incident without a published update is not there at all; one with is shown
 * by its id, its opening time, the title, updates, postmortem and component states and windows that
 * engineers published. Nothing the analyzer drafted reaches it unpublished.
 */
final class StatusPages {
    static final int DAYS = 90;

    private final JobConfig config;
    private final ReviewState state;
    private final ZoneId zone;
    private final DateTimeFormatter when;

    StatusPages(JobConfig config, ReviewState state) {
        this.config = config;
        this.state = state;
        this.zone = config.zone();
        this.when = config.clockFormat("MMM d, h:mm a", "MMM d, HH:mm");
    }

    /** The incidents with at least one published update, newest first. */
    List<IncidentEvent> published() {
        List<IncidentEvent> out = new ArrayList<>();
        for (IncidentEvent e : state.incidents())
            if (!state.publishedUpdates(e.incidentId()).isEmpty()) out.add(e);
        out.sort((a, b) -> Long.compare(b.openedAt(), a.openedAt()));
        return out;
    }

    private boolean resolved(IncidentEvent e) {
        for (ReviewEvent u : state.publishedUpdates(e.incidentId()))
            if (u.status() == IncidentStatus.RESOLVED) return true;
        return false;
    }

    /**
     * Each component's state now, as the latest published update of an unresolved incident says.
     */
    Map<String, ComponentState> current() {
        Map<String, ComponentState> now = new LinkedHashMap<>();
        for (ComponentConfig c : config.components()) now.put(c.name(), ComponentState.OPERATIONAL);
        for (IncidentEvent e : published()) {
            if (resolved(e)) continue;
            List<ReviewEvent> updates = state.publishedUpdates(e.incidentId());
            for (ComponentChange c : updates.get(updates.size() - 1).components()) {
                if (now.containsKey(c.name()))
                    now.put(c.name(), now.get(c.name()).worst(c.newStatus()));
            }
        }
        return now;
    }

    static String words(ComponentState s) {
        return switch (s) {
            case OPERATIONAL -> "Operational";
            case DEGRADED_PERFORMANCE -> "Degraded performance";
            case PARTIAL_OUTAGE -> "Partial outage";
            case MAJOR_OUTAGE -> "Major outage";
        };
    }

    static String css(ComponentState s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private ComponentState overall(Map<String, ComponentState> now) {
        ComponentState worst = ComponentState.OPERATIONAL;
        for (ComponentState s : now.values()) worst = worst.worst(s);
        return worst;
    }

    static String banner(ComponentState worst) {
        return switch (worst) {
            case OPERATIONAL -> "All systems operational";
            case DEGRADED_PERFORMANCE -> "Degraded performance";
            case PARTIAL_OUTAGE -> "Partial system outage";
            case MAJOR_OUTAGE -> "Major system outage";
        };
    }

    /** The worst published state of a component on each of the last {@link #DAYS} days. */
    ComponentState[] days(String component, LocalDate today) {
        ComponentState[] out = new ComponentState[DAYS];
        java.util.Arrays.fill(out, ComponentState.OPERATIONAL);
        LocalDate first = today.minusDays(DAYS - 1);
        for (IncidentEvent e : published()) {
            for (ComponentImpact c : impacts(e)) {
                if (!c.name().equals(component)) continue;
                for (ComponentWindow w : c.windows()) {
                    LocalDate from = day(w.from());
                    LocalDate to = day(w.to() == null ? today(e) : w.to());
                    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                        int i = (int) (d.toEpochDay() - first.toEpochDay());
                        if (i >= 0 && i < DAYS) out[i] = out[i].worst(w.state());
                    }
                }
            }
        }
        return out;
    }

    /** Uptime over the last {@link #DAYS} days: time not in a major or partial outage. */
    double uptime(String component, LocalDate today) {
        long start = today.minusDays(DAYS - 1).atStartOfDay(zone).toInstant().toEpochMilli();
        long end = today.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        long down = 0;
        for (IncidentEvent e : published()) {
            for (ComponentImpact c : impacts(e)) {
                if (!c.name().equals(component)) continue;
                for (ComponentWindow w : c.windows()) {
                    if (w.state() != ComponentState.MAJOR_OUTAGE
                            && w.state() != ComponentState.PARTIAL_OUTAGE) continue;
                    long from = Math.max(start, w.from());
                    long to = Math.min(end, w.to() == null ? today(e) : w.to());
                    if (to > from) down += to - from;
                }
            }
        }
        return 100.0 * (end - start - down) / (end - start);
    }

    /** The components' windows as the incident's latest published update stated them. */
    private List<ComponentImpact> impacts(IncidentEvent e) {
        List<ReviewEvent> updates = state.publishedUpdates(e.incidentId());
        return updates.get(updates.size() - 1).impacts();
    }

    /**
     * Where a window still open at its publication ends on the page: at the newest time the
     * published incident's events reached.
     */
    private long today(IncidentEvent e) {
        return e.ts();
    }

    /** The public page's time: the newest event time of a published incident, else {@code wall}. */
    long now(long wall) {
        long newest = Long.MIN_VALUE;
        for (IncidentEvent e : published()) newest = Math.max(newest, e.ts());
        return newest == Long.MIN_VALUE ? wall : newest;
    }

    /** The incident's public title: the latest published one. */
    private String title(IncidentEvent e) {
        return state.publicTitle(e.incidentId());
    }

    private LocalDate day(long ts) {
        return Instant.ofEpochMilli(ts).atZone(zone).toLocalDate();
    }

    String html(long nowMs) {
        LocalDate today = day(nowMs);
        Map<String, ComponentState> now = current();
        StringBuilder b =
                new StringBuilder("<main><h1>")
                        .append(esc(config.environment()))
                        .append(" status</h1>");
        ComponentState worst = overall(now);
        b.append("<div class=\"banner ")
                .append(css(worst))
                .append("\" id=\"banner\">")
                .append(esc(banner(worst)))
                .append("</div>");
        Set<String> groups = new LinkedHashSet<>();
        for (ComponentConfig c : config.components()) groups.add(c.group());
        for (String g : groups) {
            double sum = 0;
            int n = 0;
            for (ComponentConfig c : config.components())
                if (g.equals(c.group())) {
                    sum += uptime(c.name(), today);
                    n++;
                }
            b.append("<h2>")
                    .append(esc(g == null ? "Components" : g))
                    .append(" <span class=\"muted\">")
                    .append(String.format(Locale.ROOT, "%.2f", n == 0 ? 100 : sum / n))
                    .append("% uptime</span></h2>");
            for (ComponentConfig c : config.components()) {
                if (!g.equals(c.group())) continue;
                ComponentState s = now.get(c.name());
                b.append("<div class=\"card component\"><b>")
                        .append(esc(c.name()))
                        .append("</b> — <span class=\"state ")
                        .append(css(s))
                        .append("\">")
                        .append(esc(words(s)))
                        .append("</span> <span class=\"muted\">")
                        .append(String.format(Locale.ROOT, "%.2f", uptime(c.name(), today)))
                        .append("% uptime over ")
                        .append(DAYS)
                        .append(" days</span><br>")
                        .append(bars(days(c.name(), today), today))
                        .append("</div>");
            }
        }
        b.append("<h2>Notice history</h2>");
        YearMonth month = YearMonth.from(today);
        List<IncidentEvent> published = published();
        for (int i = 0; i < 3; i++) {
            YearMonth m = month.minusMonths(i);
            b.append("<h3>")
                    .append(esc(m.format(DateTimeFormatter.ofPattern("MMM, yyyy", Locale.ENGLISH))))
                    .append("</h3>");
            boolean any = false;
            for (IncidentEvent e : published) {
                if (!YearMonth.from(day(e.openedAt())).equals(m)) continue;
                any = true;
                b.append(notice(e));
            }
            if (!any) b.append("<p class=\"muted\">No notices reported this month</p>");
        }
        return Html.page(config.environment() + " status", b.append("</main>").toString());
    }

    private String bars(ComponentState[] days, LocalDate today) {
        StringBuilder b =
                new StringBuilder("<svg class=\"bars\" width=\"")
                        .append(DAYS * 6)
                        .append("\" height=\"24\" role=\"img\" aria-label=\"last ")
                        .append(DAYS)
                        .append(" days\">");
        LocalDate first = today.minusDays(DAYS - 1);
        for (int i = 0; i < days.length; i++) {
            b.append("<rect x=\"")
                    .append(i * 6)
                    .append("\" y=\"0\" width=\"4\" height=\"24\" fill=\"")
                    .append(color(days[i]))
                    .append("\"><title>")
                    .append(esc(first.plusDays(i) + ": " + words(days[i])))
                    .append("</title></rect>");
        }
        return b.append("</svg>").toString();
    }

    private static String color(ComponentState s) {
        return switch (s) {
            case OPERATIONAL -> "#16a34a";
            case DEGRADED_PERFORMANCE -> "#ca8a04";
            case PARTIAL_OUTAGE -> "#ea580c";
            case MAJOR_OUTAGE -> "#dc2626";
        };
    }

    private String notice(IncidentEvent e) {
        StringBuilder b =
                new StringBuilder("<div class=\"card notice\"><b>")
                        .append(esc(title(e)))
                        .append("</b>");
        ReviewEvent pm = state.postmortem(e.incidentId());
        if (pm != null) {
            b.append("<h4>Postmortem</h4><div class=\"postmortem\">")
                    .append(esc(pm.body()))
                    .append("</div>");
        }
        List<ReviewEvent> updates = state.publishedUpdates(e.incidentId());
        for (int i = updates.size() - 1; i >= 0; i--) {
            ReviewEvent u = updates.get(i);
            b.append("<p class=\"update\"><b>")
                    .append(esc(EngineerPages.label(u.status())))
                    .append("</b> — ")
                    .append(esc(u.body()))
                    .append("<br><span class=\"muted\">")
                    .append(esc(when.format(Instant.ofEpochMilli(u.at()).atZone(zone))))
                    .append("</span></p>");
        }
        return b.append("</div>").toString();
    }

    // ------------------------------------------------------------ JSON (Statuspage's public API)

    Map<String, Object> page(long nowMs) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", config.environment());
        p.put("name", config.environment());
        p.put("time_zone", config.timeZone());
        p.put("updated_at", Instant.ofEpochMilli(nowMs).toString());
        return p;
    }

    List<Map<String, Object>> components() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, ComponentState> now = current();
        int position = 1;
        for (ComponentConfig c : config.components()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", StatusPage.code(c.name()));
            m.put("name", c.name());
            m.put("status", css(now.get(c.name())));
            m.put("group", c.group());
            m.put("position", position++);
            out.add(m);
        }
        return out;
    }

    List<Map<String, Object>> incidents(boolean unresolvedOnly) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (IncidentEvent e : published()) {
            boolean done = resolved(e);
            if (unresolvedOnly && done) continue;
            List<ReviewEvent> updates = state.publishedUpdates(e.incidentId());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.incidentId());
            m.put("name", title(e));
            m.put(
                    "status",
                    updates.get(updates.size() - 1).status().name().toLowerCase(Locale.ROOT));
            m.put("created_at", Instant.ofEpochMilli(e.openedAt()).toString());
            m.put(
                    "resolved_at",
                    done
                            ? Instant.ofEpochMilli(updates.get(updates.size() - 1).at()).toString()
                            : null);
            List<Map<String, Object>> us = new ArrayList<>();
            for (int i = updates.size() - 1; i >= 0; i--) {
                ReviewEvent u = updates.get(i);
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("id", u.id());
                x.put("status", u.status().name().toLowerCase(Locale.ROOT));
                x.put("body", u.body());
                x.put("created_at", Instant.ofEpochMilli(u.at()).toString());
                us.add(x);
            }
            m.put("incident_updates", us);
            ReviewEvent pm = state.postmortem(e.incidentId());
            m.put("postmortem_body", pm == null ? null : pm.body());
            out.add(m);
        }
        return out;
    }

    Map<String, Object> summary(long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("page", page(nowMs));
        ComponentState worst = overall(current());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put(
                "indicator",
                switch (worst) {
                    case OPERATIONAL -> "none";
                    case DEGRADED_PERFORMANCE -> "minor";
                    case PARTIAL_OUTAGE -> "major";
                    case MAJOR_OUTAGE -> "critical";
                });
        status.put("description", banner(worst));
        m.put("status", status);
        m.put("components", components());
        m.put("incidents", incidents(true));
        m.put("scheduled_maintenances", List.of());
        return m;
    }
}
