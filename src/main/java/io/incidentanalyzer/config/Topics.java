package io.incidentanalyzer.config;

import java.io.Serializable;

/**
 * The job's Kafka topics: four inputs, an optional fifth (external alerts) and four outputs.
 *
 * @param statusUpdates Statuspage-compatible incident documents, one per lifecycle step; defaults
 *     to {@code <environment>.status-updates}
 * @param reviews what engineers did in the review service (confirmations, overrides, publications);
 *     its only store. Defaults to {@code <environment>.reviews}
 * @param externalAlerts optional input: the alerts a team already has (Alertmanager's webhook),
 *     read as signals for the correlator; null when the job reads none
 */
public record Topics(
        InputTopic metrics,
        InputTopic auth,
        InputTopic logs,
        InputTopic changes,
        String incidents,
        String deadLetter,
        String statusUpdates,
        String reviews,
        InputTopic externalAlerts)
        implements Serializable {

    /** The topics without an external-alerts input. */
    public Topics(
            InputTopic metrics,
            InputTopic auth,
            InputTopic logs,
            InputTopic changes,
            String incidents,
            String deadLetter,
            String statusUpdates,
            String reviews) {
        this(metrics, auth, logs, changes, incidents, deadLetter, statusUpdates, reviews, null);
    }

    /** This with the environment's default names for the optional output topics. */
    Topics withDefaults(String environment) {
        return new Topics(
                metrics,
                auth,
                logs,
                changes,
                incidents,
                deadLetter,
                statusUpdates != null ? statusUpdates : environment + ".status-updates",
                reviews != null ? reviews : environment + ".reviews",
                externalAlerts);
    }

    /** Every topic the job reads or writes, inputs first (external alerts last, if read). */
    public java.util.List<String> names() {
        java.util.List<String> names =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                metrics.name(),
                                auth.name(),
                                logs.name(),
                                changes.name(),
                                incidents,
                                deadLetter,
                                statusUpdates,
                                reviews));
        if (externalAlerts != null) names.add(externalAlerts.name());
        return java.util.List.copyOf(names);
    }
}
