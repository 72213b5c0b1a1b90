package io.incidentanalyzer.detect;

/**
 * A service's log line saying which host it uses for a dependency, as the dependency-drift detector
 * reads it ({@link HostReports} derives it from a {@link io.incidentanalyzer.model.LogEvent}'s
 * attributes).
 *
 * @param ts event time of the log line, epoch milliseconds
 * @param dependency the dependency service the host belongs to, e.g. orders-db
 * @param caller the service that wrote the line
 * @param host the host it reports, as written
 */
public record HostReport(long ts, String dependency, String caller, String host) {}
