package io.incidentanalyzer.config;

import java.io.Serializable;

/**
 * The job's Kafka topics: four inputs and three outputs.
 *
 * @param statusUpdates Statuspage-compatible incident documents, one per lifecycle step; defaults
 *     to {@code <environment>.status-updates}
 * @param reviews what engineers did in the review service (confirmations, overrides, publications);
 *     its only store. Defaults to {@code <environment>.reviews}
 */
public record Topics(
        InputTopic metrics,
        InputTopic auth,
        InputTopic logs,
        InputTopic changes,
        String incidents,
        String deadLetter,
        String statusUpdates,
        String reviews)
        implements Serializable {

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
                reviews != null ? reviews : environment + ".reviews");
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
                statusUpdates,
                reviews);
    }
}
