package io.incidentanalyzer.detect;

import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.config.ErrorPatternSettings;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.baseline.Score;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Flags a log-message template of a service that is new or surging. Keyed by service; lines are
 * seen in event-time order (see {@link EventTimeOrderedFunction}).
 *
 * <p>Every line is mined into the service's templates ({@link TemplateMiner}, Drain-style), so that
 * INFO lines are known templates later. Each template counts its lines in buckets; a ring of one
 * window's buckets gives its current rate (lines in the last window), and each finished bucket is
 * learned by a {@link Baseline} of the template's usual lines per bucket. Only a line at one of the
 * {@code levels} (WARN and ERROR by default) can open a signal, and only when its template has at
 * least {@code minCount} lines in the window:
 *
 * <ul>
 *   <li><b>new</b>: the template's baseline has too little history to judge (it was never, or
 *       hardly ever, seen) and it first appeared after the service had logged for {@code warmup}: a
 *       freshly started job, or a service just come up, knows nothing yet and flags nothing. Only a
 *       template's first signal can be for being new: once flagged, it is known, so a rate hovering
 *       at {@code minCount} does not flap;
 *   <li><b>surging</b>: its rate is at least {@code surgeDeviation} robust z-scores and {@code
 *       surgeRatio} times over its baseline.
 * </ul>
 *
 * <p>An open signal stays while its template keeps at least {@code minCount} lines and {@code
 * surgeRatio} times its usual rate in the window, reports UPDATE when the rate doubles its last
 * reported peak, and clears {@code clearAfter} after the last line that met that level (one timer
 * per service, only while a signal is open). State per service: at most {@code maxTemplates}
 * templates of bounded size; a template not seen for {@code forgetAfter} is dropped, and past
 * {@code maxTemplates} the one with the lowest recent rate (the {@code templatesEvicted} counter
 * counts both), clearing its signal if one was open.
 */
public class ErrorPatternDetector extends EventTimeOrderedFunction<LogEvent, Signal> {
    private static final long serialVersionUID = 1L;
    private static final long TIMER_ROUNDING_MS = 1000;
    static final int SUBJECT_CHARS = 80;
    static final int EXAMPLE_CHARS = 200;

    private static final Comparator<LogEvent> TIE_BREAK =
            Comparator.comparing(LogEvent::message, Comparator.nullsFirst(String::compareTo))
                    .thenComparing(LogEvent::level, Comparator.nullsFirst(String::compareTo));

    private final String environment;
    private final ErrorPatternSettings settings;

    private transient TemplateMiner miner;
    private transient Baseline baseline;
    private transient Set<String> levels;
    private transient long bucketMs;
    private transient int slots;
    private transient ValueState<TemplateBook> books;
    private transient Counter signalsOut;
    private transient Counter templatesEvicted;

    public ErrorPatternDetector(String environment, ErrorPatternSettings settings) {
        super(LogEvent.class);
        this.environment = environment;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        miner = TemplateMiner.of(settings);
        baseline = new Baseline(baselineSettings(settings));
        levels = new HashSet<>(settings.levels());
        bucketMs = settings.bucket().toMillis();
        slots = settings.bucketsPerWindow();
        ValueStateDescriptor<TemplateBook> d =
                new ValueStateDescriptor<>("templates", TemplateBook.class);
        // The book is the service's learned vocabulary: it lives as long as the service logs.
        // Backstop for services that are gone for good (processing time, far beyond a replay).
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(7)).build());
        books = getRuntimeContext().getState(d);
        signalsOut = getRuntimeContext().getMetricGroup().counter("signals");
        templatesEvicted = getRuntimeContext().getMetricGroup().counter("templatesEvicted");
    }

    /** A template's baseline: lines per bucket, flat (no daily profile: templates are sparse). */
    static BaselineSettings baselineSettings(ErrorPatternSettings s) {
        BaselineSettings d = BaselineSettings.DEFAULTS;
        return new BaselineSettings(
                s.halfLife(), d.warmup(), Duration.ZERO, 1, 1, d.relativeFloor());
    }

    @Override
    protected Comparator<LogEvent> tieBreak() {
        return TIE_BREAK;
    }

    @Override
    protected String describe(LogEvent e) {
        return e.service() + " " + e.level() + " " + shorten(e.message(), EXAMPLE_CHARS);
    }

    @Override
    protected void onOrdered(LogEvent e, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        long ts = ctx.timestamp();
        TemplateBook book = books.value();
        if (book == null) {
            book = new TemplateBook();
            book.firstSeen = ts;
        }
        TemplateMiner.Learned learned = miner.learn(book, e.message(), ts);
        for (LogTemplate evicted : learned.evicted()) {
            templatesEvicted.inc();
            if (evicted.open) {
                List<String> evidence = evidence(evicted);
                evidence.add(dropped(evicted, ts));
                emit(out, e.service(), evicted, SignalState.CLEAR, ts, evidence);
            }
        }
        LogTemplate t = learned.template();
        count(t, ts);
        t.example = shorten(e.message(), EXAMPLE_CHARS);
        if (e.level() != null && levels.contains(e.level())) {
            judge(book, t, e.service(), ts, ctx, out);
        }
        books.update(book);
    }

    /** Why the miner dropped a template, for the evidence of the signal that clears with it. */
    private String dropped(LogTemplate t, long ts) {
        if (ts - t.lastSeen >= settings.forgetAfter().toMillis()) {
            return "template dropped: not seen for "
                    + DurationText.format(settings.forgetAfter())
                    + " (detectors.errorPatterns.forgetAfter)";
        }
        return "template dropped: the service has more than "
                + settings.maxTemplates()
                + " templates and this one had the lowest recent rate"
                + " (detectors.errorPatterns.maxTemplates)";
    }

    /** Adds the line to its bucket; a finished bucket (and any empty ones since) is learned. */
    private void count(LogTemplate t, long ts) {
        long bucket = Math.floorDiv(ts, bucketMs) * bucketMs;
        if (t.ring == null) {
            t.ring = new int[slots];
            t.baseline = new BaselineState();
            t.bucketStart = bucket;
        } else if (bucket > t.bucketStart) {
            baseline.update(t.baseline, t.bucketStart, t.ring[slot(t.bucketStart)]);
            long steps = (bucket - t.bucketStart) / bucketMs;
            if (steps > 1) {
                // The empty buckets in between, learned as one zero: the baseline weighs a
                // sample by the event time it covers, so one zero stands for the whole gap.
                baseline.update(t.baseline, bucket - bucketMs, 0);
            }
            for (long k = 0; k < Math.min(steps, slots); k++) {
                t.ring[slot(bucket - k * bucketMs)] = 0;
            }
            t.bucketStart = bucket;
        }
        t.ring[slot(bucket)]++;
    }

    private int slot(long bucketStart) {
        return (int) Math.floorMod(bucketStart / bucketMs, (long) slots);
    }

    /** Lines of the template in the window that ends with the bucket of {@code ts}. */
    private int windowCount(LogTemplate t, long ts) {
        if (t.ring == null) return 0;
        long oldest = Math.floorDiv(ts, bucketMs) * bucketMs - (slots - 1) * bucketMs;
        int sum = 0;
        for (int k = 0; k < slots; k++) {
            long bucket = t.bucketStart - k * bucketMs;
            if (bucket < oldest) break;
            sum += t.ring[slot(bucket)];
        }
        return sum;
    }

    private void judge(
            TemplateBook book,
            LogTemplate t,
            String service,
            long ts,
            OnTimerContext ctx,
            Collector<Signal> out) {
        int count = windowCount(t, ts);
        if (t.open) {
            if (hot(t, count)) t.lastHot = ts;
            if (count > t.peak) {
                t.peak = count;
                t.peakTs = ts;
            }
            if (t.peak >= 2 * t.lastReportedPeak) {
                emit(out, service, t, SignalState.UPDATE, ts, evidence(t));
                t.lastReportedPeak = t.peak;
            }
            return;
        }
        if (count < settings.minCount()) return;
        boolean isNew;
        double expected;
        double deviation = Double.NaN;
        if (t.baseline.samples < baseline.settings().warmup()) {
            // Too little history to have a usual rate: it is new, unless the service itself
            // had not logged long enough for anything to count as known, or it was flagged
            // before (then it is known, and waits for a baseline to be judged by).
            if (t.episodes > 0 || t.firstSeen - book.firstSeen < settings.warmup().toMillis()) {
                return;
            }
            isNew = true;
            expected = 0;
        } else {
            double rate = (double) count / slots;
            Score s = baseline.score(t.baseline, ts, rate);
            if (!s.warm()
                    || s.deviation() < settings.surgeDeviation()
                    || rate < settings.surgeRatio() * s.expected()) {
                return;
            }
            isNew = false;
            expected = Math.max(0, s.expected()) * slots;
            deviation = s.deviation();
        }
        t.open = true;
        t.episodes++;
        t.isNew = isNew;
        t.expected = expected;
        t.onset = isNew ? t.firstSeen : ts;
        t.openCount = count;
        t.peak = count;
        t.peakTs = ts;
        t.lastReportedPeak = count;
        t.lastHot = ts;
        t.subject = shorten(t.text(), SUBJECT_CHARS);
        t.signalId = "error-pattern:" + environment + ":" + service + "/t" + t.id + ":" + t.onset;
        List<String> evidence = evidence(t);
        if (!isNew) {
            evidence.add(
                    String.format(Locale.ROOT, "robust z-score %.1f over its baseline", deviation));
        }
        emit(out, service, t, SignalState.OPEN, ts, evidence);
        armTimer(ctx, book, t.lastHot + settings.clearAfter().toMillis());
    }

    /** Whether the window still holds the level the signal is about. */
    private boolean hot(LogTemplate t, int count) {
        return count >= settings.minCount() && count >= settings.surgeRatio() * t.expected;
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        TemplateBook book = books.value();
        if (book == null || timestamp != book.timer) return;
        book.timer = -1; // fired: nothing to delete
        long clearMs = settings.clearAfter().toMillis();
        long next = Long.MAX_VALUE;
        String service = ctx.getCurrentKey();
        for (LogTemplate t : book.templates) {
            if (!t.open) continue;
            long due = t.lastHot + clearMs;
            if (due <= timestamp) {
                List<String> evidence = evidence(t);
                evidence.add(
                        String.format(
                                Locale.ROOT,
                                "below %d lines per %s since %s (clear after %s)",
                                threshold(t),
                                DurationText.format(settings.window()),
                                Instant.ofEpochMilli(t.lastHot),
                                DurationText.format(settings.clearAfter())));
                emit(out, service, t, SignalState.CLEAR, timestamp, evidence);
                endEpisode(t);
            } else {
                next = Math.min(next, due);
            }
        }
        if (next != Long.MAX_VALUE) armTimer(ctx, book, next);
        books.update(book);
    }

    private int threshold(LogTemplate t) {
        return (int) Math.max(settings.minCount(), Math.ceil(settings.surgeRatio() * t.expected));
    }

    private static void endEpisode(LogTemplate t) {
        t.open = false;
        t.signalId = null;
        t.subject = null;
        t.onset = -1;
        t.peakTs = -1;
        t.peak = 0;
        t.openCount = 0;
        t.lastReportedPeak = 0;
        t.expected = 0;
        t.lastHot = -1;
    }

    /** Registers the clear timer unless one is pending; a pending one re-arms itself in onTick. */
    private static void armTimer(OnTimerContext ctx, TemplateBook book, long due) {
        if (book.timer >= 0) return;
        book.timer =
                Math.floorDiv(due + TIMER_ROUNDING_MS - 1, TIMER_ROUNDING_MS) * TIMER_ROUNDING_MS;
        ctx.timerService().registerEventTimeTimer(book.timer);
    }

    private List<String> evidence(LogTemplate t) {
        List<String> evidence = new ArrayList<>(4);
        String window = DurationText.format(settings.window());
        if (t.isNew) {
            evidence.add(
                    String.format(
                            Locale.ROOT,
                            "new template \"%s\", first seen %s; %d lines in %s when flagged,"
                                    + " peak %d",
                            shorten(t.text(), EXAMPLE_CHARS),
                            Instant.ofEpochMilli(t.firstSeen),
                            t.openCount,
                            window,
                            t.peak));
        } else {
            evidence.add(
                    String.format(
                            Locale.ROOT,
                            "template \"%s\" surging: %d lines in %s vs %.1f usually; peak %d",
                            shorten(t.text(), EXAMPLE_CHARS),
                            t.openCount,
                            window,
                            t.expected,
                            t.peak));
        }
        evidence.add("example: " + t.example);
        return evidence;
    }

    private void emit(
            Collector<Signal> out,
            String service,
            LogTemplate t,
            SignalState state,
            long ts,
            List<String> evidence) {
        signalsOut.inc();
        out.collect(
                new Signal(
                        t.signalId,
                        SignalKind.ERROR_PATTERN,
                        environment,
                        service,
                        t.subject,
                        state,
                        ts,
                        t.onset,
                        t.peakTs,
                        t.peak,
                        windowCount(t, ts),
                        t.expected,
                        t.peak / Math.max(1.0, t.expected),
                        settings.severity(),
                        evidence,
                        state == SignalState.CLEAR ? t.lastHot >= 0 ? t.lastHot : t.lastSeen : -1,
                        Measured.logTemplate(),
                        null));
    }

    static String shorten(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
