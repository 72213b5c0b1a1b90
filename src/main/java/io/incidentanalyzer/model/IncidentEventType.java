package io.incidentanalyzer.model;

/** What changed in an incident. */
public enum IncidentEventType {
    OPENED,
    SIGNAL_ADDED,
    SIGNAL_CLEARED,
    CLOSED
}
