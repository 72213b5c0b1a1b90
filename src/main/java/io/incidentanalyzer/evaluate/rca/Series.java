package io.incidentanalyzer.evaluate.rca;

import io.incidentanalyzer.correlate.rank.Anomaly;

/**
 * One metric series of a root-cause benchmark and how to read it as evidence.
 *
 * @param node the graph node it belongs to
 * @param facet what it measures (decides whom the ranker lets it point at)
 * @param peer the dependency called, for a call's latency; null otherwise
 * @param metric the metric's name in the data set, quoted in the evidence
 * @param harmful +1 when a rise is harmful (latency, CPU), -1 when a fall is (success rate)
 */
public record Series(String node, Anomaly.Facet facet, String peer, String metric, int harmful) {}
