package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.config.AuthFailureSettings;
import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.Score;
import io.incidentanalyzer.detect.sketch.SpaceSaving;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Flags spikes of requests without a token (MISSING_TOKEN) and of failed verifications
 * (VERIFY_ERROR) per calling service. Keyed by {@link #callerKey}: the caller, or, for events that
 * name none, the service that logged them (the signal's subject then says "(no caller)"). Events
 * are seen in event-time order ({@link EventTimeOrderedFunction}).
 *
 * <p>Each failure type is counted in fixed event-time buckets. A bucket <em>spikes</em> when it
 * holds at least {@code minCount} failures and its series' {@link Baseline} is either still warming
 * up (a series without history is judged against zero failures: failures are not normal until shown
 * to be) or puts it {@code minDeviation} robust z-scores and {@code minRatio} times above the
 * expectation. It is <em>calm</em> at or below {@code clearBelow} failures, or at or below {@code
 * clearRatio} times a warm baseline. Spiking buckets for {@code sustain} open the signal; UPDATE on
 * a peak a quarter above the last reported one; CLEAR after calm buckets for {@code clearAfter}.
 *
 * <p>A bucket without events holds zero failures: the input is the failures themselves. The empty
 * buckets between two events are learned as zeros when the next event comes (at most {@value
 * #FILL_LIMIT}, the baseline's time weighting covers older ones); while an episode is pending or
 * open a timer ticks every bucket, so that silence clears it. A warm baseline learns only outside
 * episodes.
 *
 * <p>State: one fixed-size {@link AuthCallerState} per caller, plus an {@link AuthEpisode} per
 * failure type only while it spikes. Timers: one per bucket with events, and per bucket while an
 * episode exists. A caller that sends no failure for {@code forgetAfter} is forgotten (one lazily
 * re-armed timer while it is quiet), so callers that come and go leave no state behind.
 */
public class AuthFailureDetector extends AuthDetector {
    private static final long serialVersionUID = 1L;

    /** At most this many empty buckets are learned one by one between two events. */
    static final int FILL_LIMIT = 360;

    /** Keys of events without a caller start with this (not a valid service name). */
    static final String NO_CALLER = "?";

    private final AuthFailureSettings settings;
    private final Baseline baseline;
    private final long bucketMs;
    private final EpisodeMachine machine;

    private transient ValueState<AuthCallerState> state;
    private transient MapState<String, AuthEpisode> episodes;
    private transient Counter signalsOut;

    public AuthFailureDetector(String environment, AuthFailureSettings settings) {
        this.settings = settings;
        this.baseline = new Baseline(BaselineSettings.DEFAULTS);
        this.bucketMs = settings.bucket().toMillis();
        this.machine = new EpisodeMachine(SignalKind.AUTH_FAILURES, environment, settings);
    }

    /** Whether the detector needs the event at all. */
    public static boolean watches(AuthEvent e) {
        return e.type() == AuthEventType.MISSING_TOKEN || e.type() == AuthEventType.VERIFY_ERROR;
    }

    /** The key: the calling service, or {@code "?" + service} when the event names no caller. */
    public static String callerKey(AuthEvent e) {
        return e.caller() == null || e.caller().isBlank() ? NO_CALLER + e.service() : e.caller();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        state = getRuntimeContext().getState(stateDescriptor());
        episodes = getRuntimeContext().getMapState(episodesDescriptor());
        signalsOut = getRuntimeContext().getMetricGroup().counter("signals");
    }

    /**
     * The per-caller state. No TTL: it is read and written for every event, and TTL's incremental
     * cleanup would copy it each time; callers are services, a bounded set.
     */
    public static ValueStateDescriptor<AuthCallerState> stateDescriptor() {
        return new ValueStateDescriptor<>("auth-caller", AuthCallerState.class);
    }

    /** Episodes by subject; TTL is a backstop only: an open episode is judged every bucket. */
    public static MapStateDescriptor<String, AuthEpisode> episodesDescriptor() {
        MapStateDescriptor<String, AuthEpisode> d =
                new MapStateDescriptor<>(
                        "auth-failure-episodes",
                        Types.STRING,
                        TypeInformation.of(AuthEpisode.class));
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(7)).build());
        return d;
    }

    @Override
    protected void onOrdered(AuthEvent e, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        long ts = e.ts(); // ctx.timestamp() is the end of the ordering granule
        AuthCallerState s = state.value();
        if (s == null) s = newState(e);
        while (s.bucketStart >= 0 && ts >= s.bucketStart + bucketMs) {
            closeBucket(s, ctx, out);
        }
        if (s.bucketStart < 0) {
            long start = Math.floorDiv(ts, bucketMs) * bucketMs;
            // The forget timer, if any, stays: it fires, sees the caller active again, re-arms.
            learnEmptyBuckets(s, start);
            s.bucketStart = start;
            ctx.timerService().registerEventTimeTimer(start + bucketMs);
        }
        AuthFailureSeries series = series(s, e.type());
        series.count++;
        series.errors.add(e.error());
        series.callees.add(e.service());
        state.update(s);
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        AuthCallerState s = state.value();
        if (s != null && s.bucketStart >= 0 && timestamp == s.bucketStart + bucketMs) {
            closeBucket(s, ctx, out);
            state.update(s);
        }
        if (s != null && timestamp == s.forgetTimer) {
            s.forgetTimer = -1;
            if (s.bucketStart < 0 && episodes.isEmpty()) {
                long quietUntil = s.nextBucket + settings.forgetAfter().toMillis();
                if (timestamp >= quietUntil) {
                    state.clear(); // no failures for forgetAfter: the caller is gone
                    return;
                }
                armForget(s, ctx, quietUntil);
            }
            state.update(s);
        }
    }

    /** Registers the forget timer at {@code due}, unless one is already set (it re-arms). */
    private static void armForget(AuthCallerState s, OnTimerContext ctx, long due) {
        if (s.forgetTimer >= 0) return;
        s.forgetTimer = Math.floorDiv(due + 999, 1000) * 1000;
        ctx.timerService().registerEventTimeTimer(s.forgetTimer);
    }

    private AuthCallerState newState(AuthEvent e) {
        AuthCallerState s = new AuthCallerState();
        s.callerKnown = !callerKey(e).startsWith(NO_CALLER);
        s.service = s.callerKnown ? e.caller() : e.service();
        s.missingToken = new AuthFailureSeries(settings.topErrors());
        s.verifyError = new AuthFailureSeries(settings.topErrors());
        return s;
    }

    private static AuthFailureSeries series(AuthCallerState s, AuthEventType type) {
        return type == AuthEventType.MISSING_TOKEN ? s.missingToken : s.verifyError;
    }

    /** The buckets between the last judged one and {@code start} had no failures. */
    private void learnEmptyBuckets(AuthCallerState s, long start) {
        if (s.nextBucket < 0 || s.nextBucket >= start) return;
        long empty = (start - s.nextBucket) / bucketMs;
        long first = start - Math.min(empty, FILL_LIMIT) * bucketMs;
        for (long b = first; b < start; b += bucketMs) {
            baseline.update(s.missingToken.baseline, b, 0);
            baseline.update(s.verifyError.baseline, b, 0);
        }
    }

    /** Judges both series' bucket, then starts afresh; the caller writes {@code s} back. */
    private void closeBucket(AuthCallerState s, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        long start = s.bucketStart;
        long end = start + bucketMs;
        judge(s, AuthEventType.MISSING_TOKEN, s.missingToken, start, ctx, out);
        judge(s, AuthEventType.VERIFY_ERROR, s.verifyError, start, ctx, out);
        s.nextBucket = end;
        if (episodes.isEmpty()) {
            s.bucketStart = -1;
            armForget(s, ctx, end + settings.forgetAfter().toMillis());
        } else {
            // Keep judging every bucket while something spikes: silence is zero failures.
            s.bucketStart = end;
            ctx.timerService().registerEventTimeTimer(end + bucketMs);
        }
    }

    private void judge(
            AuthCallerState s,
            AuthEventType type,
            AuthFailureSeries series,
            long start,
            OnTimerContext ctx,
            Collector<Signal> out)
            throws Exception {
        long end = start + bucketMs;
        long n = series.count;
        Score score = baseline.score(series.baseline, start, n);
        boolean warm = score.warm();
        double expected = warm ? score.expected() : 0;
        double ratio = AuthEvents.ratio(n, expected);
        boolean spike =
                n >= settings.minCount()
                        && (!warm
                                || (score.deviation() >= settings.minDeviation()
                                        && ratio >= settings.minRatio()));
        boolean calm = n <= settings.clearBelow() || (warm && ratio <= settings.clearRatio());

        String subject = s.callerKnown ? type.name() : type.name() + " (no caller)";
        Measured measured = Measured.authEvents(type, s.callerKnown ? s.service : null);
        AuthEpisode ep = episodes.get(subject);
        if (EpisodeMachine.breaks(ep, spike)) {
            episodes.remove(subject); // not sustained: a short burst
            ep = null;
        }
        if (ep == null && spike) {
            ep = EpisodeMachine.start(start);
            ep.errors = new SpaceSaving(settings.topErrors());
            ep.callees = new SpaceSaving(settings.topErrors());
        }
        // A young series learns even while it spikes: after its warm-up, a rate that lasted
        // becomes its normal. A warm one stays frozen, so the episode is judged against before.
        if (ep == null || !warm) baseline.update(series.baseline, start, n);
        if (ep != null) {
            EpisodeMachine.record(ep, end, n, expected, score.deviation());
            ep.errors.merge(series.errors);
            ep.callees.merge(series.callees);
            ep.lastWarm = warm;
            Signal report =
                    machine.judge(
                            ep,
                            calm,
                            start,
                            end,
                            s.service,
                            subject,
                            measured,
                            e -> EpisodeMachine.Findings.of(evidence(s, subject, e)));
            if (report != null) emit(out, report);
            if (report != null && report.state() == SignalState.CLEAR) {
                episodes.remove(subject);
            } else {
                episodes.put(subject, ep);
            }
        }
        series.count = 0;
        series.errors.clear();
        series.callees.clear();
    }

    private List<String> evidence(AuthCallerState s, String subject, AuthEpisode ep) {
        List<String> evidence = new ArrayList<>(6);
        String bucket = DurationText.format(settings.bucket());
        String against;
        if (!ep.lastWarm) {
            against =
                    String.format(
                            Locale.ROOT,
                            "no baseline yet, judged against the minimum of %d per %s",
                            settings.minCount(),
                            bucket);
        } else if (ep.lastExpected < 1) {
            against =
                    String.format(
                            Locale.ROOT,
                            "where the baseline expects less than 1 per %s (%s)",
                            bucket,
                            AuthEvents.rate(ep.lastExpected, bucketMs));
        } else {
            against = machine.againstBaseline(ep);
        }
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "%,d %s from %s %s, %s",
                        ep.last,
                        subject,
                        s.service,
                        machine.latestBucket(ep),
                        against));
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "%s; %,d failures since, %,d above the baseline",
                        machine.since("spiking", ep),
                        ep.events,
                        Math.round(ep.events - ep.expected)));
        evidence.add("callee " + shares(ep.callees, ep.events));
        evidence.add("top errors " + shares(ep.errors, ep.events));
        if (!s.callerKnown) {
            evidence.add(
                    "the events name no caller: counted under the service that logged them, "
                            + s.service);
        }
        return evidence;
    }

    /** {@code "a" 81% (≥ 1,234 of 1,520); "b" …}, the three largest. */
    private static String shares(SpaceSaving sketch, long total) {
        List<String> parts = new ArrayList<>(3);
        for (SpaceSaving.Counter c : sketch.top(3)) {
            parts.add(
                    String.format(
                            Locale.ROOT,
                            "'%s' %d%% (≥ %,d of %,d)",
                            c.item(),
                            Math.round(100.0 * c.count() / Math.max(1, total)),
                            c.guaranteed(),
                            total));
        }
        return String.join("; ", parts);
    }

    private void emit(Collector<Signal> out, Signal signal) {
        signalsOut.inc();
        out.collect(signal);
    }
}
