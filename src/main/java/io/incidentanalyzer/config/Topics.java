package io.incidentanalyzer.config;

import java.io.Serializable;

/**
 * The job's Kafka topics: four inputs and three outputs.
 *
 * @param statusUpdates Statuspage-compatible incident documents, one per lifecycle step; defaults
 *     to {@code <environment>.status-updates}
 */
public record Topics(
        InputTopic metrics,
        InputTopic auth,
        InputTopic logs,
        InputTopic changes,
        String incidents,
        String deadLetter,
        String statusUpdates)
        implements Serializable {

    /** This with the status-updates topic given when none is. */
    Topics withDefaultStatusUpdates(String name) {
        return statusUpdates != null
                ? this
                : new Topics(metrics, auth, logs, changes, incidents, deadLetter, name);
    }

    /** Every topic the job reads or writes, inputs first. */
    public java.util.List<String> names() {
        return java.util.List.of(
                metrics.name(),
                auth.name(),
                logs.name(),
                changes.name(),
                incidents,
                deadLetter,
                statusUpdates);
    }
}
