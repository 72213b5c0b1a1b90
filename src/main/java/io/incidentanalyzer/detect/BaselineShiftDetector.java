package io.incidentanalyzer.detect;

import static io.incidentanalyzer.detect.DetectorText.num;
import static io.incidentanalyzer.detect.DetectorText.roundUp;

import io.incidentanalyzer.config.BaselineShiftRule;
import io.incidentanalyzer.config.BaselineShiftSettings;
import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.baseline.Score;
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
 *
 * <p>A slow onset, whose samples are never far enough for long enough, opens through a sequential
 * test instead ({@link CreepTest}, docs/detectors.md#slow-onsets): the deviations add up, and the
 * signal opens when their sum beyond a slack reaches a limit, with the run's start as its onset; it
 * stays open while the sum holds or the samples are beyond half the margins.
 */
public class BaselineShiftDetector extends MetricDetector {
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final BaselineShiftSettings settings;
    private final Baseline baseline;
    private final CreepTest creep;

    private transient ValueState<BaselineShiftState> series;
    private transient Counter signalsOut;

    public BaselineShiftDetector(String environment, BaselineShiftSettings settings) {
        this.environment = environment;
        this.settings = settings;
        this.baseline = new Baseline(BaselineSettings.from(settings.baseline()));
        this.creep = new CreepTest(settings.creep());
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
        if (st.firstSeen < 0) st.firstSeen = ts;
        st.last = v;

        Score score = baseline.score(st.baseline, ts, v);
        boolean shifted = shifted(score, v, rule, 1.0);
        long creepSince = creep(st, score, v, rule, ts);
        if (!st.open && !shifted && creepSince >= 0) {
            // A slow onset: no sample was far enough for long enough, but together they are.
            if (st.shiftedSince >= 0) st.endEpisode();
            begin(st, score, v, creepSince);
            st.peakTs = ts;
            st.creepOpened = true;
            openSignal(st, s, rule, ts, out);
        } else if (!st.open && st.shiftedSince < 0) {
            if (shifted) {
                begin(st, score, v, ts);
            } else {
                baseline.update(st.baseline, ts, v);
            }
        } else if (!st.open) {
            if (shifted) {
                track(st, score, v, ts);
                if (ts - st.shiftedSince >= rule.sustain().toMillis()) {
                    openSignal(st, s, rule, ts, out);
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

    private void openSignal(
            BaselineShiftState st,
            MetricSample s,
            BaselineShiftRule rule,
            long ts,
            Collector<Signal> out) {
        st.open = true;
        st.onset = st.shiftedSince;
        st.signalId = signalId(s.service(), s.metric(), st.onset);
        emit(out, st, s.service(), s.metric(), rule, SignalState.OPEN, ts, evidence(st, s, rule));
        st.lastReportedDeviation = st.peakDeviation;
        st.lastReportedAt = ts;
    }

    /**
     * Feeds the sample to the slow-onset test in each watched direction.
     *
     * @return the start of the run that alarms at this sample, or -1: the test alarms, its run has
     *     lasted the rule's sustain time, and the sample is at least {@code minDelta} and the
     *     test's share of {@code minDeviation} and {@code minChange} away from the expectation
     */
    private long creep(
            BaselineShiftState st, Score score, double v, BaselineShiftRule rule, long ts) {
        if (!score.warm() || !creep.runs(st.firstSeen, ts)) return -1;
        double d = score.deviation();
        double cap = rule.minDeviation();
        long alarm = -1;
        if (rule.direction().watches(1)) {
            double before = st.creepUp;
            st.creepUp = creep.next(before, d, cap);
            st.creepUpSince = CreepTest.runStart(st.creepUpSince, before, st.creepUp, ts);
            if (creep.alarms(st.creepUp, d)) alarm = st.creepUpSince;
        }
        if (rule.direction().watches(-1)) {
            double before = st.creepDown;
            st.creepDown = creep.next(before, -d, cap);
            st.creepDownSince = CreepTest.runStart(st.creepDownSince, before, st.creepDown, ts);
            if (creep.alarms(st.creepDown, -d)) alarm = st.creepDownSince;
        }
        if (alarm < 0 || ts - alarm < rule.sustain().toMillis()) return -1;
        double delta = Math.abs(v - score.expected());
        double relative = delta / Math.max(Math.abs(score.expected()), Double.MIN_NORMAL);
        boolean enough =
                Math.abs(score.deviation()) >= creep.margin() * rule.minDeviation()
                        && relative >= creep.margin() * rule.minChange()
                        && delta >= rule.minDelta();
        return enough ? alarm : -1;
    }

    /** Whether the slow-onset test still supports an open signal it opened. */
    private boolean creepHolds(BaselineShiftState st) {
        return st.creepOpened && (creep.holds(st.creepUp) || creep.holds(st.creepDown));
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
            st.firstSeen = ts;
            baseline.update(st.baseline, ts, v);
            return;
        }
        if (shifted(score, v, rule, 0.5) || creepHolds(st)) {
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
        if (st.creepOpened) {
            evidence.add(
                    String.format(
                            Locale.ROOT,
                            "a slow onset: deviations beyond the slack add up to %.1f spreads since"
                                    + " %s (sequential test)",
                            Math.max(st.creepUp, st.creepDown),
                            Instant.ofEpochMilli(st.onset)));
        }
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
                                : -1,
                        Measured.metric(metric),
                        null));
    }
}
