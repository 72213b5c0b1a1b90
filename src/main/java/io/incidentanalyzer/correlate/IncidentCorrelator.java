package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.IncidentStatus.INVESTIGATING;
import static io.incidentanalyzer.model.IncidentStatus.MONITORING;
import static io.incidentanalyzer.model.IncidentStatus.RESOLVED;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.detect.EventTimeOrderedFunction;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.Signal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Groups the signals of one environment into incidents (keyed by environment). The first OPEN
 * signal opens an incident (INVESTIGATING); every signal that opens while it is open joins it. When
 * its last signal clears it is MONITORING for the quiet period ({@link CorrelationSettings}): a
 * signal that opens meanwhile REOPENS it, so a flapping resource stays one incident; otherwise it
 * is CLOSED (RESOLVED) when the period ends, by an event-time timer. Signals are handled in
 * event-time order, so the same signals always give the same incidents.
 *
 * <p>The incident id is the environment and the event-time onset of its first signal, so a replay
 * of the same input reproduces the same ids and the incidents topic, keyed by id, stays
 * compactable. This is the skeleton's rule; ranking, lifecycle steps beyond INVESTIGATING and the
 * quiet period come with the full correlator.
 */
public class IncidentCorrelator extends EventTimeOrderedFunction<Signal, IncidentEvent> {
    private static final long serialVersionUID = 1L;

    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** Signals at one instant: opens first, so a signal that opens as another clears joins. */
    private static final Comparator<Signal> TIE_BREAK =
            Comparator.comparing(Signal::state).thenComparing(Signal::id);

    private static final Comparator<Signal> BY_ONSET =
            Comparator.comparingLong(Signal::onset).thenComparing(Signal::id);

    private transient ValueState<OpenIncident> incident;
    private transient MapState<String, Signal> active;
    private transient Counter unmatchedSignals;

    /**
     * Environments with an open incident on this subtask, for the gauge. Rebuilt from the signals
     * after a restore: until an environment's next signal it is not counted.
     */
    private transient Set<String> openEnvironments;

    private final long quietPeriodMs;

    public IncidentCorrelator(CorrelationSettings settings) {
        super(Signal.class);
        this.quietPeriodMs = settings.quietPeriod().toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        incident =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("incident", OpenIncident.class));
        active =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "active-signals",
                                        Types.STRING,
                                        TypeInformation.of(Signal.class)));
        unmatchedSignals = getRuntimeContext().getMetricGroup().counter("unmatchedSignals");
        openEnvironments = new HashSet<>();
        getRuntimeContext()
                .getMetricGroup()
                .<Integer, org.apache.flink.metrics.Gauge<Integer>>gauge(
                        "openIncidents", () -> openEnvironments.size());
    }

    @Override
    protected Comparator<Signal> tieBreak() {
        return TIE_BREAK;
    }

    @Override
    protected String describe(Signal s) {
        return s.id() + " " + s.state();
    }

    @Override
    protected void onOrdered(Signal s, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        OpenIncident open = incident.value();
        switch (s.state()) {
            case OPEN -> {
                active.put(s.id(), s);
                if (open == null) {
                    open = new OpenIncident(incidentId(s), s.onset(), title(s));
                    incident.update(open);
                    openEnvironments.add(s.environment());
                    out.collect(event(open, IncidentEventType.OPENED, INVESTIGATING, s, null));
                } else if (open.monitoring()) {
                    // Within the quiet period: the same outage flaring up again, not a new one.
                    deleteOwnTimer(ctx, open.resolveAt);
                    open.monitoringSince = -1;
                    open.resolveAt = -1;
                    open.lastCleared = null;
                    incident.update(open);
                    out.collect(event(open, IncidentEventType.REOPENED, INVESTIGATING, s, null));
                } else {
                    out.collect(
                            event(open, IncidentEventType.SIGNAL_ADDED, INVESTIGATING, s, null));
                }
            }
            case UPDATE -> {
                if (open != null && active.contains(s.id())) {
                    active.put(s.id(), s);
                } else {
                    unmatchedSignals.inc();
                }
            }
            case CLEAR -> {
                if (open == null || !active.contains(s.id())) {
                    // Its OPEN was before this job's start offsets: nothing to close.
                    unmatchedSignals.inc();
                    return;
                }
                active.remove(s.id());
                if (!active.isEmpty()) {
                    out.collect(
                            event(open, IncidentEventType.SIGNAL_CLEARED, INVESTIGATING, s, null));
                } else if (quietPeriodMs == 0) {
                    close(open, s, s.ts(), out);
                } else {
                    open.monitoringSince = s.ts();
                    open.resolveAt = s.ts() + quietPeriodMs;
                    open.lastCleared = s;
                    incident.update(open);
                    ctx.timerService().registerEventTimeTimer(open.resolveAt);
                    out.collect(event(open, IncidentEventType.MONITORING, MONITORING, s, null));
                }
            }
        }
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<IncidentEvent> out)
            throws Exception {
        OpenIncident open = incident.value();
        if (open != null && open.monitoring() && timestamp == open.resolveAt) {
            close(open, open.lastCleared, timestamp, out);
        }
    }

    /** RESOLVED: the incident's last event; its state goes. */
    private void close(OpenIncident open, Signal cause, long at, Collector<IncidentEvent> out)
            throws Exception {
        out.collect(event(open, IncidentEventType.CLOSED, RESOLVED, cause, at));
        incident.clear();
        active.clear();
        openEnvironments.remove(cause.environment());
    }

    private IncidentEvent event(
            OpenIncident open,
            IncidentEventType type,
            IncidentStatus status,
            Signal cause,
            Long closedAt)
            throws Exception {
        List<Signal> signals = new ArrayList<>();
        for (Signal a : active.values()) signals.add(a);
        signals.sort(BY_ONSET);
        return new IncidentEvent(
                open.incidentId,
                cause.environment(),
                type,
                closedAt == null ? cause.ts() : closedAt,
                status,
                open.openedAt,
                closedAt,
                open.title,
                cause,
                signals);
    }

    static String incidentId(Signal first) {
        return first.environment() + "-" + ID_TIME.format(Instant.ofEpochMilli(first.onset()));
    }

    private static String title(Signal s) {
        return switch (s.kind()) {
            case SATURATION -> s.service() + " " + s.subject() + " saturated";
            case BASELINE_SHIFT -> s.service() + " " + s.subject() + " far from its baseline";
            case BACKLOG_GROWTH -> s.service() + " " + s.subject() + " growing";
            case REFRESH_STORM -> s.service() + " token refresh storm";
            case AUTH_FAILURES -> s.service() + " " + s.subject() + " spike";
            case DEPENDENCY_DRIFT -> s.service() + " using an unexpected " + s.subject();
            case ERROR_PATTERN -> s.service() + " error pattern surging";
        };
    }
}
