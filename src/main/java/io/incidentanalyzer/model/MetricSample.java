package io.incidentanalyzer.model;

import java.util.Map;

/**
 * One sample of one service metric, decoded from the metrics topic. The metric detectors key these
 * by {@link #seriesKey()} and read them in event-time order.
 *
 * @param ts event time, epoch milliseconds
 * @param labels extra dimensions (host, pool, …); empty when the producer sent none
 */
public record MetricSample(
        long ts, String service, String metric, double value, Map<String, String> labels) {

    /** The series this sample belongs to: service and metric name. */
    public String seriesKey() {
        return service + "/" + metric;
    }
}
