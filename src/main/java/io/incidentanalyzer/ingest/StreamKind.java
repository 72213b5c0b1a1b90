package io.incidentanalyzer.ingest;

/** The four input streams; each topic in the job file is one of these. */
public enum StreamKind {
    METRICS,
    AUTH,
    LOGS,
    CHANGES
}
