package io.incidentanalyzer.correlate;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Remembers the environment's recent changes and measures what each did. A change while incidents
 * are open is measured in those its service is linked to (in every open one when it names no
 * service or is linked to none), on the open signals of their top and contributing causes: their
 * value at the change against {@code effectWindow} later, or their clear (CHANGE_EFFECT). The first
 * change after which the top cause's signal cleared or improved is the turning point.
 */
final class ChangeEffects {
    /** Recent changes remembered for ranking and effects. */
    static final int MAX_CHANGES = 200;

    private final CorrelationSettings settings;
    private final PatternsConfig patterns;
    private final StateList<ChangeEvent> changes;
    private final SignalBook signals;
    private final IncidentBook incidents;
    private final ServiceLinks links;
    private final IncidentEvents events;

    ChangeEffects(
            CorrelationSettings settings,
            PatternsConfig patterns,
            StateList<ChangeEvent> changes,
            SignalBook signals,
            IncidentBook incidents,
            ServiceLinks links,
            IncidentEvents events) {
        this.settings = settings;
        this.patterns = patterns;
        this.changes = changes;
        this.signals = signals;
        this.incidents = incidents;
        this.links = links;
        this.events = events;
    }

    /** The changes remembered, oldest first: those of the last {@code changeWindow}. */
    List<ChangeEvent> recent() throws Exception {
        return changes.get();
    }

    /**
     * A change: remembered while it may explain an onset or an incident is open, and awaited in the
     * open incidents it may affect.
     */
    void onChange(ChangeEvent c, Timers timers) throws Exception {
        List<ChangeEvent> kept = new ArrayList<>();
        List<OpenIncident> open = incidents.open();
        long keepFrom = c.ts();
        for (OpenIncident o : open) keepFrom = Math.min(keepFrom, o.openedAt);
        keepFrom -= settings.changeWindow().toMillis();
        for (ChangeEvent e : changes.get()) if (e.ts() >= keepFrom) kept.add(e);
        kept.add(c);
        if (kept.size() > MAX_CHANGES) kept = kept.subList(kept.size() - MAX_CHANGES, kept.size());
        changes.update(kept);

        // Measured in the incidents of services linked to the changed one; a change linked to
        // none (or to no service) in every open incident, as when there is one.
        List<OpenIncident> measuredIn =
                c.service() == null
                        ? open
                        : open.stream().filter(o -> links.linked(o, c.service())).toList();
        if (measuredIn.isEmpty()) measuredIn = open;
        for (OpenIncident o : measuredIn) await(o, c, timers);
    }

    private void await(OpenIncident open, ChangeEvent c, Timers timers) throws Exception {
        OpenIncident.PendingEffect p = new OpenIncident.PendingEffect();
        p.change = c;
        p.due = c.ts() + settings.effectWindow().toMillis();
        List<RootCause> causes = new ArrayList<>();
        if (open.top() != null) causes.add(open.top());
        causes.addAll(open.contributing);
        for (RootCause cause : causes) {
            Signal measured = signals.open(cause.signals().get(0));
            if (measured == null) continue;
            p.signals.add(measured.id());
            p.before.add(measured.value());
            p.causes.add(cause);
        }
        open.pendingEffects.add(p);
        incidents.save(open);
        timers.register(p.due);
    }

    /** Measures the incident's changes that are due at {@code timestamp}; saves it if any were. */
    void onTimer(OpenIncident open, long timestamp, Consumer<IncidentEvent> out) throws Exception {
        if (open.pendingEffects.isEmpty()) return;
        List<OpenIncident.PendingEffect> waiting = new ArrayList<>();
        boolean measured = false;
        for (OpenIncident.PendingEffect p : open.pendingEffects) {
            if (p.due <= timestamp) {
                measure(open, p, timestamp, out);
                measured = true;
            } else {
                waiting.add(p);
            }
        }
        if (measured) {
            open.pendingEffects = waiting;
            incidents.save(open);
        }
    }

    /** Measures one change on the signals it was taken on, and reports it. */
    private void measure(
            OpenIncident open, OpenIncident.PendingEffect p, long at, Consumer<IncidentEvent> out)
            throws Exception {
        ChangeEvent c = p.change;
        boolean turningTaken = open.effects.stream().anyMatch(ChangeEffect::turningPoint);
        RootCause top = open.top();
        Signal first = null;
        List<ChangeEffect> made = new ArrayList<>();
        for (int i = 0; i < p.signals.size(); i++) {
            String id = p.signals.get(i);
            Signal now = signals.latest(id);
            if (now == null) continue;
            if (first == null) first = now;
            double before = p.before.get(i);
            double after = now.ts() > c.ts() ? now.value() : before;
            double rel = before != 0 ? after / before - 1 : (after == 0 ? 0 : 1);
            ChangeEffect.Verdict verdict = verdict(now, rel);
            RootCause cause = p.causes.get(i);
            boolean turning =
                    !turningTaken
                            && top != null
                            && cause.sameCause(top)
                            && (verdict == ChangeEffect.Verdict.CLEARED
                                    || verdict == ChangeEffect.Verdict.IMPROVED);
            turningTaken |= turning;
            made.add(
                    new ChangeEffect(
                            c,
                            id,
                            now.kind(),
                            now.service(),
                            now.measured(),
                            cause,
                            before,
                            after,
                            rel,
                            verdict,
                            turning,
                            now.ts()));
        }
        if (made.isEmpty()) {
            made.add(ChangeEffect.notMeasured(c));
            List<Signal> seen = signals.evidenceOf(open);
            seen.sort(SignalBook.BY_ONSET);
            if (top != null && signals.evidence(top.signals().get(0)) != null) {
                first = signals.evidence(top.signals().get(0));
            } else if (!seen.isEmpty()) {
                first = seen.get(0);
            }
        }
        open.effects.addAll(made);
        if (first != null) {
            out.accept(
                    events.of(
                            open,
                            IncidentEventType.CHANGE_EFFECT,
                            IncidentEvents.status(open),
                            first,
                            at,
                            null));
        }
    }

    /**
     * What a change did to a signal whose value moved by {@code rel} (after / before − 1): it
     * cleared, or the job's effect thresholds read the move.
     */
    ChangeEffect.Verdict verdict(Signal now, double rel) {
        if (now.state() == SignalState.CLEAR) return ChangeEffect.Verdict.CLEARED;
        if (rel <= patterns.thresholds().improvedAt()) return ChangeEffect.Verdict.IMPROVED;
        if (rel >= patterns.thresholds().worseAt()) return ChangeEffect.Verdict.WORSE;
        return ChangeEffect.Verdict.NO_EFFECT;
    }
}
