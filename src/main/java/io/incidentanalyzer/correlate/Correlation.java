package io.incidentanalyzer.correlate;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.Signal;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;

/**
 * One environment's correlation over its state, in plain Java: the correlator's parts wired
 * together. {@link IncidentCorrelator} runs it over keyed state and the timer service; a unit test
 * over in-memory maps and a set of timers.
 */
final class Correlation {
    final SignalBook signals;
    final IncidentBook incidents;
    final ChangeEffects effects;
    final CauseIdentification identification;
    final IncidentLifecycle lifecycle;

    /**
     * @param incidentMap the open or MONITORING incidents, by id
     * @param active every open signal, by id
     * @param evidence the latest report of each signal kept as evidence, by id
     * @param owners the incident each signal joined (signal id → incident id)
     * @param changes the changes remembered, oldest first
     * @param unmatchedSignals counts reports of signals whose OPEN was never seen
     * @param belowEvidence counts signals that cleared before there was an incident
     */
    Correlation(
            CorrelationSettings settings,
            PatternsConfig patterns,
            DependencyGraph graph,
            Set<String> external,
            StateMap<String, OpenIncident> incidentMap,
            StateMap<String, Signal> active,
            StateMap<String, Signal> evidence,
            StateMap<String, String> owners,
            StateList<ChangeEvent> changes,
            Counter unmatchedSignals,
            Counter belowEvidence) {
        signals = new SignalBook(active, evidence, owners);
        incidents = new IncidentBook(incidentMap);
        IncidentEvents events = new IncidentEvents(signals);
        ServiceLinks links = new ServiceLinks(graph);
        effects = new ChangeEffects(settings, patterns, changes, signals, incidents, links, events);
        identification =
                new CauseIdentification(
                        settings,
                        new CauseAnalysis(graph, external, settings, patterns),
                        signals,
                        incidents,
                        events);
        lifecycle =
                new IncidentLifecycle(
                        settings,
                        signals,
                        incidents,
                        links,
                        identification,
                        effects,
                        events,
                        unmatchedSignals,
                        belowEvidence);
    }

    void onSignal(Signal s, Timers timers, Consumer<IncidentEvent> out) throws Exception {
        lifecycle.onSignal(s, timers, out);
    }

    void onChange(ChangeEvent c, Timers timers) throws Exception {
        effects.onChange(c, timers);
    }

    /**
     * A timer: each open incident, oldest first: a settled top candidate, due effects, the quiet
     * period's end.
     */
    void onTimer(long timestamp, Timers timers, Consumer<IncidentEvent> out) throws Exception {
        for (OpenIncident open : incidents.open()) {
            identification.onTimer(open, timestamp, timers, out);
            effects.onTimer(open, timestamp, out);
            lifecycle.onTimer(open, timestamp, timers, out);
        }
    }

    /**
     * The one incident of a savepoint from before concurrent incidents becomes the first of the
     * map, and every signal then kept (all of them its own) joins it.
     */
    void adopt(OpenIncident legacy) throws Exception {
        signals.adoptAll(legacy);
        incidents.save(legacy);
    }
}
