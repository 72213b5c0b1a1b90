package io.incidentanalyzer.draft;

import io.incidentanalyzer.model.IncidentEventType;
import java.util.ArrayList;
import java.util.List;

/**
 * What the drafter keeps of one incident between its events: a note per signal and the lifecycle
 * steps. Everything else it drafts from comes with each incident event (ranked causes, contributing
 * causes, change effects). Bounded like the correlator's evidence.
 */
public class DraftState {
    public List<SignalNote> signals = new ArrayList<>();
    public List<Step> steps = new ArrayList<>();

    /** How many status updates the drafts held when the last Statuspage document was sent. */
    public int updatesSent;

    public DraftState() {}

    /** A lifecycle step or a finding, at its event time. */
    public static class Step {
        public long ts;

        /** The lifecycle step or finding: the incident event's type. */
        public IncidentEventType type;

        /** For CONTRIBUTING_CAUSE: the signal id that names the cause; else the cause signal. */
        public String signal;

        /** The top candidate at this step, as drafts name it ("token-refresh storm on …"). */
        public String top;

        /** The signals behind the top candidate at this step. */
        public List<String> topSignals = new ArrayList<>();

        public Step() {}

        Step(long ts, IncidentEventType type, String signal) {
            this.ts = ts;
            this.type = type;
            this.signal = signal;
        }
    }
}
