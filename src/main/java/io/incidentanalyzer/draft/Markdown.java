package io.incidentanalyzer.draft;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.model.TimelineEntry;
import java.util.List;
import java.util.Locale;

/** Drafts as Markdown files, as `replay --drafts` writes them. */
public final class Markdown {
    private Markdown() {}

    /** The timeline grouped by day: "### Friday 16 February 2024", then "- 8:26 AM: …". */
    public static String timeline(List<TimelineEntry> entries) {
        StringBuilder b = new StringBuilder();
        String day = null;
        for (TimelineEntry t : entries) {
            if (!t.day().equals(day)) {
                if (day != null) b.append('\n');
                day = t.day();
                b.append("### ").append(day).append("\n\n");
            }
            b.append("- ").append(t.time()).append(": ").append(t.text()).append('\n');
        }
        return b.toString();
    }

    /** The timeline file: a title and the timeline. */
    public static String timelineFile(String incidentId, Drafts d) {
        return "# Timeline of incident " + incidentId + " (draft)\n\n" + timeline(d.timeline());
    }

    /** The status updates, newest first as on a status page, each with its step and time. */
    public static String statusUpdatesFile(String incidentId, Drafts d, JobConfig config) {
        Words w = new Words(config);
        StringBuilder b = new StringBuilder("# Status updates of incident " + incidentId);
        b.append(" (drafts)\n\nPublic title: ").append(d.publicTitle()).append('\n');
        List<StatusUpdate> updates = d.statusUpdates();
        for (int i = updates.size() - 1; i >= 0; i--) {
            StatusUpdate u = updates.get(i);
            // An intermediate update is labelled as Statuspage shows it: "Update".
            String step = u.update() ? "update" : u.status().name().toLowerCase(Locale.ROOT);
            b.append("\n## ")
                    .append(Character.toUpperCase(step.charAt(0)))
                    .append(step.substring(1))
                    .append(" (")
                    .append(w.day(u.ts()))
                    .append(", ")
                    .append(w.time(u.ts()))
                    .append(")\n\n")
                    .append(u.body())
                    .append('\n');
            if (!u.affectedComponents().isEmpty()) {
                b.append('\n');
                u.affectedComponents()
                        .forEach(
                                c ->
                                        b.append("- ")
                                                .append(c.name())
                                                .append(": ")
                                                .append(Postmortem.stateName(c.oldStatus()))
                                                .append(" → ")
                                                .append(Postmortem.stateName(c.newStatus()))
                                                .append('\n'));
            }
        }
        return b.toString();
    }
}
