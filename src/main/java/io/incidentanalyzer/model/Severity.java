package io.incidentanalyzer.model;

/** How bad a signal is; orders as declared (MINOR is the least severe). */
public enum Severity {
    MINOR,
    MAJOR,
    CRITICAL
}
