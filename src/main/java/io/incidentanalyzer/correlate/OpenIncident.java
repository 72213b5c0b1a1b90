package io.incidentanalyzer.correlate;

import io.incidentanalyzer.model.Signal;

/**
 * Keyed state of the correlator: the incident of one environment that is open or MONITORING, if
 * any. Times are event time, epoch milliseconds; -1 is unset.
 */
public class OpenIncident {
    public String incidentId;
    public long openedAt;
    public String title;

    /** When the last signal cleared, while MONITORING; -1 while signals are open. */
    public long monitoringSince = -1;

    /** The timer that resolves the incident at the end of the quiet period; -1 when none. */
    public long resolveAt = -1;

    /** The signal whose clearing started MONITORING: the cause of the CLOSED event. */
    public Signal lastCleared;

    public OpenIncident() {}

    OpenIncident(String incidentId, long openedAt, String title) {
        this.incidentId = incidentId;
        this.openedAt = openedAt;
        this.title = title;
    }

    boolean monitoring() {
        return monitoringSince >= 0;
    }
}
