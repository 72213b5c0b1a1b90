package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.config.RefreshStormSettings;
import io.incidentanalyzer.detect.CreepTest;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.baseline.Score;
import io.incidentanalyzer.detect.sketch.SlidingDistinctCount;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Flags a token-refresh storm: a token service's refreshes far above their own baseline and above
 * what the token lifetime allows the active sessions. Keyed by the token service ({@link
 * AuthEvent#service}); events are seen in event-time order ({@link EventTimeOrderedFunction}), so
 * counts, sketches and evidence do not depend on arrival order.
 *
 * <p>REFRESH and REFRESH_ERROR events are counted in fixed event-time buckets. When a bucket closes
 * (a timer at its end) it is <em>stormy</em> if (a) its count is at least {@code minDeviation}
 * robust z-scores and {@code minRatio} times above the {@link Baseline}'s expectation, and (b)
 * above active sessions / token lifetime × {@code slack}: a session needs about one refresh per
 * lifetime. Active sessions are those holding a token: the distinct session ids of LOGIN, REFRESH,
 * REFRESH_ERROR and LOGOUT events in the last lifetime, less the ids that logged out in it (two
 * {@link SlidingDistinctCount}s, fixed memory). Counting every session seen in a lifetime instead
 * counted those that had ended too: with sessions not much longer than a token, up to half as many
 * again, and a loop of half again the normal refreshes went unflagged. A bucket is <em>calm</em> at
 * or below {@code clearRatio} times the baseline, or within one refresh per session and lifetime.
 *
 * <p>Stormy buckets for {@code sustain} open the signal (onset: the first of them); an open signal
 * sends UPDATE when a bucket beats the last reported peak by a quarter, and CLEAR after calm
 * buckets for {@code clearAfter}, or when the service logs nothing at all for {@code noDataAfter}
 * (missing data is not evidence either way). A bucket without any event is no data: it neither
 * continues nor breaks a run.
 *
 * <p>Evidence names the heavy hitters: Space-Saving summaries of client version, client id, user
 * and address, per bucket, folded into the episode (stormy buckets) or into a rolling reference
 * (calm ones), so each value's share of the <em>excess</em> over the baseline can be given. The
 * baseline and the reference learn only outside episodes.
 *
 * <p>State: one fixed-size {@link RefreshStormState} per token service, plus a {@link AuthEpisode}
 * only while a storm is pending or open. Timers: one per bucket that saw an event, and one no-data
 * timer per episode.
 */
public class RefreshStormDetector extends AuthDetector {
    private static final long serialVersionUID = 1L;

    /** The active-session window is cut into this many panes. */
    static final int SESSION_PANES = 4;

    private static final long TIMER_ROUNDING_MS = 1000;

    /** The signal's subject: every refresh storm is one of REFRESH events. */
    private static final String SUBJECT = "REFRESH";

    private static final Measured MEASURED = Measured.authEvents(AuthEventType.REFRESH, null);

    private final RefreshStormSettings settings;
    private final Baseline baseline;
    private final long bucketMs;
    private final long lifetimeMs;
    private final EpisodeMachine machine;
    private final CreepTest creep;

    private transient ValueState<RefreshStormState> state;
    private transient ValueState<AuthEpisode> episode;
    private transient Counter signalsOut;

    public RefreshStormDetector(String environment, RefreshStormSettings settings) {
        this.settings = settings;
        this.baseline = new Baseline(BaselineSettings.DEFAULTS);
        this.bucketMs = settings.bucket().toMillis();
        this.lifetimeMs = settings.tokenLifetime().toMillis();
        this.machine = new EpisodeMachine(SignalKind.REFRESH_STORM, environment, settings);
        this.creep = new CreepTest(settings.creep());
    }

    /**
     * Whether the detector needs the event at all: token grants and refreshes, and logouts, which
     * end a session before its token expires.
     */
    public static boolean watches(AuthEvent e) {
        return e.type() == AuthEventType.LOGIN || e.type() == AuthEventType.LOGOUT || isRefresh(e);
    }

    private static boolean isRefresh(AuthEvent e) {
        return e.type() == AuthEventType.REFRESH || e.type() == AuthEventType.REFRESH_ERROR;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        state = getRuntimeContext().getState(stateDescriptor());
        episode = getRuntimeContext().getState(episodeDescriptor());
        signalsOut = getRuntimeContext().getMetricGroup().counter("signals");
    }

    /**
     * The per-service state. No TTL: it is read and written for every event, and TTL's incremental
     * cleanup copied it on each access (measured: most of the detector's cost); there is one per
     * token service, a bounded set.
     */
    public static ValueStateDescriptor<RefreshStormState> stateDescriptor() {
        return new ValueStateDescriptor<>("refresh-storm", RefreshStormState.class);
    }

    /** The episode state; TTL is a backstop only: every episode ends by CLEAR or no data. */
    public static ValueStateDescriptor<AuthEpisode> episodeDescriptor() {
        ValueStateDescriptor<AuthEpisode> d =
                new ValueStateDescriptor<>("refresh-storm-episode", AuthEpisode.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(7)).build());
        return d;
    }

    @Override
    protected void onOrdered(AuthEvent e, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        long ts = e.ts(); // ctx.timestamp() is the end of the ordering granule
        RefreshStormState s = state.value();
        if (s == null) s = newState(e.service());
        if (s.bucketStart >= 0 && ts >= s.bucketStart + bucketMs) {
            closeBucket(s, ctx, out);
        }
        if (s.bucketStart < 0) {
            s.bucketStart = Math.floorDiv(ts, bucketMs) * bucketMs;
            ctx.timerService().registerEventTimeTimer(s.bucketStart + bucketMs);
        }
        s.lastSeen = ts;
        s.sessions.add(ts, e.sessionId());
        if (e.type() == AuthEventType.LOGOUT) {
            // A state restored from before logouts were counted has no sketch for them yet.
            if (s.loggedOut == null) s.loggedOut = sessionWindow();
            s.loggedOut.add(ts, e.sessionId());
        }
        if (isRefresh(e)) {
            s.bucketRefreshes++;
            s.bucket.add(e);
        }
        state.update(s);
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        RefreshStormState s = state.value();
        if (s == null) return;
        if (s.bucketStart >= 0 && timestamp == s.bucketStart + bucketMs) {
            closeBucket(s, ctx, out);
            state.update(s);
        }
        // Checked on the service's state first: every buffered instant ends in this call.
        if (timestamp != s.noDataTimer) return;
        s.noDataTimer = -1; // this timer has fired
        long silentUntil = s.lastSeen + settings.noDataAfter().toMillis();
        if (timestamp < silentUntil) {
            armNoDataTimer(ctx, s);
            state.update(s);
            return;
        }
        state.update(s);
        AuthEpisode ep = episode.value();
        if (ep == null) return;
        if (ep.open) {
            EpisodeMachine.Findings findings = evidence(s, ep);
            findings.lines()
                    .add(
                            String.format(
                                    Locale.ROOT,
                                    "no token events since %s (no-data limit %s)",
                                    Instant.ofEpochMilli(s.lastSeen),
                                    DurationText.format(settings.noDataAfter())));
            emit(
                    out,
                    machine.signal(
                            ep,
                            s.service,
                            SUBJECT,
                            MEASURED,
                            SignalState.CLEAR,
                            timestamp,
                            findings,
                            s.lastSeen));
        }
        episode.clear();
    }

    private RefreshStormState newState(String service) {
        RefreshStormState s = new RefreshStormState();
        s.service = service;
        s.baseline = new BaselineState();
        s.sessions = sessionWindow();
        s.loggedOut = sessionWindow();
        s.bucket = new HeavyHitters(settings.heavyHitters());
        s.reference = new HeavyHitters(settings.heavyHitters());
        s.previousReference = new HeavyHitters(settings.heavyHitters());
        return s;
    }

    private SlidingDistinctCount sessionWindow() {
        return new SlidingDistinctCount(settings.tokenLifetime(), SESSION_PANES);
    }

    /**
     * Sessions that hold a token at {@code now}: those seen in the last token lifetime (a live
     * session refreshes within every lifetime) less those that logged out in it. Both sketches
     * cover the same panes, so a session's logout is in the window whenever its last grant is. A
     * session that ends without a logout counts until its last token expires.
     */
    private static double liveSessions(RefreshStormState s, long now) {
        double seen = s.sessions.estimate(now);
        return s.loggedOut == null ? seen : Math.max(0, seen - s.loggedOut.estimate(now));
    }

    /** Judges the bucket being counted, then starts afresh; the caller writes {@code s} back. */
    private void closeBucket(RefreshStormState s, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        long start = s.bucketStart;
        long end = start + bucketMs;
        long n = s.bucketRefreshes;
        double sessions = liveSessions(s, end - 1);
        double perLifetime = sessions * bucketMs / lifetimeMs; // one refresh per session
        double allowed = perLifetime * settings.slack();
        Score score = baseline.score(s.baseline, start, n);
        double ratio = AuthEvents.ratio(n, score.expected());
        boolean stormy =
                score.warm()
                        && score.deviation() >= settings.minDeviation()
                        && ratio >= settings.minRatio()
                        && n > allowed;
        long creepSince = creep(s, score, ratio, n, perLifetime, start, end);
        boolean calm = !score.warm() || ratio <= settings.clearRatio() || n <= perLifetime;

        AuthEpisode ep = episode.value();
        if (EpisodeMachine.breaks(ep, stormy)) {
            // Not sustained: a short spike. Forget it; this bucket is judged as a normal one.
            dropEpisode(ctx, s);
            ep = null;
        }
        if (ep == null && (stormy || creepSince >= 0)) {
            // A slow onset opens at once, from the start of the test's run (sustain has passed).
            ep = EpisodeMachine.start(stormy ? start : creepSince);
            ep.creepOpened = !stormy;
            ep.hitters = new HeavyHitters(settings.heavyHitters());
            armNoDataTimer(ctx, s);
        }
        if (ep == null) {
            baseline.update(s.baseline, start, n);
            s.reference.merge(s.bucket);
            s.referenceBuckets++;
            if (s.referenceBuckets * bucketMs >= settings.reference().toMillis()) {
                HeavyHitters recycled = s.previousReference;
                recycled.clear();
                s.previousReference = s.reference;
                s.previousReferenceBuckets = s.referenceBuckets;
                s.reference = recycled;
                s.referenceBuckets = 0;
            }
        } else {
            EpisodeMachine.record(ep, end, n, score.expected(), score.deviation());
            ep.hitters.merge(s.bucket);
            ep.lastSessions = sessions;
            ep.lastAllowed = allowed;
            boolean held = ep.creepOpened && creep.holds(s.creep);
            Signal report =
                    machine.judge(
                            ep,
                            calm && !held,
                            start,
                            end,
                            s.service,
                            SUBJECT,
                            MEASURED,
                            e -> evidence(s, e));
            if (report != null) emit(out, report);
            if (report != null && report.state() == SignalState.CLEAR) {
                dropEpisode(ctx, s);
                s.creep = 0;
                s.creepSince = -1;
            } else {
                episode.update(ep);
            }
        }
        s.bucket.clear();
        s.bucketRefreshes = 0;
        s.bucketStart = -1;
    }

    /**
     * Feeds the bucket to the slow-onset test ({@link CreepTest}).
     *
     * @return the start of the run that alarms at this bucket, or -1: the test alarms, its run has
     *     lasted {@code sustain}, and the bucket is above one refresh per live session and lifetime
     *     and the test's share of {@code minDeviation} and {@code minRatio} above the baseline
     */
    private long creep(
            RefreshStormState s,
            Score score,
            double ratio,
            long n,
            double perLifetime,
            long start,
            long end) {
        if (s.firstSeen < 0) s.firstSeen = start;
        if (!score.warm() || !creep.runs(s.firstSeen, start)) return -1;
        double d = score.deviation();
        double before = s.creep;
        s.creep = creep.next(before, d, settings.minDeviation());
        s.creepSince = CreepTest.runStart(s.creepSince, before, s.creep, start);
        if (!creep.alarms(s.creep, d) || end - s.creepSince < settings.sustain().toMillis()) {
            return -1;
        }
        boolean enough =
                n > perLifetime
                        && d >= creep.margin() * settings.minDeviation()
                        && ratio >= 1 + creep.margin() * (settings.minRatio() - 1);
        return enough ? s.creepSince : -1;
    }

    private void armNoDataTimer(OnTimerContext ctx, RefreshStormState s) {
        s.noDataTimer =
                AuthEvents.roundUp(
                        s.lastSeen + settings.noDataAfter().toMillis(), TIMER_ROUNDING_MS);
        ctx.timerService().registerEventTimeTimer(s.noDataTimer);
    }

    private void dropEpisode(OnTimerContext ctx, RefreshStormState s) throws Exception {
        // The bucket timer may share the instant; it must survive.
        boolean bucketTimer = s.bucketStart >= 0 && s.noDataTimer == s.bucketStart + bucketMs;
        if (s.noDataTimer >= 0 && !bucketTimer) deleteOwnTimer(ctx, s.noDataTimer);
        s.noDataTimer = -1;
        episode.clear();
    }

    /** The facts every report carries: the latest bucket, the allowance, the heavy hitters. */
    private EpisodeMachine.Findings evidence(RefreshStormState s, AuthEpisode ep) {
        List<String> evidence = new ArrayList<>(8);
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "%,d refreshes %s, %s",
                        ep.last,
                        machine.latestBucket(ep),
                        machine.againstBaseline(ep)));
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "token lifetime %s allows about %s for about %,d active sessions (slack"
                                + " %s)",
                        DurationText.format(settings.tokenLifetime()),
                        AuthEvents.rate(ep.lastAllowed, bucketMs),
                        Math.round(ep.lastSessions),
                        num(settings.slack())));
        evidence.add(machine.since("stormy", ep));
        long excess = Math.round(ep.events - ep.expected);
        evidence.add(
                String.format(
                        Locale.ROOT,
                        "%,d refreshes since %s, %,d of them above the baseline",
                        ep.events,
                        Instant.ofEpochMilli(ep.onset),
                        excess));
        if (excess <= 0) return EpisodeMachine.Findings.of(evidence);
        HeavyHitters.Description hitters =
                ep.hitters.describe(
                        s.reference,
                        s.previousReference,
                        s.referenceBuckets + s.previousReferenceBuckets,
                        ep.buckets,
                        excess);
        evidence.addAll(hitters.lines());
        return new EpisodeMachine.Findings(evidence, hitters.top());
    }

    private void emit(Collector<Signal> out, Signal signal) {
        signalsOut.inc();
        out.collect(signal);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
