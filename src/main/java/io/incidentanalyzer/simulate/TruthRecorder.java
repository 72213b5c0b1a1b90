package io.incidentanalyzer.simulate;

import io.incidentanalyzer.config.ComponentConfig;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.model.ComponentState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Records each simulated service's health per interval while the simulation runs and turns it into
 * the {@link GroundTruth} at the end: the faults with their effective windows and the services they
 * touched, and one outage per root fault with its end (when every service was healthy again) and
 * the states of the status-page components.
 *
 * <p>Health per interval: the status-page state the service's figures give (docs/simulator.md), and
 * whether it is <em>healthy</em>: no backlog, utilization under 0.9, error ratio under 1 %.
 */
final class TruthRecorder {
    private static final byte UNHEALTHY = 4;

    private final Scenario s;
    private final JobConfig job;
    private final long seed;
    private final List<FaultWindow> faults;
    private final List<String> names = new ArrayList<>();
    private final long startMs;
    private final long dtMs;
    private final int ticks;
    private final int n;
    private final byte[] health;

    TruthRecorder(
            Scenario s,
            JobConfig job,
            long seed,
            List<FaultWindow> faults,
            Simulator.Service[] services,
            long startMs,
            long dtMs,
            int ticks) {
        this.s = s;
        this.job = job;
        this.seed = seed;
        this.faults = faults;
        this.startMs = startMs;
        this.dtMs = dtMs;
        this.ticks = ticks;
        this.n = services.length;
        String[] byIndex = new String[n];
        for (Simulator.Service v : services) byIndex[v.index] = v.name;
        names.addAll(List.of(byIndex));
        this.health = new byte[ticks * n];
    }

    void record(int tick, int service, ComponentState state, boolean healthy) {
        health[tick * n + service] = (byte) (state.ordinal() | (healthy ? 0 : UNHEALTHY));
    }

    private ComponentState state(int tick, int service) {
        return ComponentState.values()[health[tick * n + service] & 3];
    }

    /** Not operational, or not healthy: its health left normal. */
    private boolean abnormal(int tick, int service) {
        return health[tick * n + service] != 0;
    }

    private boolean allHealthy(int tick) {
        for (int i = 0; i < n; i++) {
            if ((health[tick * n + i] & UNHEALTHY) != 0) return false;
        }
        return true;
    }

    /** The first tick at or after {@code ms}. */
    private int tickAt(long ms) {
        if (ms <= startMs) return 0;
        return (int) Math.min(ticks, (ms - startMs + dtMs - 1) / dtMs);
    }

    private Instant instant(int tick) {
        return Instant.ofEpochMilli(
                Math.min(startMs + (long) tick * dtMs, s.endInstant().toEpochMilli()));
    }

    /** The first tick at or after {@code from} when every service is healthy; ticks if none. */
    private int recovered(long from) {
        for (int k = tickAt(from); k < ticks; k++) {
            if (allHealthy(k)) return k;
        }
        return ticks;
    }

    GroundTruth build(Map<String, Long> events) {
        List<GroundTruth.Fault> outFaults = new ArrayList<>();
        for (FaultWindow w : faults) {
            FaultSpec f = w.spec();
            int from = tickAt(w.onset());
            int to = recovered(w.end());
            List<String> affected = new ArrayList<>();
            affected.add(f.service());
            for (int i = 0; i < n; i++) {
                if (affected.contains(names.get(i))) continue;
                for (int k = from; k < to; k++) {
                    if (abnormal(k, i)) {
                        affected.add(names.get(i));
                        break;
                    }
                }
            }
            outFaults.add(
                    new GroundTruth.Fault(
                            f.id(),
                            f.kind(),
                            f.role(),
                            f.role() == FaultRole.ROOT ? f.id() : f.partOf(),
                            new GroundTruth.Cause(f.kind().cause(), f.service()),
                            Instant.ofEpochMilli(w.onset()),
                            Instant.ofEpochMilli(w.end()),
                            List.copyOf(affected),
                            f.description() == null ? describe(f) : f.description()));
        }
        List<GroundTruth.Outage> outages = new ArrayList<>();
        for (FaultWindow root : faults) {
            FaultSpec r = root.spec();
            if (r.role() != FaultRole.ROOT) continue;
            long onset = root.onset();
            long lastEnd = root.end();
            List<FaultWindow> contributing = new ArrayList<>();
            for (FaultWindow w : faults) {
                if (w.spec().role() == FaultRole.CONTRIBUTING && r.id().equals(w.spec().partOf())) {
                    contributing.add(w);
                    onset = Math.min(onset, w.onset());
                    lastEnd = Math.max(lastEnd, w.end());
                }
            }
            contributing.sort(Comparator.comparingLong(FaultWindow::onset));
            int from = tickAt(onset);
            int to = recovered(lastEnd);
            outages.add(
                    new GroundTruth.Outage(
                            r.id(),
                            Instant.ofEpochMilli(onset),
                            instant(to),
                            new GroundTruth.Cause(r.kind().cause(), r.service()),
                            contributing.stream().map(w -> w.spec().id()).toList(),
                            components(from, to)));
        }
        return new GroundTruth(
                s.name(),
                seed,
                job.environment(),
                s.timeZone(),
                s.startInstant(),
                s.endInstant(),
                events,
                List.copyOf(outages),
                List.copyOf(outFaults));
    }

    /** Components not operational in ticks [from, to), with their worst state and window. */
    private List<GroundTruth.Component> components(int from, int to) {
        List<GroundTruth.Component> out = new ArrayList<>();
        for (ComponentConfig c : job.components()) {
            List<Integer> idx = new ArrayList<>();
            for (String svc : c.services()) {
                int i = names.indexOf(svc);
                if (i >= 0) idx.add(i);
            }
            ComponentState worst = ComponentState.OPERATIONAL;
            int first = -1;
            int last = -1;
            for (int k = from; k < to; k++) {
                ComponentState st = ComponentState.OPERATIONAL;
                for (int i : idx) st = st.worst(state(k, i));
                if (st != ComponentState.OPERATIONAL) {
                    worst = worst.worst(st);
                    if (first < 0) first = k;
                    last = k;
                }
            }
            if (first >= 0) {
                out.add(
                        new GroundTruth.Component(
                                c.name(), worst, instant(first), instant(last + 1)));
            }
        }
        return List.copyOf(out);
    }

    private static String describe(FaultSpec f) {
        return f.kind().fileName() + " on " + f.service();
    }
}
