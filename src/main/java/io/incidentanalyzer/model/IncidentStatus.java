package io.incidentanalyzer.model;

/** Status-page lifecycle of an incident. */
public enum IncidentStatus {
    INVESTIGATING,
    IDENTIFIED,
    MONITORING,
    RESOLVED
}
