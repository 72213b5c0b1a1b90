package io.incidentanalyzer.model;

/**
 * An incident event numbered within its incident, for the at-least-once alerts topic: {@code
 * incidentId/sequence} is the same for a repeat of the event after a restart, so a consumer that
 * remembers the keys it has seen drops the repeats.
 *
 * @param sequence 0 for the incident's first event, then one more per event
 */
public record IncidentAlert(String incidentId, int sequence, IncidentEvent event) {

    /** The Kafka record key: {@code <incidentId>/<sequence>}. */
    public String key() {
        return incidentId + "/" + sequence;
    }
}
