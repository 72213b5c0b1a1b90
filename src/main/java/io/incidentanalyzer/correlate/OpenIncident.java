package io.incidentanalyzer.correlate;

/** Keyed state of the correlator: the incident open in one environment, if any. */
public class OpenIncident {
    public String incidentId;
    public long openedAt;
    public String title;

    public OpenIncident() {}

    OpenIncident(String incidentId, long openedAt, String title) {
        this.incidentId = incidentId;
        this.openedAt = openedAt;
        this.title = title;
    }
}
