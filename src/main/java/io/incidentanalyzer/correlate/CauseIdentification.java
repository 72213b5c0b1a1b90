package io.incidentanalyzer.correlate;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Names an incident's causes as its evidence arrives: re-runs {@link CauseAnalysis} over the
 * incident's own signals, reports each change of the top candidate (ROOT_CAUSE_CHANGED) and each
 * new contributing cause (CONTRIBUTING_CAUSE), and declares the incident IDENTIFIED once the top
 * candidate is confident and self-evident or settled ({@code identifyAt}, {@code identifyAfter}).
 */
final class CauseIdentification {
    private final CorrelationSettings settings;
    private final CauseAnalysis analysis;
    private final SignalBook signals;
    private final IncidentBook incidents;
    private final IncidentEvents events;

    CauseIdentification(
            CorrelationSettings settings,
            CauseAnalysis analysis,
            SignalBook signals,
            IncidentBook incidents,
            IncidentEvents events) {
        this.settings = settings;
        this.analysis = analysis;
        this.signals = signals;
        this.incidents = incidents;
        this.events = events;
    }

    /**
     * Ranks the causes again, emits {@code lead} (the event the signal caused) with the new
     * ranking, then what changed about the causes.
     *
     * @param changes the changes remembered (of the last {@code changeWindow})
     */
    void rank(
            OpenIncident open,
            Signal s,
            IncidentEventType lead,
            List<ChangeEvent> changes,
            Timers timers,
            Consumer<IncidentEvent> out)
            throws Exception {
        // Only the incident's own signals: a concurrent outage is ranked apart.
        CauseAnalysis.Result result = analysis.analyze(signals.evidenceOf(open), changes);
        RootCause before = open.top();
        open.rootCauses = new ArrayList<>(result.ranked());
        RootCause now = open.top();
        List<RootCause> known = open.contributing;
        // A contributing cause that has become the top candidate is no longer listed apart.
        open.contributing = new ArrayList<>(result.contributing());
        out.accept(events.of(open, lead, s));
        if (now != null && !now.sameCause(before)) {
            if (before != null) {
                out.accept(events.of(open, IncidentEventType.ROOT_CAUSE_CHANGED, s));
            }
            open.topSince = s.ts();
            if (open.identifyCheck >= 0) incidents.dropTimer(timers, open.identifyCheck, open);
            open.identifyCheck = -1;
        }
        if (!open.identified && now != null && now.confidence() >= settings.identifyAt()) {
            long settled = open.topSince + settings.identifyAfter().toMillis();
            if (analysis.selfEvident(now.kind()) || s.ts() >= settled) {
                identify(open, s, s.ts(), timers, out);
            } else if (open.identifyCheck < 0) {
                open.identifyCheck = settled;
                timers.register(settled);
            }
        }
        List<RootCause> fresh = new ArrayList<>();
        for (RootCause c : result.contributing()) {
            if (known.stream().noneMatch(c::sameCause)) fresh.add(c);
        }
        for (RootCause c : fresh) {
            Signal named = signals.evidence(c.signals().get(0));
            // Reported when found, though its signal may have begun earlier.
            out.accept(
                    events.of(
                            open,
                            IncidentEventType.CONTRIBUTING_CAUSE,
                            IncidentEvents.status(open),
                            named,
                            s.ts(),
                            null));
        }
    }

    /**
     * The incident's identify check is due: the top candidate stayed on top for {@code
     * identifyAfter}, its ranking has settled. Saves the incident when it was due.
     */
    void onTimer(OpenIncident open, long timestamp, Timers timers, Consumer<IncidentEvent> out)
            throws Exception {
        if (timestamp != open.identifyCheck || open.identified) return;
        RootCause top = open.top();
        Signal primary = top == null ? null : signals.evidence(top.signals().get(0));
        open.identifyCheck = -1;
        if (primary != null && top.confidence() >= settings.identifyAt()) {
            identify(open, primary, timestamp, timers, out);
        }
        incidents.save(open);
    }

    /** IDENTIFIED: the top candidate is confident, and self-evident or settled. */
    private void identify(
            OpenIncident open, Signal cause, long at, Timers timers, Consumer<IncidentEvent> out)
            throws Exception {
        open.identified = true;
        if (open.identifyCheck >= 0 && open.identifyCheck != at) {
            incidents.dropTimer(timers, open.identifyCheck, open);
        }
        open.identifyCheck = -1;
        out.accept(
                events.of(
                        open,
                        IncidentEventType.IDENTIFIED,
                        IncidentEvents.status(open),
                        cause,
                        at,
                        null));
    }
}
