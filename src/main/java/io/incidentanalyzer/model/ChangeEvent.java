package io.incidentanalyzer.model;

/**
 * A deploy, rollback, config or feature-flag change: the actions people take during an outage,
 * whose effect the analyzer measures.
 *
 * @param ts event time, epoch milliseconds
 * @param version the version deployed or rolled back to; {@code null} for config changes
 */
public record ChangeEvent(
        long ts, String service, ChangeKind kind, String version, String description) {

    /** How drafts name the change: its description, or "web-app deploy 2024.02.16". */
    public String name() {
        if (description != null && !description.isBlank()) return description;
        String what = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return service + " " + what + (version == null ? "" : " " + version);
    }
}
