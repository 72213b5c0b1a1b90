package io.incidentanalyzer.detect;

import static io.incidentanalyzer.detect.DetectorText.num;
import static io.incidentanalyzer.detect.DetectorText.roundUp;

import io.incidentanalyzer.config.BaselineShiftRule;
import io.incidentanalyzer.config.BaselineShiftSettings;
import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.baseline.Score;
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
 * Flags a series (request rate, latency, error ratio, queue depth) that moves far from its own
 * robust, seasonal baseline and stays there: the {@link Baseline} core scores each sample before
 * learning it, and a rule of the job file ({@link BaselineShiftRule}) says how far is far. Keyed by
 * series; samples in event-time order (see {@link EventTimeOrderedFunction}).
 *
 * <p>Shifted samples are not learned, so a fault does not become the baseline while it lasts; a
 * shift that outlasts {@code relearnAfter} is taken as the new normal: the signal clears and the
 * baseline starts again. OPEN at the sample that completes the sustain time (onset: the first
 * shifted sample), UPDATE when the deviation grows by a quarter over the last report, CLEAR after
 * {@code clearAfter} within half the margins, or when the series goes silent for {@code
 * noDataAfter}. A series silent for {@code forgetAfter} loses its state.
 */
public class BaselineShiftDetector extends MetricDetector {
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final BaselineShiftSettings settings;
    private final Baseline baseline;

    private transient ValueState<BaselineShiftState> series;
    private transient Counter signalsOut;

    public BaselineShiftDetector(String environment, BaselineShiftSettings settings) {
        this.environment = environment;
        this.settings = settings;
        this.baseline = new Baseline(settings.baseline().settings());
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        series =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("series", BaselineShiftState.class));
        signalsOut = getRuntimeContext().getMetricGroup().counter("signals");
    }

    @Override
    protected void onOrdered(MetricSample s, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        int ruleIndex = settings.ruleFor(s.service(), s.metric());
        if (ruleIndex < 0) return;
        BaselineShiftRule rule = settings.rules().get(ruleIndex);
        BaselineShiftState st = series.value();
        if (st == null) st = new BaselineShiftState();
        st.rule = ruleIndex;
        long ts = s.ts();
        double v = s.value();
        st.lastSeen = Math.max(st.lastSeen, ts);
        st.last = v;

        Score score = baseline.score(st.baseline, ts, v);
        boolean shifted = shifted(score, v, rule, 1.0);
        if (!st.open && st.shiftedSince < 0) {
            if (shifted) {
                begin(st, score, v, ts);
            } else {
                baseline.update(st.baseline, ts, v);
            }
        } else if (!st.open) {
            if (shifted) {
                track(st, score, v, ts);
                if (ts - st.shiftedSince >= rule.sustain().toMillis()) {
                    st.open = true;
                    st.onset = st.shiftedSince;
                    st.signalId = signalId(s.service(), s.metric(), st.onset);
                    emit(
                            out,
                            st,
                            s.service(),
                            s.metric(),
                            rule,
                            SignalState.OPEN,
                            ts,
                            evidence(st, s, rule));
                    st.lastReportedDeviation = st.peakDeviation;
                    st.lastReportedAt = ts;
                }
            } else {
                st.endEpisode(); // a blip shorter than the sustain time
                baseline.update(st.baseline, ts, v);
            }
        } else {
            onOpen(st, s, score, rule, ctx, out);
        }
        arm(ctx, st, rule);
        series.update(st);
    }

    private void onOpen(
            BaselineShiftState st,
            MetricSample s,
            Score score,
            BaselineShiftRule rule,
            OnTimerContext ctx,
            Collector<Signal> out) {
        long ts = s.ts();
        double v = s.value();
        if (ts - st.onset >= rule.relearnAfter().toMillis()) {
            List<String> evidence = evidence(st, s, rule);
            evidence.add(
                    "shifted for "
                            + DurationText.format(rule.relearnAfter())
                            + ": taken as the new normal, the baseline starts again");
            emit(out, st, s.service(), s.metric(), rule, SignalState.CLEAR, ts, evidence);
            st.endEpisode();
            st.baseline = new BaselineState();
            baseline.update(st.baseline, ts, v);
            return;
        }
        if (shifted(score, v, rule, 0.5)) {
            st.calmSince = -1;
            track(st, score, v, ts);
            if (Math.abs(st.peakDeviation) > 1.25 * Math.abs(st.lastReportedDeviation)) {
                st.lastReportedDeviation = st.peakDeviation;
                report(st, s, rule, ts, out);
            } else {
                reportIfDue(st, s, rule, ts, out);
            }
            return;
        }
        if (st.calmSince < 0) st.calmSince = ts;
        if (ts - st.calmSince >= rule.clearAfter().toMillis()) {
            List<String> evidence = evidence(st, s, rule);
            evidence.add(
                    String.format(
                            Locale.ROOT,
                            "within half the margins since %s (clear after %s)",
                            Instant.ofEpochMilli(st.calmSince),
                            DurationText.format(rule.clearAfter())));
            emit(out, st, s.service(), s.metric(), rule, SignalState.CLEAR, ts, evidence);
            st.endEpisode();
        } else {
            reportIfDue(st, s, rule, ts, out);
        }
    }

    /** An UPDATE with the current value when the last report is reportEvery old. */
    private void reportIfDue(
            BaselineShiftState st,
            MetricSample s,
            BaselineShiftRule rule,
            long ts,
            Collector<Signal> out) {
        if (ts - st.lastReportedAt >= settings.reportEvery().toMillis()) {
            report(st, s, rule, ts, out);
        }
    }

    private void report(
            BaselineShiftState st,
            MetricSample s,
            BaselineShiftRule rule,
            long ts,
            Collector<Signal> out) {
        emit(out, st, s.service(), s.metric(), rule, SignalState.UPDATE, ts, evidence(st, s, rule));
        st.lastReportedAt = ts;
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        BaselineShiftState st = series.value();
        if (st == null || timestamp != st.timer) return;
        st.timer = -1; // fired: nothing to delete
        BaselineShiftRule rule = settings.rules().get(st.rule);
        boolean inEpisode = st.open || st.shiftedSince >= 0;
        long due =
                st.lastSeen + (inEpisode ? rule.noDataAfter() : settings.forgetAfter()).toMillis();
        if (timestamp < due) {
            arm(ctx, st, rule);
            series.update(st);
            return;
        }
        if (!inEpisode) {
            series.clear(); // silent for forgetAfter: the series is gone
            return;
        }
        if (st.open) {
            List<String> evidence = new ArrayList<>();
            evidence.add(
                    String.format(
                            Locale.ROOT,
                            "no samples since %s (no-data limit %s)",
                            Instant.ofEpochMilli(st.lastSeen),
                            DurationText.format(rule.noDataAfter())));
            String[] key = ctx.getCurrentKey().split("/", 2);
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
        st.endEpisode();
        arm(ctx, st, rule);
        series.update(st);
    }

    /** Registers the series' one timer for its next deadline, unless an earlier one is set. */
    private void arm(OnTimerContext ctx, BaselineShiftState st, BaselineShiftRule rule)
            throws Exception {
        boolean inEpisode = st.open || st.shiftedSince >= 0;
        long due =
                roundUp(
                        st.lastSeen
                                + (inEpisode ? rule.noDataAfter() : settings.forgetAfter())
                                        .toMillis());
        if (st.timer >= 0 && st.timer <= due) return; // fires first, then re-arms
        if (st.timer >= 0) deleteOwnTimer(ctx, st.timer);
        st.timer = due;
        ctx.timerService().registerEventTimeTimer(due);
    }

    /** Whether the sample is beyond the rule's margins, each scaled by {@code f}. */
    static boolean shifted(Score score, double v, BaselineShiftRule rule, double f) {
        if (!score.warm() || !rule.direction().watches(score.deviation())) return false;
        double delta = Math.abs(v - score.expected());
        double relative = delta / Math.max(Math.abs(score.expected()), Double.MIN_NORMAL);
        return Math.abs(score.deviation()) >= f * rule.minDeviation()
                && relative >= f * rule.minChange()
                && delta >= f * rule.minDelta();
    }

    private static void begin(BaselineShiftState st, Score score, double v, long ts) {
        st.shiftedSince = ts;
        st.expected = score.expected();
        st.scale = score.scale();
        st.peak = v;
        st.peakTs = ts;
        st.peakDeviation = score.deviation();
        st.onsetAnomaly = score.anomaly();
        st.calmSince = -1;
    }

    private static void track(BaselineShiftState st, Score score, double v, long ts) {
        if (Math.abs(score.deviation()) > Math.abs(st.peakDeviation)) {
            st.peak = v;
            st.peakTs = ts;
            st.peakDeviation = score.deviation();
        }
    }

    private String signalId(String service, String metric, long onset) {
        return "baseline-shift:" + environment + ":" + service + "/" + metric + ":" + onset;
    }

    private static List<String> evidence(
            BaselineShiftState st, MetricSample s, BaselineShiftRule rule) {
        List<String> evidence = new ArrayList<>(3);
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "%s %s %s its baseline %s (±%s) since %s (sustain %s)",
                        s.service(),
                        s.metric(),
                        st.peak >= st.expected ? "above" : "below",
                        num(st.expected),
                        num(st.scale),
                        Instant.ofEpochMilli(st.shiftedSince),
                        DurationText.format(rule.sustain())));
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "peak %s at %s: %.1f spreads, %s× the baseline",
                        num(st.peak),
                        Instant.ofEpochMilli(st.peakTs),
                        st.peakDeviation,
                        st.expected == 0 ? "∞" : num(st.peak / st.expected)));
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "anomaly score %.2f at the onset (how rare such a deviation has been)",
                        st.onsetAnomaly));
        return evidence;
    }

    private void emit(
            Collector<Signal> out,
            BaselineShiftState st,
            String service,
            String metric,
            BaselineShiftRule rule,
            SignalState state,
            long ts,
            List<String> evidence) {
        signalsOut.inc();
        out.collect(
                new Signal(
                        st.signalId,
                        SignalKind.BASELINE_SHIFT,
                        environment,
                        service,
                        metric,
                        state,
                        ts,
                        st.onset,
                        st.peakTs,
                        st.peak,
                        st.last,
                        st.expected,
                        st.expected == 0 ? 0 : st.peak / st.expected,
                        rule.severity(),
                        evidence,
                        state == SignalState.CLEAR
                                ? st.calmSince >= 0 ? st.calmSince : st.lastSeen
                                : -1));
    }
}
