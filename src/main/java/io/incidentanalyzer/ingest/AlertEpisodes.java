package io.incidentanalyzer.ingest;

import io.incidentanalyzer.ingest.format.AlertSignals;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns alert reports into the correlator's signals, keyed by alert ({@link
 * AlertSignals#alertKey}): Alertmanager repeats a firing alert in every notification of its group
 * (and again each {@code repeat_interval}), but the correlator wants one OPEN per episode and one
 * CLEAR. The first firing report of an episode opens it, repeats are dropped and counted ({@code
 * alertRepeats}), the resolved report clears it; a resolved report for no open episode (its firing
 * was before the job's start offsets, or a repeat) is dropped and counted ({@code
 * alertsUnmatched}). An alert that fires again with a new {@code startsAt} while its episode is
 * open lost its resolved notification: the old episode is cleared at the new one's start.
 *
 * <p>Reports of one group arrive in the order Alertmanager sent them when they come from one
 * partition (the gateway keys each webhook record by its group), but a repeat of the firing
 * notification can still follow the resolved one (two receivers, a retried request, a rebalanced
 * stream). So the start of the last resolved episode is remembered, and a firing report of that
 * episode or an earlier one is dropped as a repeat; a resolved report that comes before its firing
 * one keeps that firing one out the same way.
 *
 * <p>State per alert: the open episode's signal, cleared when it resolves, and the start of the
 * last resolved episode, kept until the TTL of {@link #FORGET_AFTER} removes it (the bound on this
 * leak, one long per alert seen in that time); the TTL is also the backstop for an alert whose
 * resolved notification never comes.
 */
public final class AlertEpisodes extends KeyedProcessFunction<String, Signal, Signal> {
    private static final long serialVersionUID = 1L;

    /** How long an open alert with no further report is kept (processing time). */
    static final Duration FORGET_AFTER = Duration.ofDays(7);

    private final String environment;
    private transient ValueState<Signal> open;
    private transient ValueState<Long> resolved;
    private transient Counter repeats;
    private transient Counter unmatched;

    /**
     * @param environment the job's environment, which the signals are keyed by downstream
     */
    public AlertEpisodes(String environment) {
        this.environment = environment;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Signal> d =
                new ValueStateDescriptor<>("open-alert", TypeInformation.of(Signal.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(FORGET_AFTER).build());
        open = getRuntimeContext().getState(d);
        ValueStateDescriptor<Long> r = new ValueStateDescriptor<>("resolved-alert", Long.class);
        r.enableTimeToLive(StateTtlConfig.newBuilder(FORGET_AFTER).build());
        resolved = getRuntimeContext().getState(r);
        repeats = getRuntimeContext().getMetricGroup().counter("alertRepeats");
        unmatched = getRuntimeContext().getMetricGroup().counter("alertsUnmatched");
    }

    @Override
    public void processElement(Signal report, Context ctx, Collector<Signal> out) throws Exception {
        Signal current = open.value();
        Long lastResolved = resolved.value();
        if (report.state() == SignalState.CLEAR) {
            if (lastResolved == null || report.onset() > lastResolved) {
                resolved.update(report.onset());
            }
            if (current == null || current.onset() != report.onset()) {
                unmatched.inc();
                return;
            }
            out.collect(AlertSignals.inEnvironment(report, environment, SignalState.CLEAR));
            open.clear();
            return;
        }
        if ((current != null && current.onset() == report.onset())
                || (lastResolved != null && report.onset() <= lastResolved)) {
            repeats.inc();
            return;
        }
        if (current != null) {
            out.collect(AlertSignals.clearedAt(current, Math.max(current.onset(), report.onset())));
        }
        Signal opened = AlertSignals.inEnvironment(report, environment, SignalState.OPEN);
        open.update(opened);
        out.collect(opened);
    }

    /** Keys reports by alert: service, name and fingerprint. */
    public static final class AlertKey implements KeySelector<Signal, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(Signal s) {
            return AlertSignals.alertKey(s);
        }
    }
}
