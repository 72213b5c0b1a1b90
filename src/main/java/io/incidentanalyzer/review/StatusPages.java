package io.incidentanalyzer.review;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.incidentanalyzer.config.ComponentConfig;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.draft.StatusPage;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.ComponentWindow;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import java.io.StringWriter;
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

    /** The status page's template: Mustache escapes every value (review/status.mustache). */
    private static final Mustache TEMPLATE =
            new DefaultMustacheFactory().compile("review/status.mustache");

    /** What the status page shows: text and numbers only, the template makes it HTML. */
    public record View(
            String environment,
            String bannerCss,
            String banner,
            List<Group> groups,
            List<Month> months) {}

    /** A group of components with its average uptime. */
    public record Group(String name, String uptime, List<Component> components) {}

    /** A component's state now and its daily bars. */
    public record Component(
            String name,
            String stateCss,
            String state,
            String uptime,
            int days,
            int width,
            List<Bar> bars) {}

    /** One day's bar. */
    public record Bar(int x, String fill, String title) {}

    /** A month of the notice history; no notices: "No notices reported this month". */
    public record Month(String label, List<Notice> notices) {}

    /** A published incident: its public title, postmortem (or null) and updates, newest first. */
    public record Notice(String title, String postmortem, List<Update> updates) {}

    /** A published update. */
    public record Update(String label, String body, String when) {}

    String html(long nowMs) {
        StringWriter out = new StringWriter();
        TEMPLATE.execute(out, view(nowMs));
        return out.toString();
    }

    View view(long nowMs) {
        LocalDate today = day(nowMs);
        Map<String, ComponentState> now = current();
        ComponentState worst = overall(now);
        Set<String> names = new LinkedHashSet<>();
        for (ComponentConfig c : config.components()) names.add(c.group());
        List<Group> groups = new ArrayList<>();
        for (String g : names) {
            double sum = 0;
            List<Component> components = new ArrayList<>();
            for (ComponentConfig c : config.components()) {
                if (!g.equals(c.group())) continue;
                double uptime = uptime(c.name(), today);
                sum += uptime;
                ComponentState s = now.get(c.name());
                components.add(
                        new Component(
                                c.name(),
                                css(s),
                                words(s),
                                percent(uptime),
                                DAYS,
                                DAYS * 6,
                                bars(days(c.name(), today), today)));
            }
            groups.add(
                    new Group(
                            g,
                            percent(components.isEmpty() ? 100 : sum / components.size()),
                            components));
        }
        List<Month> months = new ArrayList<>();
        YearMonth month = YearMonth.from(today);
        List<IncidentEvent> published = published();
        for (int i = 0; i < 3; i++) {
            YearMonth m = month.minusMonths(i);
            List<Notice> notices = new ArrayList<>();
            for (IncidentEvent e : published) {
                if (YearMonth.from(day(e.openedAt())).equals(m)) notices.add(notice(e));
            }
            months.add(
                    new Month(
                            m.format(DateTimeFormatter.ofPattern("MMM, yyyy", Locale.ENGLISH)),
                            notices));
        }
        return new View(config.environment(), css(worst), banner(worst), groups, months);
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static List<Bar> bars(ComponentState[] days, LocalDate today) {
        List<Bar> out = new ArrayList<>();
        LocalDate first = today.minusDays(DAYS - 1);
        for (int i = 0; i < days.length; i++) {
            out.add(new Bar(i * 6, color(days[i]), first.plusDays(i) + ": " + words(days[i])));
        }
        return out;
    }

    private static String color(ComponentState s) {
        return switch (s) {
            case OPERATIONAL -> "#16a34a";
            case DEGRADED_PERFORMANCE -> "#ca8a04";
            case PARTIAL_OUTAGE -> "#ea580c";
            case MAJOR_OUTAGE -> "#dc2626";
        };
    }

    private Notice notice(IncidentEvent e) {
        ReviewEvent pm = state.postmortem(e.incidentId());
        List<ReviewEvent> updates = state.publishedUpdates(e.incidentId());
        List<Update> shown = new ArrayList<>();
        for (int i = updates.size() - 1; i >= 0; i--) {
            ReviewEvent u = updates.get(i);
            shown.add(
                    new Update(
                            EngineerPages.label(u.status()),
                            u.body(),
                            when.format(Instant.ofEpochMilli(u.at()).atZone(zone))));
        }
        return new Notice(title(e), pm == null ? null : pm.body(), shown);
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
