package io.incidentanalyzer.model;

import java.util.Map;

/**
 * One service log line. Attributes carry structured facts such as the database host a service
 * connects to.
 *
 * @param ts event time, epoch milliseconds
 */
public record LogEvent(
        long ts, String service, String level, String message, Map<String, String> attributes) {}
