package io.incidentanalyzer.correlate;

import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.Signal;

/**
 * What the correlator reads, in one event-time order: a detector's signal or a change event
 * (exactly one of the two is set).
 */
public record CorrelatorInput(Signal signal, ChangeEvent change) {

    public static CorrelatorInput of(Signal s) {
        return new CorrelatorInput(s, null);
    }

    public static CorrelatorInput of(ChangeEvent c) {
        return new CorrelatorInput(null, c);
    }

    public long ts() {
        return signal != null ? signal.ts() : change.ts();
    }
}
