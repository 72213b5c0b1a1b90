package io.incidentanalyzer.detect;

import static io.incidentanalyzer.detect.DetectorText.num;
import static io.incidentanalyzer.detect.DetectorText.roundUp;

import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.config.MetricRule;
import io.incidentanalyzer.config.SaturationRule;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Flags a bounded resource (CPU, connection pool, memory) that stays at or above its ceiling for
 * the sustain time, and clears it with hysteresis: only after it stays at or below a lower clear
 * level for the clear time. Keyed by series ({@link MetricSample#seriesKey()}); samples are seen in
 * event-time order (see {@link EventTimeOrderedFunction}).
 *
 * <p>Emits OPEN at the sample that completes the sustain time (onset: the first sample of the run),
 * UPDATE when an open signal reaches a new peak more than 1% of the ceiling above the last reported
 * one, and CLEAR at the sample that completes the clear time. A series that stops reporting for
 * {@code noDataAfter} clears too: missing data is not evidence of saturation, and an incident must
 * not stay open forever because a host died.
 *
 * <p>State exists only while a series is above its ceiling or open: a healthy series costs nothing.
 * One no-data timer per episode, rounded up to a whole second so timers coalesce.
 */
public class SaturationDetector extends MetricDetector {
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final List<SaturationRule> rules;

    private transient ValueState<SaturationEpisode> episode;
    private transient Counter signalsOut;

    public SaturationDetector(String environment, List<SaturationRule> rules) {
        this.environment = environment;
        this.rules = new ArrayList<>(rules);
    }

    /** The index of the first rule watching this series, or -1: the first match wins. */
    public static int ruleFor(List<SaturationRule> rules, String service, String metric) {
        return MetricRule.indexOf(rules, service, metric);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        // No state TTL: every episode ends through a CLEAR or the no-data timer, and a TTL
        // backstop cost about half the detector's time (docs/benchmarks.md).
        episode =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("episode", SaturationEpisode.class));
        signalsOut = getRuntimeContext().getMetricGroup().counter("signals");
    }

    @Override
    protected void onOrdered(MetricSample s, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        SaturationEpisode e = episode.value();
        int ruleIndex = ruleFor(rules, s.service(), s.metric());
        if (ruleIndex < 0) return;
        SaturationRule rule = rules.get(ruleIndex);
        long ts = s.ts();
        double v = s.value();

        if (e == null) {
            if (v < rule.ceiling()) return; // healthy, no state
            e = new SaturationEpisode();
            e.rule = ruleIndex;
            e.service = s.service();
            e.metric = s.metric();
            e.aboveSince = ts;
        }
        e.lastSeen = ts;
        e.last = v;

        if (!e.open) {
            if (v < rule.ceiling()) {
                clear(ctx, e);
                return;
            }
            track(e, v, ts);
            if (ts - e.aboveSince >= rule.sustain().toMillis()) {
                e.open = true;
                e.onset = e.aboveSince;
                e.signalId = signalId(e);
                emit(out, e, rule, SignalState.OPEN, ts, evidence(e, rule));
                e.lastReportedPeak = e.peak;
            }
        } else {
            double previousPeak = e.lastReportedPeak;
            track(e, v, ts);
            if (v <= rule.clearBelow()) {
                if (e.belowSince < 0) e.belowSince = ts;
                if (ts - e.belowSince >= rule.clearAfter().toMillis()) {
                    List<String> evidence = evidence(e, rule);
                    evidence.add(
                            String.format(
                                    Locale.ROOT,
                                    "at or below %s since %s (clear after %s)",
                                    num(rule.clearBelow()),
                                    Instant.ofEpochMilli(e.belowSince),
                                    DurationText.format(rule.clearAfter())));
                    emit(out, e, rule, SignalState.CLEAR, ts, evidence);
                    clear(ctx, e);
                    return;
                }
            } else {
                e.belowSince = -1;
                if (e.peak - previousPeak > 0.01 * rule.ceiling()) {
                    emit(out, e, rule, SignalState.UPDATE, ts, evidence(e, rule));
                    e.lastReportedPeak = e.peak;
                }
            }
        }
        armNoDataTimer(ctx, e, rule);
        episode.update(e);
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        SaturationEpisode e = episode.value();
        if (e == null || timestamp != e.noDataTimer) return;
        SaturationRule rule = rules.get(e.rule);
        long silentUntil = e.lastSeen + rule.noDataAfter().toMillis();
        if (timestamp < silentUntil) {
            e.noDataTimer = -1;
            armNoDataTimer(ctx, e, rule);
            episode.update(e);
            return;
        }
        if (e.open) {
            List<String> evidence = evidence(e, rule);
            evidence.add(
                    String.format(
                            Locale.ROOT,
                            "no samples since %s (no-data limit %s)",
                            Instant.ofEpochMilli(e.lastSeen),
                            DurationText.format(rule.noDataAfter())));
            emit(out, e, rule, SignalState.CLEAR, timestamp, evidence);
        }
        e.noDataTimer = -1; // this timer has fired: nothing to delete
        clear(ctx, e);
    }

    private void armNoDataTimer(OnTimerContext ctx, SaturationEpisode e, SaturationRule rule) {
        if (e.noDataTimer >= 0) return; // re-armed lazily in onTick
        long due = e.lastSeen + rule.noDataAfter().toMillis();
        e.noDataTimer = roundUp(due);
        ctx.timerService().registerEventTimeTimer(e.noDataTimer);
    }

    private void clear(OnTimerContext ctx, SaturationEpisode e) throws Exception {
        if (e.noDataTimer >= 0) {
            deleteOwnTimer(ctx, e.noDataTimer);
        }
        episode.clear();
    }

    private static void track(SaturationEpisode e, double v, long ts) {
        if (v > e.peak) {
            e.peak = v;
            e.peakTs = ts;
        }
    }

    private String signalId(SaturationEpisode e) {
        return "saturation:" + environment + ":" + e.service + "/" + e.metric + ":" + e.onset;
    }

    /** The facts every report carries: when the run began and how high it went. */
    private static List<String> evidence(SaturationEpisode e, SaturationRule rule) {
        List<String> evidence = new ArrayList<>(3);
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "%s %s at or above %s since %s (sustain %s)",
                        e.service,
                        e.metric,
                        num(rule.ceiling()),
                        Instant.ofEpochMilli(e.onset),
                        DurationText.format(rule.sustain())));
        evidence.add(
                String.format(
                        Locale.ROOT, "peak %s at %s", num(e.peak), Instant.ofEpochMilli(e.peakTs)));
        return evidence;
    }

    /** Reports the episode as it stands; the series and latest value come from its state. */
    private void emit(
            Collector<Signal> out,
            SaturationEpisode e,
            SaturationRule rule,
            SignalState state,
            long ts,
            List<String> evidence) {
        signalsOut.inc();
        out.collect(
                new Signal(
                        e.signalId,
                        SignalKind.SATURATION,
                        environment,
                        e.service,
                        e.metric,
                        state,
                        ts,
                        e.onset,
                        e.peakTs,
                        e.peak,
                        e.last,
                        rule.ceiling(),
                        e.peak / rule.ceiling(),
                        rule.severity(),
                        evidence,
                        state == SignalState.CLEAR
                                ? e.belowSince >= 0 ? e.belowSince : e.lastSeen
                                : -1,
                        Measured.metric(e.metric),
                        null));
    }
}
