package io.incidentanalyzer.model;

/**
 * The value behind most of a refresh storm's excess: the first dimension (in the detector's report
 * order) whose top value carries at least the reporting share of the refreshes above the baseline.
 * A storm none of whose values carries that share has no heavy hitter.
 *
 * @param dimension what the value is of: {@code clientVersion}, {@code clientId}, {@code userId} or
 *     {@code ip}
 * @param value the value, e.g. a client version
 * @param share its part of the excess, 0 to 1 (estimated, capped at 1)
 * @param count its guaranteed part of the excess: never overstated, at most {@code excess}
 * @param excess the episode's refreshes above the baseline
 */
public record HeavyHitter(String dimension, String value, double share, long count, long excess) {}
