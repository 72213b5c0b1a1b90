package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's Kafka topics: four inputs and three outputs.
 *
 * @param statusUpdates Statuspage-compatible incident documents, one per lifecycle step; defaults
 *     to {@code <environment>.status-updates}
 * @param reviews what engineers did in the review service (confirmations, overrides, publications);
 *     its only store. Defaults to {@code <environment>.reviews}
 * @param alerts optional: the incident events again, written at least once as soon as they are
 *     drafted instead of at the next checkpoint, keyed {@code <incidentId>/<sequence>} so a
 *     consumer can drop the repeats; null (the default) writes no such topic
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
        String alerts)
        implements Serializable {

    /** Topics without an alerts topic. */
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
                alerts);
    }

    /** Every topic the job reads or writes, inputs first, the alerts topic last if set. */
    public List<String> names() {
        List<String> names =
                new ArrayList<>(
                        List.of(
                                metrics.name(),
                                auth.name(),
                                logs.name(),
                                changes.name(),
                                incidents,
                                deadLetter,
                                statusUpdates,
                                reviews));
        if (alerts != null) names.add(alerts);
        return List.copyOf(names);
    }
}
