package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.IncidentStatus.RESOLVED;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.Signal;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;

/**
 * The life of an environment's incidents as signals open, update and clear: waiting for enough
 * evidence, opening (INVESTIGATING), grouping each new signal into the incident it belongs to or a
 * concurrent one of its own, MONITORING after the last clear, REOPENED by a signal within {@code
 * gap} or a linked one, and CLOSED (RESOLVED) when the quiet period ends or an unrelated problem
 * starts. Each new signal has {@link CauseIdentification} name the causes again.
 */
final class IncidentLifecycle {
    private final CorrelationSettings settings;
    private final SignalBook signals;
    private final IncidentBook incidents;
    private final ServiceLinks links;
    private final CauseIdentification identification;
    private final ChangeEffects effects;
    private final IncidentEvents events;

    /** Reports of signals whose OPEN was never seen. */
    private final Counter unmatchedSignals;

    /** Signals that cleared before there was enough evidence for an incident. */
    private final Counter belowEvidence;

    IncidentLifecycle(
            CorrelationSettings settings,
            SignalBook signals,
            IncidentBook incidents,
            ServiceLinks links,
            CauseIdentification identification,
            ChangeEffects effects,
            IncidentEvents events,
            Counter unmatchedSignals,
            Counter belowEvidence) {
        this.settings = settings;
        this.signals = signals;
        this.incidents = incidents;
        this.links = links;
        this.identification = identification;
        this.effects = effects;
        this.events = events;
        this.unmatchedSignals = unmatchedSignals;
        this.belowEvidence = belowEvidence;
    }

    void onSignal(Signal s, Timers timers, Consumer<IncidentEvent> out) throws Exception {
        switch (s.state()) {
            case OPEN -> opened(s, timers, out);
            case UPDATE -> updated(s, timers, out);
            case CLEAR -> cleared(s, timers, out);
        }
    }

    private void opened(Signal s, Timers timers, Consumer<IncidentEvent> out) throws Exception {
        OpenIncident open = incidentFor(s, timers, out);
        signals.opened(s);
        if (open == null) {
            openIfEnough(s, false, timers, out);
            return;
        }
        signals.join(open, s);
        if (open.monitoring()) {
            incidents.dropTimer(timers, open.resolveAt, open);
            open.monitoringSince = -1;
            open.resolveAt = -1;
            open.lastCleared = null;
            rank(open, s, IncidentEventType.REOPENED, timers, out);
        } else {
            rank(open, s, IncidentEventType.SIGNAL_ADDED, timers, out);
        }
        incidents.save(open);
    }

    private void updated(Signal s, Timers timers, Consumer<IncidentEvent> out) throws Exception {
        if (!signals.isOpen(s.id())) {
            unmatchedSignals.inc();
            return;
        }
        Signal before = signals.open(s.id());
        signals.updated(s);
        if (!signals.joined(s.id()) && growing(before, s)) {
            openIfEnough(s, true, timers, out);
        }
    }

    private void cleared(Signal s, Timers timers, Consumer<IncidentEvent> out) throws Exception {
        if (!signals.isOpen(s.id())) {
            // Its OPEN was before this job's start offsets: nothing to close.
            unmatchedSignals.inc();
            return;
        }
        signals.closed(s);
        String owner = signals.owner(s.id());
        OpenIncident open = owner == null ? null : incidents.get(owner);
        if (open == null) {
            // It cleared before there was enough evidence for an incident.
            belowEvidence.inc();
            return;
        }
        signals.clearedIn(s);
        if (!signals.openOf(open).isEmpty()) {
            out.accept(events.of(open, IncidentEventType.SIGNAL_CLEARED, s));
        } else if (settings.quietPeriod().isZero()) {
            close(open, s, s.ts(), timers, out);
        } else {
            open.monitoringSince = s.ts();
            open.resolveAt = s.ts() + settings.quietPeriod().toMillis();
            open.lastCleared = s;
            incidents.save(open);
            timers.register(open.resolveAt);
            out.accept(events.of(open, IncidentEventType.MONITORING, s));
        }
    }

    /**
     * The incident a signal that opens joins, or null when it is a new problem. A linked incident
     * first (the nearest in onset when several are); else one near in time: open with an onset
     * within {@code separateAfter} of the signal's, or MONITORING whose last clear was within
     * {@code gap}. Else the signal is unrelated to every incident: the MONITORING ones are over and
     * resolved now, the open ones go on beside the new problem.
     */
    private OpenIncident incidentFor(Signal s, Timers timers, Consumer<IncidentEvent> out)
            throws Exception {
        List<OpenIncident> open = incidents.open();
        OpenIncident linked =
                nearest(open.stream().filter(o -> links.linked(o, s.service())).toList(), s);
        if (linked != null) return linked;
        OpenIncident near = nearest(open.stream().filter(o -> near(o, s)).toList(), s);
        if (near != null) return near;
        for (OpenIncident o : open) {
            if (!o.monitoring()) continue;
            // A new problem elsewhere: that outage is over, this one starts afresh.
            incidents.dropTimer(timers, o.resolveAt, o);
            close(o, o.lastCleared, s.ts(), timers, out);
        }
        return null;
    }

    /** Of the candidates (oldest first), the one whose onset is nearest the signal's. */
    private static OpenIncident nearest(List<OpenIncident> candidates, Signal s) {
        OpenIncident best = null;
        for (OpenIncident o : candidates) {
            if (best == null
                    || Math.abs(o.openedAt - s.onset()) < Math.abs(best.openedAt - s.onset())) {
                best = o;
            }
        }
        return best;
    }

    private boolean near(OpenIncident o, Signal s) {
        if (o.monitoring()) return s.ts() - o.monitoringSince <= settings.gap().toMillis();
        return Math.abs(s.onset() - o.openedAt) <= settings.separateAfter().toMillis();
    }

    /**
     * Opens an incident once the signals waiting for evidence (open, in no incident) are enough;
     * {@code growing}: {@code s} is a signal that keeps growing, enough alone.
     */
    private void openIfEnough(Signal s, boolean growing, Timers timers, Consumer<IncidentEvent> out)
            throws Exception {
        List<Signal> waiting = signals.waiting();
        boolean severe = growing;
        for (Signal a : waiting) {
            severe |= a.severity().compareTo(settings.minSeverity()) >= 0;
        }
        if (!severe && waiting.size() < settings.minSignals()) return;
        waiting.sort(SignalBook.BY_ONSET);
        Signal first = waiting.get(0);
        String id = IncidentEvents.incidentId(first);
        // Two outages beginning in the same second (separateAfter 0s): the later one is numbered.
        for (int n = 2; incidents.contains(id); n++) {
            id = IncidentEvents.incidentId(first) + "-" + n;
        }
        OpenIncident open = new OpenIncident(id, first.onset(), IncidentEvents.title(first));
        for (Signal a : waiting) signals.join(open, a);
        rank(open, s, IncidentEventType.OPENED, timers, out);
        incidents.save(open);
    }

    /**
     * Whether an UPDATE makes a signal below {@code minSeverity} enough evidence alone: at least
     * {@code growingAfter} after its onset it reports a new peak, further from its baseline than
     * the peak of its previous report, and is at it. A load that keeps growing is heading
     * somewhere; a shift that settled, or a blip, is not.
     */
    private boolean growing(Signal before, Signal s) {
        if (s.severity().compareTo(settings.minSeverity()) >= 0) return false;
        if (s.ts() - s.onset() < settings.growingAfter().toMillis()) return false;
        double peak = Math.abs(s.peak() - s.baseline());
        return peak > Math.abs(before.peak() - before.baseline())
                && Math.abs(s.value() - s.baseline()) >= peak;
    }

    private void rank(
            OpenIncident open,
            Signal s,
            IncidentEventType lead,
            Timers timers,
            Consumer<IncidentEvent> out)
            throws Exception {
        identification.rank(open, s, lead, effects.recent(), timers, out);
    }

    /** The end of a MONITORING incident's quiet period: it is CLOSED. */
    void onTimer(OpenIncident open, long timestamp, Timers timers, Consumer<IncidentEvent> out)
            throws Exception {
        if (open.monitoring() && timestamp == open.resolveAt) {
            close(open, open.lastCleared, timestamp, timers, out);
        }
    }

    /** RESOLVED: the incident's last event; its state goes. */
    private void close(
            OpenIncident open, Signal cause, long at, Timers timers, Consumer<IncidentEvent> out)
            throws Exception {
        out.accept(events.of(open, IncidentEventType.CLOSED, RESOLVED, cause, at, at));
        incidents.remove(open);
        // Its pending timers go with it: an identify check, and effects no longer measured.
        if (open.identifyCheck > at) incidents.dropTimer(timers, open.identifyCheck, open);
        for (OpenIncident.PendingEffect p : open.pendingEffects) {
            if (p.due > at) incidents.dropTimer(timers, p.due, open);
        }
        signals.release(open);
    }
}
