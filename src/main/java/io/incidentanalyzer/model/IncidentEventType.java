package io.incidentanalyzer.model;

/** What changed in an incident. */
public enum IncidentEventType {
    /** The first signal opened the incident (INVESTIGATING). */
    OPENED,
    /** Another signal joined it. */
    SIGNAL_ADDED,
    /** One of its signals cleared; others are still open. */
    SIGNAL_CLEARED,
    /** Its last signal cleared: MONITORING for the quiet period. */
    MONITORING,
    /** A signal opened while it was MONITORING: back to INVESTIGATING, the same incident. */
    REOPENED,
    /** The quiet period passed without a signal: RESOLVED. */
    CLOSED
}
