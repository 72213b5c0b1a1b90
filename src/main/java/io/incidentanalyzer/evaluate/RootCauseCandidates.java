package io.incidentanalyzer.evaluate;

import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.simulate.GroundTruth.Cause;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranked root-cause candidates an incident names, as the evaluation reads them. Until the
 * correlator ranks causes itself, the ranking is the incident's signals in onset order, each read
 * as the cause its kind stands for: the earliest signal is the top candidate.
 */
public final class RootCauseCandidates {

    private RootCauseCandidates() {}

    /** Candidates of one incident, best first, without repeats; {@code history} in event order. */
    public static List<Cause> of(List<IncidentEvent> history) {
        Map<String, Signal> signals = new LinkedHashMap<>();
        for (IncidentEvent e : history) {
            if (e.cause() != null) signals.putIfAbsent(e.cause().id(), e.cause());
            for (Signal s : e.activeSignals()) signals.putIfAbsent(s.id(), s);
        }
        List<Signal> byOnset = new ArrayList<>(signals.values());
        byOnset.sort(Comparator.comparingLong(Signal::onset).thenComparing(Signal::id));
        List<Cause> out = new ArrayList<>();
        for (Signal s : byOnset) {
            Cause c = new Cause(causeOf(s.kind()), s.service());
            if (!out.contains(c)) out.add(c);
        }
        return out;
    }

    /** The cause a signal of this kind points at, on the signal's service. */
    static CauseKind causeOf(SignalKind kind) {
        return switch (kind) {
            case SATURATION -> CauseKind.RESOURCE_SATURATION;
            case BASELINE_SHIFT, BACKLOG_GROWTH, ERROR_PATTERN -> CauseKind.SERVICE_SLOWDOWN;
            case REFRESH_STORM -> CauseKind.TOKEN_REFRESH_STORM;
            case AUTH_FAILURES -> CauseKind.MISSING_TOKEN;
            case DEPENDENCY_DRIFT -> CauseKind.DEPENDENCY_DRIFT;
        };
    }
}
