package io.incidentanalyzer.review;

import static io.incidentanalyzer.review.Html.esc;

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
import java.util.List;
import java.util.Locale;

/** The engineers' pages: the incident list and an incident with its drafts and actions. */
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

    String list(EngineerAuth.Identity who, String csrf) {
        StringBuilder b = new StringBuilder("<main data-live>");
        if (who.how() == ReviewEvent.Auth.PASSWORD) {
            b.append("<form id=\"sign-out\" method=\"post\" action=\"/sign-out\">")
                    .append(EngineerAuth.hidden(csrf))
                    .append("<span class=\"muted\">Signed in as ")
                    .append(esc(who.user()))
                    .append("</span> <button>Sign out</button></form>");
        } else if (who.how() == ReviewEvent.Auth.LOCAL) {
            b.append("<p class=\"muted\" id=\"who\">Acting as ")
                    .append(esc(who.user()))
                    .append(", the local user (loopback, no sign-in configured)</p>");
        }
        b.append("<h1>Incidents</h1>");
        b.append("<p class=\"muted\">")
                .append(esc(config.environment()))
                .append(
                        " · drafts by incident-analyzer, for review · <a href=\"/status\">public"
                                + " status page</a></p>");
        // The parts that /live.js swaps in as incidents change (LiveUpdates): no form in them.
        b.append("<div id=\"incident-list\" data-live-part>");
        List<IncidentEvent> incidents = state.incidents();
        if (incidents.isEmpty()) b.append("<p>No incident yet.</p>");
        else {
            b.append(
                    "<table><tr><th>Incident</th><th>Status</th><th>Opened</th><th>Root cause</th>"
                            + "<th>Published</th></tr>");
            for (IncidentEvent e : incidents) {
                ReviewState.Decision d = state.rootCause(e.incidentId());
                b.append("<tr><td><a class=\"incident\" href=\"/incidents/")
                        .append(esc(e.incidentId()))
                        .append("\">")
                        .append(esc(e.title()))
                        .append("</a><br><span class=\"muted\">")
                        .append(esc(e.incidentId()))
                        .append("</span></td><td>")
                        .append(esc(e.status().name()))
                        .append("</td><td>")
                        .append(esc(at(e.openedAt())))
                        .append("</td><td>")
                        .append(d == null ? "" : esc(cause(d.kind(), d.service())))
                        .append(d != null && d.confirmed() ? " ✓" : "")
                        .append("</td><td>")
                        .append(state.publishedUpdates(e.incidentId()).size())
                        .append(" update(s)</td></tr>");
            }
            b.append("</table>");
        }
        b.append("</div><div id=\"skipped-records\" data-live-part>");
        skipped(b);
        b.append("</div>");
        return Html.livePage("Incidents · " + config.environment(), b.append("</main>").toString());
    }

    /**
     * The records the service skipped (unreadable, unsigned or forged), newest first: engineers
     * should know the topic holds them; the public never sees them.
     */
    private void skipped(StringBuilder b) {
        List<ReviewLog.Skipped> all = skipped.get();
        if (all.isEmpty()) return;
        b.append("<h2 id=\"skipped\">Skipped records</h2><p class=\"muted\">")
                .append(all.size())
                .append(
                        " record(s) of the incidents or reviews topic were not applied (the last"
                                + " 50 at most); see review_unreadable_records_total.</p>")
                .append(
                        "<table><tr><th>Topic</th><th>Partition</th><th>Offset</th><th>Written</th>"
                                + "<th>Reason</th><th>Detail</th></tr>");
        for (int i = all.size() - 1; i >= 0; i--) {
            ReviewLog.Skipped s = all.get(i);
            b.append("<tr><td>")
                    .append(esc(s.source().name().toLowerCase(Locale.ROOT)))
                    .append("</td><td>")
                    .append(s.partition())
                    .append("</td><td>")
                    .append(s.offset())
                    .append("</td><td>")
                    .append(esc(at(s.timestamp())))
                    .append("</td><td>")
                    .append(esc(s.reason().name().toLowerCase(Locale.ROOT)))
                    .append("</td><td>")
                    .append(esc(s.detail()))
                    .append("</td></tr>");
        }
        b.append("</table>");
    }

    private String cause(CauseKind kind, String service) {
        return kind.words() + " on " + config.displayName(service);
    }

    String incident(IncidentEvent e, String csrf) {
        String id = esc(e.incidentId());
        String token = EngineerAuth.hidden(csrf);
        Drafts d = e.drafts();
        // The parts that /live.js swaps in as the incident changes (LiveUpdates) hold no form
        // field: what the engineer types in the forms between them stays.
        StringBuilder b =
                new StringBuilder("<main data-live data-incident=\"").append(id).append("\">");
        b.append(
                        "<p><a href=\"/\">← Incidents</a></p><div id=\"incident-head\""
                                + " data-live-part><h1>")
                .append(esc(e.title()))
                .append("</h1><p class=\"muted\">")
                .append(id)
                .append(" · ")
                .append(esc(e.status().name()))
                .append(" · opened ")
                .append(esc(at(e.openedAt())))
                .append("</p>")
                .append(publicTitle(e))
                .append("</div>");

        // Root cause: the decision, the ranked candidates with their evidence, and the actions.
        ReviewState.Decision decision = state.rootCause(e.incidentId());
        b.append("<h2>Root cause</h2><div id=\"candidates\" data-live-part>");
        if (decision != null) {
            b.append("<p id=\"root-cause\"><b>")
                    .append(esc(cause(decision.kind(), decision.service())))
                    .append("</b> ")
                    .append(
                            decision.confirmed()
                                    ? "— decided by " + esc(decision.by())
                                    : "— the analyzer's top candidate, not yet confirmed")
                    .append("</p>");
        }
        int rank = 1;
        for (RootCause c : e.rootCauses()) {
            b.append("<div class=\"card candidate\"><b>#")
                    .append(rank++)
                    .append(" ")
                    .append(esc(cause(c.kind(), c.service())))
                    .append("</b> <span class=\"muted\">confidence ")
                    .append(String.format(Locale.ROOT, "%.2f", c.confidence()))
                    .append("</span>");
            SignalSeries series = series(e, c.signals().get(0));
            Signal s = signal(e, c.signals().get(0));
            if (series != null && series.values().size() > 1) {
                b.append("<div>").append(Charts.series(series, clock)).append("</div>");
            } else if (s != null) {
                b.append(Charts.around(s));
            }
            b.append("<ul>");
            for (String x : c.evidence()) b.append("<li>").append(esc(x)).append("</li>");
            b.append("</ul><form method=\"post\" action=\"/incidents/")
                    .append(id)
                    .append("/root-cause\">")
                    .append(token)
                    .append("<input type=\"hidden\" name=\"kind\" value=\"")
                    .append(esc(c.kind().name()))
                    .append("\"><input type=\"hidden\" name=\"service\" value=\"")
                    .append(esc(c.service()))
                    .append(
                            "\"><button name=\"action\" value=\"confirm\">Confirm as root cause"
                                    + "</button></form></div>");
        }
        b.append("</div><form id=\"override\" method=\"post\" action=\"/incidents/")
                .append(id)
                .append("/root-cause\">")
                .append(token)
                .append(
                        "<input type=\"hidden\" name=\"action\" value=\"override\">"
                                + "Override: <select name=\"kind\">");
        for (CauseKind k : CauseKind.values()) {
            b.append("<option value=\"")
                    .append(k.name())
                    .append("\">")
                    .append(esc(k.words()))
                    .append("</option>");
        }
        b.append("</select> on <select name=\"service\">");
        for (String s : config.services().keySet()) {
            b.append("<option value=\"")
                    .append(esc(s))
                    .append("\">")
                    .append(esc(config.displayName(s)))
                    .append("</option>");
        }
        b.append(
                "</select> <input name=\"note\" placeholder=\"why (optional)\">"
                        + " <button>Override root cause</button></form>");
        b.append("<div id=\"contributing\" data-live-part>");
        if (!e.contributingCauses().isEmpty()) {
            b.append("<h3>Contributing causes</h3><ul>");
            for (RootCause c : e.contributingCauses()) {
                b.append("<li>")
                        .append(esc(cause(c.kind(), c.service())))
                        .append(" since ")
                        .append(esc(at(c.onset())))
                        .append(c.evidence().isEmpty() ? "" : ": " + esc(c.evidence().get(0)))
                        .append("</li>");
            }
            b.append("</ul>");
        }
        b.append("</div>");

        if (d != null) {
            b.append("<h2>Status updates</h2><div id=\"published\" data-live-part>");
            List<ReviewEvent> published = state.publishedUpdates(e.incidentId());
            for (ReviewEvent p : published) {
                b.append("<div class=\"card published\"><b>")
                        .append(esc(label(p.status())))
                        .append(" · ")
                        .append(esc(p.title()))
                        .append("</b> <span class=\"muted\">published by ")
                        .append(esc(p.by()))
                        .append("</span><p>")
                        .append(esc(p.body()))
                        .append("</p></div>");
            }
            b.append("</div>");
            List<StatusUpdate> drafts = d.statusUpdates();
            if (!drafts.isEmpty()) {
                StatusUpdate latest = drafts.get(drafts.size() - 1);
                String publicTitle = state.publicTitle(e.incidentId());
                b.append("<form id=\"publish-update\" method=\"post\" action=\"/incidents/")
                        .append(id)
                        .append("/updates\">")
                        .append(token)
                        .append("<div class=\"card\"><b>Draft: ")
                        .append(esc(latest.update() ? "Update" : label(latest.status())))
                        .append("</b><input type=\"hidden\" name=\"status\" value=\"")
                        .append(latest.status().name())
                        .append("\"><label>Public title <input name=\"title\" size=\"60\"")
                        .append(" maxlength=\"")
                        .append(ReviewEvent.MAX_TITLE)
                        .append("\" required value=\"")
                        // Until an engineer publishes one, the analyzer's title is only the
                        // suggestion in this field: the status page shows what is published.
                        .append(esc(publicTitle != null ? publicTitle : draftedTitle(e)))
                        .append("\"></label><textarea name=\"body\" rows=\"4\">")
                        .append(esc(latest.body()))
                        .append("</textarea><button>Publish update</button></div></form>");
            }
            b.append(
                    "<div id=\"timeline\" data-live-part><h2>Timeline (draft)</h2>"
                            + "<ul class=\"timeline\">");
            String day = null;
            for (TimelineEntry t : d.timeline()) {
                if (!t.day().equals(day)) {
                    day = t.day();
                    b.append("</ul><h3>").append(esc(day)).append("</h3><ul class=\"timeline\">");
                }
                b.append("<li>")
                        .append(esc(t.time()))
                        .append(": ")
                        .append(esc(t.text()))
                        .append("</li>");
            }
            b.append(
                    "</ul></div><h2>Postmortem (draft)</h2><div id=\"postmortem-state\""
                            + " data-live-part>");
            ReviewEvent pm = state.postmortem(e.incidentId());
            if (pm != null) {
                b.append("<p class=\"muted\">Published by ").append(esc(pm.by())).append("</p>");
            }
            b.append("</div>");
            b.append("<form id=\"publish-postmortem\" method=\"post\" action=\"/incidents/")
                    .append(id)
                    .append("/postmortem\">")
                    .append(token)
                    .append("<textarea name=\"body\" rows=\"18\">")
                    .append(esc(pm != null ? pm.body() : d.postmortem()))
                    .append("</textarea><button>Publish postmortem</button></form>");
        }
        return Html.livePage(e.title(), b.append("</main>").toString());
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

    /** The title customers see: the published one, else the drafted one, else the internal. */
    private String publicTitle(IncidentEvent e) {
        String published = state.publicTitle(e.incidentId());
        String title = published != null ? published : draftedTitle(e);
        return "<p id=\"public-title\">Public title"
                + (published != null ? "" : " (draft)")
                + ": <b>"
                + esc(title)
                + "</b></p>";
    }

    private static String draftedTitle(IncidentEvent e) {
        return e.drafts() == null || e.drafts().publicTitle() == null
                ? e.title()
                : e.drafts().publicTitle();
    }

    static String label(IncidentStatus s) {
        String n = s.name().toLowerCase(Locale.ROOT);
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }
}
