package io.incidentanalyzer.correlate;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.metrics.SimpleCounter;

/**
 * The correlator's plain parts ({@link Correlation}) over in-memory state, without Flink: one
 * environment's signals, incidents and changes, its timers in a sorted set, its events in a list.
 * Time moves only when a test fires the timers up to an instant.
 */
final class InMemoryCorrelator {
    final StateMap<String, OpenIncident> incidentMap = StateMap.inMemory();
    final StateMap<String, Signal> active = StateMap.inMemory();
    final StateMap<String, Signal> evidence = StateMap.inMemory();
    final StateMap<String, String> owners = StateMap.inMemory();
    final StateList<ChangeEvent> changes = StateList.inMemory();
    final TreeSet<Long> timerSet = new TreeSet<>();
    final List<IncidentEvent> events = new ArrayList<>();
    final SimpleCounter unmatched = new SimpleCounter();
    final SimpleCounter belowEvidence = new SimpleCounter();
    final Correlation correlation;

    final Timers timers =
            new Timers() {
                @Override
                public void register(long timestamp) {
                    timerSet.add(timestamp);
                }

                @Override
                public void delete(long timestamp) {
                    timerSet.remove(timestamp);
                }
            };

    InMemoryCorrelator(CorrelationSettings settings, Map<String, List<String>> dependsOn) {
        correlation =
                new Correlation(
                        settings,
                        PatternsConfig.defaults(),
                        DependencyGraph.of(dependsOn),
                        Set.of(),
                        incidentMap,
                        active,
                        evidence,
                        owners,
                        changes,
                        unmatched,
                        belowEvidence);
    }

    void send(Signal s) throws Exception {
        correlation.onSignal(s, timers, events::add);
    }

    void send(ChangeEvent c) throws Exception {
        correlation.onChange(c, timers);
    }

    /** Fires every timer up to {@code until}, in order, as the function does. */
    void fireTimersUntil(long until) throws Exception {
        while (!timerSet.isEmpty() && timerSet.first() <= until) {
            correlation.onTimer(timerSet.pollFirst(), timers, events::add);
        }
    }

    /** How many entries the environment's maps hold, all together. */
    int stateEntries() throws Exception {
        int n = 0;
        for (StateMap<String, ?> m : List.of(incidentMap, active, evidence, owners)) {
            for (Object ignored : m.values()) n++;
        }
        return n;
    }
}
