package io.incidentanalyzer.model;

/**
 * A period a component was not operational.
 *
 * @param from event time it left operational, epoch ms
 * @param to event time it was operational again; {@code null} while it lasts
 * @param state the worst state in the period
 */
public record ComponentWindow(long from, Long to, ComponentState state) {}
