package io.incidentanalyzer.model;

/** A status-page component's state before and after a status update. */
public record ComponentChange(String name, ComponentState oldStatus, ComponentState newStatus) {}
