package io.incidentanalyzer.model;

import java.util.List;

/**
 * What the analyzer drafts for an incident from its evidence, for an engineer to review and
 * publish: the timeline, a status-page update per lifecycle step, the components' states and the
 * postmortem (docs/formats.md#drafts). Sentences come from templates over evidence.
 *
 * @param timeline entries in event-time order
 * @param statusUpdates one per lifecycle step reached so far (Investigating, Identified,
 *     Monitoring, Resolved), in order
 * @param components every status-page component of the job file whose services the incident
 *     touched, in job-file order
 * @param postmortem the postmortem draft, Markdown
 * @param series the reported figures of the causes' signals (the top candidates' and the
 *     contributing causes'), for charts
 * @param publicTitle the title customers see, from the affected components and their worst state
 *     ("Outage of Platform, API and Apps"), apart from the incident's internal title; null in
 *     records written before it existed
 */
public record Drafts(
        List<TimelineEntry> timeline,
        List<StatusUpdate> statusUpdates,
        List<ComponentImpact> components,
        String postmortem,
        List<SignalSeries> series,
        String publicTitle) {
    public Drafts {
        series = series == null ? List.of() : List.copyOf(series);
        timeline = List.copyOf(timeline);
        statusUpdates = List.copyOf(statusUpdates);
        components = List.copyOf(components);
    }
}
