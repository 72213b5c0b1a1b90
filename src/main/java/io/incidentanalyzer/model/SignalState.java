package io.incidentanalyzer.model;

/** Where a signal is in its episode: opened, still going with new figures, or cleared. */
public enum SignalState {
    OPEN,
    UPDATE,
    CLEAR
}
