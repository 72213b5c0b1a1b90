package io.incidentanalyzer.draft;

import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.StatusPageIncident;
import io.incidentanalyzer.model.StatusUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Drafts as a Statuspage-compatible incident document. */
public final class StatusPage {
    private StatusPage() {}

    /** The document of an incident event that carries its drafts. */
    public static StatusPageIncident of(IncidentEvent e) {
        Drafts d = e.drafts();
        List<StatusUpdate> updates = d.statusUpdates();
        List<StatusPageIncident.Update> out = new ArrayList<>();
        for (int i = updates.size() - 1; i >= 0; i--) {
            StatusUpdate u = updates.get(i);
            List<StatusPageIncident.AffectedComponent> affected = new ArrayList<>();
            for (ComponentChange c : u.affectedComponents()) {
                affected.add(
                        new StatusPageIncident.AffectedComponent(
                                code(c.name()), c.name(), c.oldStatus(), c.newStatus()));
            }
            out.add(
                    new StatusPageIncident.Update(
                            e.incidentId() + "-" + (i + 1),
                            name(u.status()),
                            u.body(),
                            iso(u.ts()),
                            affected));
        }
        ComponentState worst = ComponentState.OPERATIONAL;
        List<StatusPageIncident.Component> components = new ArrayList<>();
        for (ComponentImpact c : d.components()) {
            worst = worst.worst(c.worst());
            ComponentState now =
                    e.status() == IncidentStatus.RESOLVED ? ComponentState.OPERATIONAL : c.state();
            components.add(
                    new StatusPageIncident.Component(code(c.name()), c.name(), c.group(), now));
        }
        IncidentStatus status =
                updates.isEmpty() ? e.status() : updates.get(updates.size() - 1).status();
        // The public title; an event drafted before public titles existed has only the internal
        // one.
        String title = d.publicTitle() == null ? e.title() : d.publicTitle();
        return new StatusPageIncident(
                e.incidentId(),
                title,
                name(status),
                impact(worst),
                iso(e.openedAt()),
                iso(e.ts()),
                first(updates, IncidentStatus.MONITORING),
                e.closedAt() == null ? null : iso(e.closedAt()),
                out,
                components);
    }

    private static String first(List<StatusUpdate> updates, IncidentStatus status) {
        for (StatusUpdate u : updates) if (u.status() == status) return iso(u.ts());
        return null;
    }

    static String impact(ComponentState worst) {
        return switch (worst) {
            case MAJOR_OUTAGE -> "critical";
            case PARTIAL_OUTAGE -> "major";
            case DEGRADED_PERFORMANCE -> "minor";
            case OPERATIONAL -> "none";
        };
    }

    static String name(IncidentStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    /** A component's code: its name in lower case, words joined by dashes. */
    public static String code(String name) {
        return name.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
    }

    private static String iso(long ts) {
        return Instant.ofEpochMilli(ts).toString();
    }
}
