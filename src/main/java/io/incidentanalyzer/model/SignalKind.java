package io.incidentanalyzer.model;

/** The detector pattern a signal reports. */
public enum SignalKind {
    SATURATION
}
