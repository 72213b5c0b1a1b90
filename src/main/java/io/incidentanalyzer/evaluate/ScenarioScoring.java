package io.incidentanalyzer.evaluate;

import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.simulate.FaultRole;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.GroundTruth.Cause;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches the incidents of one replay to the scenario's ground truth, all in event time.
 *
 * <ul>
 *   <li>A fault is <em>detected</em> when a signal on one of its affected services begins while the
 *       fault is in force (onset from the fault's onset, before its end); the delay runs from the
 *       fault's onset to the earliest such signal's report. A signal that began earlier, for
 *       another fault, does not detect this one. For a ramping fault the delay is also given from
 *       its 2× moment ({@link EffectOnsets}).
 *   <li>An incident belongs to an outage when one of its signals is on a service affected by the
 *       outage's faults and begins within the outage (its onset to the end of the recovery); the
 *       earliest-opened is the outage's main incident, whose root-cause candidates in its last
 *       event (the correlator's final ranking) rank the root cause. A contributing fault is
 *       <em>named</em> when its cause is among the candidates or contributing causes of one of its
 *       outage's incidents.
 *   <li>An incident that belongs to no outage is a false incident.
 * </ul>
 */
public final class ScenarioScoring {

    private ScenarioScoring() {}

    /** One incident's events, in the order the analyzer emitted them. */
    private record Incident(
            String id,
            long openedAt,
            List<IncidentEvent> history,
            Map<String, Long> reported,
            Map<String, Signal> signals) {}

    public static ScenarioScore score(
            GroundTruth truth, List<IncidentEvent> events, long eventsReplayed) {
        return score(truth, events, eventsReplayed, Map.of());
    }

    /**
     * As {@link #score(GroundTruth, List, long)}, with the 2× moments (epoch ms, by fault id) of
     * the ramping faults.
     */
    public static ScenarioScore score(
            GroundTruth truth,
            List<IncidentEvent> events,
            long eventsReplayed,
            Map<String, Long> twoXMoments) {
        List<Incident> incidents = incidents(events);

        Map<String, List<String>> incidentsByOutage = new LinkedHashMap<>();
        truth.outages().forEach(o -> incidentsByOutage.put(o.id(), new ArrayList<>()));
        List<ScenarioScore.FaultScore> faultScores = new ArrayList<>();
        Map<String, List<Cause>> candidatesById = new LinkedHashMap<>();
        Map<String, List<Cause>> contributingById = new LinkedHashMap<>();
        for (Incident i : incidents) {
            IncidentEvent last = i.history().get(i.history().size() - 1);
            candidatesById.put(i.id(), causes(last.rootCauses()));
            contributingById.put(i.id(), causes(last.contributingCauses()));
        }

        for (GroundTruth.Fault f : truth.faults()) {
            long from = f.onset().toEpochMilli();
            long to = f.end().toEpochMilli();
            Set<String> affected = new HashSet<>(f.affectedServices());
            String first = null;
            long firstTs = Long.MAX_VALUE;
            for (Incident i : incidents) {
                for (Signal s : i.signals().values()) {
                    if (!affected.contains(s.service()) || s.onset() < from || s.onset() >= to)
                        continue;
                    long reported = i.reported().get(s.id());
                    if (reported < firstTs
                            || (reported == firstTs && s.id().compareTo(first) < 0)) {
                        firstTs = reported;
                        first = s.id();
                    }
                }
            }
            boolean detected = first != null;
            Long twoX = twoXMoments.get(f.id());
            faultScores.add(
                    new ScenarioScore.FaultScore(
                            f.id(),
                            f.kind().fileName(),
                            f.role().name().toLowerCase(java.util.Locale.ROOT),
                            f.outage(),
                            f.cause(),
                            detected,
                            detected ? (firstTs - from) / 1000.0 : null,
                            first,
                            false,
                            null,
                            twoX == null ? null : (twoX - from) / 1000.0,
                            twoX == null || !detected ? null : (firstTs - twoX) / 1000.0));
        }
        for (GroundTruth.Outage o : truth.outages()) {
            Set<String> affected = new HashSet<>();
            truth.faults().stream()
                    .filter(f -> f.outage().equals(o.id()))
                    .forEach(f -> affected.addAll(f.affectedServices()));
            long from = o.onset().toEpochMilli();
            long to = o.end().toEpochMilli();
            for (Incident i : incidents) {
                boolean about =
                        i.signals().values().stream()
                                .anyMatch(
                                        s ->
                                                affected.contains(s.service())
                                                        && s.onset() >= from
                                                        && s.onset() <= to);
                if (about) incidentsByOutage.get(o.id()).add(i.id());
            }
        }

        List<ScenarioScore.OutageScore> outageScores = new ArrayList<>();
        for (GroundTruth.Outage o : truth.outages()) {
            List<String> ids = incidentsByOutage.get(o.id());
            ids.sort((a, b) -> Long.compare(openedAt(incidents, a), openedAt(incidents, b)));
            List<Cause> candidates = ids.isEmpty() ? List.of() : candidatesById.get(ids.get(0));
            Cause identified = ids.isEmpty() ? null : identified(incidents, ids.get(0));
            Set<Cause> named = new HashSet<>();
            for (String id : ids) {
                named.addAll(candidatesById.get(id));
                named.addAll(contributingById.get(id));
            }
            int contributing = 0;
            int found = 0;
            for (int k = 0; k < faultScores.size(); k++) {
                ScenarioScore.FaultScore fs = faultScores.get(k);
                if (!fs.outage().equals(o.id())) continue;
                GroundTruth.Fault fault = truth.fault(fs.id());
                boolean contributingFault = fault.role() == FaultRole.CONTRIBUTING;
                Long namedAt = firstNamed(incidents, ids, fs.cause(), !contributingFault);
                Double namedSeconds =
                        namedAt == null ? null : (namedAt - fault.onset().toEpochMilli()) / 1000.0;
                boolean isNamed = contributingFault && named.contains(fs.cause());
                if (contributingFault) contributing++;
                if (isNamed) found++;
                faultScores.set(
                        k,
                        new ScenarioScore.FaultScore(
                                fs.id(),
                                fs.kind(),
                                fs.role(),
                                fs.outage(),
                                fs.cause(),
                                fs.detected(),
                                fs.delaySeconds(),
                                fs.firstSignal(),
                                isNamed,
                                namedSeconds,
                                fs.twoXSeconds(),
                                fs.delayFrom2xSeconds()));
            }
            outageScores.add(
                    new ScenarioScore.OutageScore(
                            o.id(),
                            o.rootCause(),
                            candidates.indexOf(o.rootCause()) + 1,
                            candidates,
                            contributing,
                            found,
                            List.copyOf(ids),
                            identified));
        }

        Set<String> matched = new HashSet<>();
        incidentsByOutage.values().forEach(matched::addAll);
        List<String> falseIncidents =
                incidents.stream().map(Incident::id).filter(id -> !matched.contains(id)).toList();
        return new ScenarioScore(
                truth.scenario(),
                truth.seed(),
                truth.environment(),
                eventsReplayed,
                incidents.size(),
                faultScores,
                outageScores,
                falseIncidents);
    }

    /**
     * Event time of the first event of the given incidents that names the cause: as the top
     * candidate ({@code asTop}), or anywhere among the candidates and contributing causes.
     */
    private static Long firstNamed(
            List<Incident> incidents, List<String> ids, Cause cause, boolean asTop) {
        Long first = null;
        for (Incident i : incidents) {
            if (!ids.contains(i.id())) continue;
            for (IncidentEvent e : i.history()) {
                boolean names =
                        asTop
                                ? causes(e.rootCauses()).indexOf(cause) == 0
                                : causes(e.rootCauses()).contains(cause)
                                        || causes(e.contributingCauses()).contains(cause);
                if (names && (first == null || e.ts() < first)) first = e.ts();
                if (names) break;
            }
        }
        return first;
    }

    /** The top candidate of the incident's first IDENTIFIED event; null when it has none. */
    private static Cause identified(List<Incident> incidents, String id) {
        for (Incident i : incidents) {
            if (!i.id().equals(id)) continue;
            for (IncidentEvent e : i.history()) {
                if (e.type() != IncidentEventType.IDENTIFIED) continue;
                List<Cause> ranked = causes(e.rootCauses());
                return ranked.isEmpty() ? null : ranked.get(0);
            }
        }
        return null;
    }

    private static List<Cause> causes(List<RootCause> ranked) {
        List<Cause> out = new ArrayList<>();
        for (RootCause c : ranked) {
            Cause cause = new Cause(c.kind(), c.service());
            if (!out.contains(cause)) out.add(cause);
        }
        return out;
    }

    private static long openedAt(List<Incident> incidents, String id) {
        return incidents.stream()
                .filter(i -> i.id().equals(id))
                .findFirst()
                .orElseThrow()
                .openedAt();
    }

    private static List<Incident> incidents(List<IncidentEvent> events) {
        Map<String, List<IncidentEvent>> byId = new LinkedHashMap<>();
        for (IncidentEvent e : events)
            byId.computeIfAbsent(e.incidentId(), k -> new ArrayList<>()).add(e);
        List<Incident> out = new ArrayList<>();
        byId.forEach(
                (id, history) -> {
                    Map<String, Long> reported = new LinkedHashMap<>();
                    Map<String, Signal> signals = new LinkedHashMap<>();
                    for (IncidentEvent e : history) {
                        List<Signal> seen = new ArrayList<>(e.activeSignals());
                        if (e.cause() != null) seen.add(0, e.cause());
                        for (Signal s : seen) {
                            reported.putIfAbsent(s.id(), e.ts());
                            signals.putIfAbsent(s.id(), s);
                        }
                    }
                    out.add(
                            new Incident(
                                    id, history.get(0).openedAt(), history, reported, signals));
                });
        return out;
    }
}
