package io.incidentanalyzer.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's Kafka topics: four inputs, two optional ones (external alerts, traces), three outputs
 * and an optional fourth (alerts).
 *
 * @param statusUpdates Statuspage-compatible incident documents, one per lifecycle step; defaults
 *     to {@code <environment>.status-updates}
 * @param reviews what engineers did in the review service (confirmations, overrides, publications);
 *     its only store. Defaults to {@code <environment>.reviews}
 * @param externalAlerts optional input: the alerts a team already has (Alertmanager's webhook),
 *     read as signals for the correlator; null when the job reads none
 * @param alerts optional: the incident events again, written at least once as soon as they are
 *     drafted instead of at the next checkpoint, keyed {@code <incidentId>/<sequence>} so a
 *     consumer can drop the repeats; null (the default) writes no such topic
 * @param traces optional input: OTLP spans, paired into calls between services whose counts, errors
 *     and latency per edge join the metrics and whose edges are the learned service graph; null
 *     when the job reads none
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
        InputTopic externalAlerts,
        String alerts,
        InputTopic traces)
        implements Serializable {

    /** The topics without a traces input. */
    public Topics(
            InputTopic metrics,
            InputTopic auth,
            InputTopic logs,
            InputTopic changes,
            String incidents,
            String deadLetter,
            String statusUpdates,
            String reviews,
            InputTopic externalAlerts,
            String alerts) {
        this(
                metrics,
                auth,
                logs,
                changes,
                incidents,
                deadLetter,
                statusUpdates,
                reviews,
                externalAlerts,
                alerts,
                null);
    }

    /** The topics without an external-alerts input or an alerts output. */
    public Topics(
            InputTopic metrics,
            InputTopic auth,
            InputTopic logs,
            InputTopic changes,
            String incidents,
            String deadLetter,
            String statusUpdates,
            String reviews) {
        this(
                metrics,
                auth,
                logs,
                changes,
                incidents,
                deadLetter,
                statusUpdates,
                reviews,
                null,
                null);
    }

    /** This with {@code traces} as the traces input (null: none). */
    public Topics withTraces(InputTopic traces) {
        return new Topics(
                metrics,
                auth,
                logs,
                changes,
                incidents,
                deadLetter,
                statusUpdates,
                reviews,
                externalAlerts,
                alerts,
                traces);
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
                externalAlerts,
                alerts,
                traces);
    }

    /**
     * Every topic the job reads or writes, inputs first, then external alerts, the alerts topic and
     * traces if set.
     */
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
        if (externalAlerts != null) names.add(externalAlerts.name());
        if (alerts != null) names.add(alerts);
        if (traces != null) names.add(traces.name());
        return List.copyOf(names);
    }
}
