package io.incidentanalyzer.model;

/** What changed in an incident. */
public enum IncidentEventType {
    /** Enough evidence opened the incident (INVESTIGATING). */
    OPENED,
    /** Another signal joined it. */
    SIGNAL_ADDED,
    /** One of its signals cleared; others are still open. */
    SIGNAL_CLEARED,
    /** The top root-cause candidate changed; the new one is {@link IncidentEvent#topCause()}. */
    ROOT_CAUSE_CHANGED,
    /** The top candidate's confidence reached {@code correlation.identifyAt}: IDENTIFIED. */
    IDENTIFIED,
    /** A cause other than the top candidate that blocks recovery was found. */
    CONTRIBUTING_CAUSE,
    /** A change's effect was measured, {@code correlation.effectWindow} after it. */
    CHANGE_EFFECT,
    /** Its last signal cleared: MONITORING for the quiet period. */
    MONITORING,
    /** A related signal opened while it was MONITORING: the same incident again. */
    REOPENED,
    /** The quiet period passed without a related signal: RESOLVED. */
    CLOSED
}
