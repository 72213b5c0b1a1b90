package io.incidentanalyzer.model;

/** Kinds of change a team makes to a running system. */
public enum ChangeKind {
    DEPLOY,
    ROLLBACK,
    CONFIG,
    FEATURE_FLAG
}
