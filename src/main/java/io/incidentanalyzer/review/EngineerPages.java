package io.incidentanalyzer.review;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalSeries;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.model.TimelineEntry;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The engineers' pages: the incident list and an incident with its drafts and actions. This class
 * builds each page's view (records of text and numbers); the templates in {@code
 * src/main/resources/review/} make it HTML, escaping every value ({@link Templates}).
 */
final class EngineerPages {
    private final JobConfig config;
    private final ReviewState state;
    private final DateTimeFormatter when;
    private final DateTimeFormatter clock;
    private final java.util.function.Supplier<List<ReviewLog.Skipped>> skipped;

    EngineerPages(
            JobConfig config,
            ReviewState state,
            java.util.function.Supplier<List<ReviewLog.Skipped>> skipped) {
        this.config = config;
        this.state = state;
        this.skipped = skipped;
        this.when = config.clockFormat("EEE d MMM yyyy, h:mm a", "EEE d MMM yyyy, HH:mm");
        this.clock = config.clockFormat("EEE h:mm a", "EEE HH:mm");
    }

    private String at(long ts) {
        return when.format(Instant.ofEpochMilli(ts));
    }

    /** The incident list's view (review/incidents.mustache). */
    public record ListView(
            String title,
            boolean live,
            String csrf,
            boolean signedIn,
            boolean localUser,
            String user,
            String environment,
            Table table,
            SkippedView skipped) {}

    /** The incidents, newest first; null when there is none. */
    public record Table(List<Row> rows) {}

    /** An incident in the list. */
    public record Row(
            String id,
            String title,
            String status,
            String opened,
            String cause,
            boolean confirmed,
            int published) {}

    /** The skipped records, newest first; null when there is none. */
    public record SkippedView(int count, List<SkippedRow> rows) {}

    /** A record of the incidents or reviews topic that was not applied. */
    public record SkippedRow(
            String topic,
            int partition,
            long offset,
            String written,
            String reason,
            String detail) {}

    String list(EngineerAuth.Identity who, String csrf) {
        List<Row> rows = new ArrayList<>();
        for (IncidentEvent e : state.incidents()) {
            ReviewState.Decision d = state.rootCause(e.incidentId());
            rows.add(
                    new Row(
                            e.incidentId(),
                            e.title(),
                            e.status().name(),
                            at(e.openedAt()),
                            d == null ? "" : cause(d.kind(), d.service()),
                            d != null && d.confirmed(),
                            state.publishedUpdates(e.incidentId()).size()));
        }
        return Templates.render(
                "incidents",
                new ListView(
                        "Incidents · " + config.environment(),
                        true,
                        csrf,
                        who.how() == ReviewEvent.Auth.PASSWORD,
                        who.how() == ReviewEvent.Auth.LOCAL,
                        who.user(),
                        config.environment(),
                        rows.isEmpty() ? null : new Table(rows),
                        skipped()));
    }

    /**
     * The records the service skipped (unreadable, unsigned or forged), newest first: engineers
     * should know the topic holds them; the public never sees them.
     */
    private SkippedView skipped() {
        List<ReviewLog.Skipped> all = skipped.get();
        if (all.isEmpty()) return null;
        List<SkippedRow> rows = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            ReviewLog.Skipped s = all.get(i);
            rows.add(
                    new SkippedRow(
                            s.source().name().toLowerCase(Locale.ROOT),
                            s.partition(),
                            s.offset(),
                            at(s.timestamp()),
                            s.reason().name().toLowerCase(Locale.ROOT),
                            s.detail()));
        }
        return new SkippedView(all.size(), rows);
    }

    private String cause(CauseKind kind, String service) {
        return kind.words() + " on " + config.displayName(service);
    }

    /** The incident page's view (review/incident.mustache). */
    public record IncidentView(
            String title,
            boolean live,
            String csrf,
            String id,
            String status,
            String opened,
            PublicTitle publicTitle,
            DecisionView decision,
            List<Candidate> candidates,
            List<Option> kinds,
            List<Option> services,
            Contributing contributing,
            DraftsView drafts) {}

    /** The title customers see: the published one, else the drafted one (a draft until then). */
    public record PublicTitle(String title, boolean draft) {}

    /** The root cause decided, or the analyzer's top candidate until one is. */
    public record DecisionView(String cause, boolean confirmed, String by) {}

    /** A ranked candidate with its chart (a series, else its figures, else none) and evidence. */
    public record Candidate(
            int rank,
            String cause,
            String confidence,
            Charts.Series series,
            Charts.Around around,
            List<String> evidence,
            String kind,
            String service) {}

    /** A choice in a select. */
    public record Option(String value, String label) {}

    /** The contributing causes; null when there is none. */
    public record Contributing(List<ContributingCause> causes) {}

    /** A contributing cause, its onset and its first evidence (or null). */
    public record ContributingCause(String cause, String since, String evidence) {}

    /** The drafts, and what engineers published of them. */
    public record DraftsView(
            List<Published> published,
            Draft draft,
            List<Day> days,
            String postmortemBy,
            String postmortem) {}

    /** A published status update. */
    public record Published(String label, String title, String by, String body) {}

    /** The latest drafted status update, in the publish form. */
    public record Draft(
            String label, String status, int maxTitle, String publicTitle, String body) {}

    /** A day of the drafted timeline. */
    public record Day(String day, List<Entry> entries) {}

    /** A line of the drafted timeline. */
    public record Entry(String time, String text) {}

    String incident(IncidentEvent e, String csrf) {
        ReviewState.Decision decision = state.rootCause(e.incidentId());
        List<Candidate> candidates = new ArrayList<>();
        int rank = 1;
        for (RootCause c : e.rootCauses()) {
            SignalSeries series = series(e, c.signals().get(0));
            Signal s = signal(e, c.signals().get(0));
            Charts.Series line =
                    series != null && series.values().size() > 1
                            ? Charts.series(series, clock)
                            : null;
            candidates.add(
                    new Candidate(
                            rank++,
                            cause(c.kind(), c.service()),
                            String.format(Locale.ROOT, "%.2f", c.confidence()),
                            line,
                            line == null && s != null ? Charts.around(s) : null,
                            c.evidence(),
                            c.kind().name(),
                            c.service()));
        }
        List<Option> kinds = new ArrayList<>();
        for (CauseKind k : CauseKind.values()) kinds.add(new Option(k.name(), k.words()));
        List<Option> services = new ArrayList<>();
        for (String s : config.services().keySet())
            services.add(new Option(s, config.displayName(s)));
        List<ContributingCause> contributing = new ArrayList<>();
        for (RootCause c : e.contributingCauses()) {
            contributing.add(
                    new ContributingCause(
                            cause(c.kind(), c.service()),
                            at(c.onset()),
                            c.evidence().isEmpty() ? null : c.evidence().get(0)));
        }
        return Templates.render(
                "incident",
                new IncidentView(
                        e.title(),
                        true,
                        csrf,
                        e.incidentId(),
                        e.status().name(),
                        at(e.openedAt()),
                        publicTitle(e),
                        decision == null
                                ? null
                                : new DecisionView(
                                        cause(decision.kind(), decision.service()),
                                        decision.confirmed(),
                                        decision.by()),
                        candidates,
                        kinds,
                        services,
                        contributing.isEmpty() ? null : new Contributing(contributing),
                        e.drafts() == null ? null : drafts(e)));
    }

    private DraftsView drafts(IncidentEvent e) {
        Drafts d = e.drafts();
        List<Published> published = new ArrayList<>();
        for (ReviewEvent p : state.publishedUpdates(e.incidentId()))
            published.add(new Published(label(p.status()), p.title(), p.by(), p.body()));
        Draft draft = null;
        List<StatusUpdate> drafts = d.statusUpdates();
        if (!drafts.isEmpty()) {
            StatusUpdate latest = drafts.get(drafts.size() - 1);
            String publicTitle = state.publicTitle(e.incidentId());
            draft =
                    new Draft(
                            latest.update() ? "Update" : label(latest.status()),
                            latest.status().name(),
                            ReviewEvent.MAX_TITLE,
                            // Until an engineer publishes one, the analyzer's title is only the
                            // suggestion in the form: the status page shows what is published.
                            publicTitle != null ? publicTitle : draftedTitle(e),
                            latest.body());
        }
        // Consecutive entries of one day under one heading.
        List<Day> days = new ArrayList<>();
        for (TimelineEntry t : d.timeline()) {
            if (days.isEmpty() || !days.get(days.size() - 1).day().equals(t.day()))
                days.add(new Day(t.day(), new ArrayList<>()));
            days.get(days.size() - 1).entries().add(new Entry(t.time(), t.text()));
        }
        ReviewEvent pm = state.postmortem(e.incidentId());
        return new DraftsView(
                published,
                draft,
                days,
                pm == null ? null : pm.by(),
                pm != null ? pm.body() : d.postmortem());
    }

    private PublicTitle publicTitle(IncidentEvent e) {
        String published = state.publicTitle(e.incidentId());
        return published != null
                ? new PublicTitle(published, false)
                : new PublicTitle(draftedTitle(e), true);
    }

    private static String draftedTitle(IncidentEvent e) {
        return e.drafts() == null || e.drafts().publicTitle() == null
                ? e.title()
                : e.drafts().publicTitle();
    }

    private static SignalSeries series(IncidentEvent e, String id) {
        if (e.drafts() == null) return null;
        for (SignalSeries x : e.drafts().series()) if (x.signal().equals(id)) return x;
        return null;
    }

    private static Signal signal(IncidentEvent e, String id) {
        if (e.cause() != null && e.cause().id().equals(id)) return e.cause();
        for (Signal s : e.activeSignals()) if (s.id().equals(id)) return s;
        return null;
    }

    static String label(IncidentStatus s) {
        String n = s.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
