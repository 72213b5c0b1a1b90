package io.incidentanalyzer.model;

/**
 * An edge of the service graph learned from traces, reported once, when its first time bucket is
 * complete; compared with the job file's {@code dependsOn}.
 *
 * @param caller the calling service
 * @param callee the service called
 * @param firstSeen event time, epoch ms: the end of the first time bucket with a call on it
 * @param declared whether the job file's {@code dependsOn} names the edge
 */
public record ServiceEdge(String caller, String callee, long firstSeen, boolean declared) {}
