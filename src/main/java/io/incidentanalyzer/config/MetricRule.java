package io.incidentanalyzer.config;

import io.incidentanalyzer.model.EdgeMetrics;
import java.util.List;

/**
 * A rule of a metric detector: it watches one metric of one service, or of every service ({@code
 * "*"}). Saturation, baseline-shift and backlog rules share this matching; the first rule of a list
 * that matches a series governs it.
 */
public interface MetricRule {
    String ANY_SERVICE = "*";

    String name();

    String service();

    String metric();

    /**
     * Whether this rule watches the given series. A rule naming an edge metric's base ({@code
     * call.latency.p99}) watches it on every callee ({@code call.latency.p99{callee=x}}, see {@link
     * EdgeMetrics}).
     */
    default boolean matches(String sampleService, String sampleMetric) {
        return metric() != null
                && (metric().equals(sampleMetric)
                        || metric().equals(EdgeMetrics.base(sampleMetric)))
                && (ANY_SERVICE.equals(service()) || service().equals(sampleService));
    }

    /** The index of the first rule watching this series, or -1. */
    static int indexOf(List<? extends MetricRule> rules, String service, String metric) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).matches(service, metric)) return i;
        }
        return -1;
    }
}
