package io.incidentanalyzer.detect;

import static io.incidentanalyzer.detect.DetectorText.num;
import static io.incidentanalyzer.detect.DetectorText.roundUp;

import io.incidentanalyzer.config.BacklogRule;
import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.config.MetricRule;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
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
 * Flags a queue (queue depth, in-flight requests) that grows interval after interval: work arrives
 * faster than it is done, which is overload before latency and errors show it. Each interval's last
 * value is one step; the signal opens when, over the last {@code intervals} steps, the value rose
 * in at least three quarters of them, by at least {@code minGrowth} in all, to at least {@code
 * minDepth} ({@link BacklogRule}). Onset is the end of the window's first interval: where the
 * growth began. UPDATE on a new peak half again above the last report; CLEAR once the value stays
 * at or below where the growth began (or {@code minDepth}) for {@code clearAfter}, or after {@code
 * noDataAfter} of silence. A gap of more than one interval restarts the window.
 */
public class BacklogDetector extends MetricDetector {
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final List<BacklogRule> rules;

    private transient ValueState<BacklogState> series;
    private transient Counter signalsOut;

    public BacklogDetector(String environment, List<BacklogRule> rules) {
        this.environment = environment;
        this.rules = new ArrayList<>(rules);
    }

    /** The index of the first rule watching this series, or -1: the first match wins. */
    public static int ruleFor(List<BacklogRule> rules, String service, String metric) {
        return MetricRule.indexOf(rules, service, metric);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        series =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("backlog", BacklogState.class));
        signalsOut = getRuntimeContext().getMetricGroup().counter("signals");
    }

    @Override
    protected void onOrdered(MetricSample s, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        int ruleIndex = ruleFor(rules, s.service(), s.metric());
        if (ruleIndex < 0) return;
        BacklogRule rule = rules.get(ruleIndex);
        BacklogState st = series.value();
        if (st == null) {
            st = new BacklogState();
            st.steps = new double[rule.intervals() + 1];
        }
        st.rule = ruleIndex;
        long ts = s.ts();
        st.lastSeen = Math.max(st.lastSeen, ts);
        long bucket = Math.floorDiv(ts, rule.interval().toMillis());
        if (st.bucket == Long.MIN_VALUE) {
            st.bucket = bucket;
        } else if (bucket > st.bucket) {
            if (bucket > st.bucket + 1) st.filled = 0; // a gap: growth across it is unknown
            st.push(st.current);
            long closedAt = (st.bucket + 1) * rule.interval().toMillis();
            st.bucket = bucket;
            st.current = s.value();
            onStep(st, s, rule, closedAt, out);
        }
        st.current = s.value();
        if (st.open) onOpen(st, s, rule, out);
        arm(ctx, st, rule);
        series.update(st);
    }

    /** A closed interval: does the window show growth? */
    private void onStep(
            BacklogState st,
            MetricSample s,
            BacklogRule rule,
            long closedAt,
            Collector<Signal> out) {
        if (st.open || st.filled < st.steps.length) return;
        int n = st.steps.length - 1;
        int rises = 0;
        for (int i = 0; i < n; i++) {
            if (st.steps[i + 1] > st.steps[i]) rises++;
        }
        double first = st.steps[0];
        double last = st.steps[n];
        double growth = last - first;
        if (4 * rises < 3 * n
                || growth <= 0
                || growth < rule.minGrowth()
                || last < rule.minDepth()) {
            return;
        }
        long intervalMs = rule.interval().toMillis();
        st.open = true;
        st.onset = closedAt - (long) n * intervalMs;
        st.startLevel = first;
        st.peak = last;
        st.peakTs = closedAt;
        st.drainedSince = -1;
        st.signalId =
                "backlog:" + environment + ":" + s.service() + "/" + s.metric() + ":" + st.onset;
        List<String> evidence = evidence(st, s.service(), s.metric(), rule);
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "rose in %d of the last %d intervals of %s, by %s",
                        rises,
                        n,
                        DurationText.format(rule.interval()),
                        num(growth)));
        emit(out, st, s.service(), s.metric(), rule, SignalState.OPEN, closedAt, evidence);
        st.lastReportedPeak = st.peak;
    }

    private void onOpen(BacklogState st, MetricSample s, BacklogRule rule, Collector<Signal> out) {
        long ts = s.ts();
        double v = s.value();
        if (v > st.peak) {
            st.peak = v;
            st.peakTs = ts;
        }
        double clearLevel = Math.max(st.startLevel, rule.minDepth());
        if (v <= clearLevel) {
            if (st.drainedSince < 0) st.drainedSince = ts;
            if (ts - st.drainedSince >= rule.clearAfter().toMillis()) {
                List<String> evidence = evidence(st, s.service(), s.metric(), rule);
                evidence.add(
                        String.format(
                                Locale.ROOT,
                                "back at or below %s since %s (clear after %s)",
                                num(clearLevel),
                                Instant.ofEpochMilli(st.drainedSince),
                                DurationText.format(rule.clearAfter())));
                emit(out, st, s.service(), s.metric(), rule, SignalState.CLEAR, ts, evidence);
                endEpisode(st);
            }
            return;
        }
        st.drainedSince = -1;
        if (st.peak >= 1.5 * st.lastReportedPeak && st.peak > st.lastReportedPeak) {
            emit(
                    out,
                    st,
                    s.service(),
                    s.metric(),
                    rule,
                    SignalState.UPDATE,
                    ts,
                    evidence(st, s.service(), s.metric(), rule));
            st.lastReportedPeak = st.peak;
        }
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        BacklogState st = series.value();
        if (st == null || timestamp != st.timer) return;
        st.timer = -1;
        BacklogRule rule = rules.get(st.rule);
        if (timestamp < st.lastSeen + rule.noDataAfter().toMillis()) {
            arm(ctx, st, rule);
            series.update(st);
            return;
        }
        if (st.open) {
            String[] key = ctx.getCurrentKey().split("/", 2);
            List<String> evidence = new ArrayList<>();
            evidence.add(
                    String.format(
                            Locale.ROOT,
                            "no samples since %s (no-data limit %s)",
                            Instant.ofEpochMilli(st.lastSeen),
                            DurationText.format(rule.noDataAfter())));
            emit(
                    out,
                    st,
                    key[0],
                    key.length > 1 ? key[1] : "",
                    rule,
                    SignalState.CLEAR,
                    timestamp,
                    evidence);
        }
        series.clear(); // a silent queue starts its window again when it reports
    }

    private void arm(OnTimerContext ctx, BacklogState st, BacklogRule rule) {
        if (st.timer >= 0) return; // re-armed lazily in onTick
        st.timer = roundUp(st.lastSeen + rule.noDataAfter().toMillis());
        ctx.timerService().registerEventTimeTimer(st.timer);
    }

    private static void endEpisode(BacklogState st) {
        st.open = false;
        st.signalId = null;
        st.onset = -1;
        st.peakTs = -1;
        st.drainedSince = -1;
        st.filled = 0; // a new episode needs a whole window of growth
    }

    private static List<String> evidence(
            BacklogState st, String service, String metric, BacklogRule rule) {
        List<String> evidence = new ArrayList<>(3);
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "%s %s growing since %s, from %s",
                        service,
                        metric,
                        Instant.ofEpochMilli(st.onset),
                        num(st.startLevel)));
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "peak %s at %s",
                        num(st.peak),
                        Instant.ofEpochMilli(st.peakTs)));
        return evidence;
    }

    private void emit(
            Collector<Signal> out,
            BacklogState st,
            String service,
            String metric,
            BacklogRule rule,
            SignalState state,
            long ts,
            List<String> evidence) {
        signalsOut.inc();
        out.collect(
                new Signal(
                        st.signalId,
                        SignalKind.BACKLOG_GROWTH,
                        environment,
                        service,
                        metric,
                        state,
                        ts,
                        st.onset,
                        st.peakTs,
                        st.peak,
                        st.current,
                        st.startLevel,
                        st.startLevel == 0 ? 0 : st.peak / st.startLevel,
                        rule.severity(),
                        evidence,
                        state == SignalState.CLEAR
                                ? st.drainedSince >= 0 ? st.drainedSince : st.lastSeen
                                : -1,
                        Measured.metric(metric),
                        null));
    }
}
