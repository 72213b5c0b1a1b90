package io.incidentanalyzer.evaluate.nezha;

import io.incidentanalyzer.correlate.rank.Anomaly;
import io.incidentanalyzer.correlate.rank.Candidate;
import io.incidentanalyzer.correlate.rank.RootCauseRanker;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.evaluate.rca.RcaOutcome;
import io.incidentanalyzer.evaluate.rca.Series;
import io.incidentanalyzer.evaluate.rca.SeriesEvidence;
import io.incidentanalyzer.evaluate.rca.SeriesEvidence.Rows;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate rca --nezha DIR}: the root-cause ranking on Nezha's OnlineBoutique faults, read
 * with {@link NezhaDay}. Per day, every series learns the shared streaming {@link Baseline} on its
 * fault-free rows (every row but the {@value #QUIET_MIN} minutes from each injection), moved back a
 * whole day so that the learned state precedes every fault. At each injection, each series' move
 * over the {@value #WINDOW_MIN} minutes after it, against the {@value #REFERENCE_MIN} minutes
 * before, is its evidence ({@link SeriesEvidence}), and the {@link RootCauseRanker} — the one the
 * streaming correlator uses — ranks every anomalous service on the day's call graph. The true cause
 * is the injected pod's service. One setting for every fault and day.
 */
public final class NezhaEvaluation {
    static final long MIN = 60_000L;
    private static final long DAY_MS = 86_400_000L;

    /** Minutes after an injection read as the fault's window (faults last about 3 minutes). */
    static final int WINDOW_MIN = 4;

    /** Minutes before an injection read as the reference. */
    static final int REFERENCE_MIN = 4;

    /** Minutes from an injection left out of learning (the fault and its recovery). */
    static final int QUIET_MIN = 6;

    private final List<Path> days;
    private final Baseline baseline;
    private final RootCauseRanker ranker = RootCauseRanker.defaults();

    private NezhaEvaluation(List<Path> days, BaselineSettings settings) {
        this.days = days;
        this.baseline = new Baseline(settings);
    }

    /** The data folder (holding day folders) or one day folder. */
    public static NezhaEvaluation open(Path dir, BaselineSettings settings) {
        return new NezhaEvaluation(NezhaDay.days(dir), settings);
    }

    /** Ranks at every injection of every day. */
    public List<RcaOutcome> run() {
        List<RcaOutcome> out = new ArrayList<>();
        for (Path d : days) out.addAll(run(NezhaDay.read(d)));
        return out;
    }

    List<RcaOutcome> run(NezhaDay day) {
        Map<Series, BaselineState> learned = new LinkedHashMap<>();
        Map<Series, Double> usual = new LinkedHashMap<>();
        long[] quiet = quietStarts(day);
        day.series()
                .forEach(
                        (s, rows) -> {
                            BaselineState state = learn(rows, day.faults());
                            learned.put(s, state);
                            usual.put(
                                    s,
                                    SeriesEvidence.usualMove(
                                            baseline,
                                            state,
                                            s,
                                            rows,
                                            quiet,
                                            REFERENCE_MIN * MIN,
                                            WINDOW_MIN * MIN));
                        });
        List<RcaOutcome> out = new ArrayList<>();
        for (NezhaDay.Fault f : day.faults()) {
            List<Candidate> ranking =
                    ranker.rank(day.graph(), evidence(day, learned, usual, f.at()), List.of());
            String id = day.name() + " " + Instant.ofEpochMilli(f.at()) + " " + f.pod();
            out.add(RcaOutcome.of(f.type(), id, f.service(), ranking));
        }
        return out;
    }

    /** Every series' anomaly around an injection at {@code at}. */
    List<Anomaly> evidence(
            NezhaDay day, Map<Series, BaselineState> learned, Map<Series, Double> usual, long at) {
        List<Anomaly> out = new ArrayList<>();
        day.series()
                .forEach(
                        (s, rows) -> {
                            Anomaly a =
                                    SeriesEvidence.evidence(
                                            baseline,
                                            learned.get(s),
                                            s,
                                            rows,
                                            at - REFERENCE_MIN * MIN,
                                            at,
                                            at + WINDOW_MIN * MIN,
                                            usual.get(s));
                            if (a != null) out.add(a);
                        });
        return out;
    }

    /**
     * Every minute of the day at which a reference and window of the evaluation's shape hold no
     * fault: where the series' usual moves are measured.
     */
    static long[] quietStarts(NezhaDay day) {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (SeriesEvidence.Rows r : day.series().values()) {
            if (r.ts().length == 0) continue;
            from = Math.min(from, r.ts()[0]);
            to = Math.max(to, r.ts()[r.ts().length - 1]);
        }
        List<Long> starts = new ArrayList<>();
        for (long t = from + REFERENCE_MIN * MIN; t + WINDOW_MIN * MIN <= to; t += MIN) {
            boolean clear = true;
            for (NezhaDay.Fault f : day.faults()) {
                if (f.at() + QUIET_MIN * MIN > t - REFERENCE_MIN * MIN
                        && f.at() < t + WINDOW_MIN * MIN) {
                    clear = false;
                    break;
                }
            }
            if (clear) starts.add(t);
        }
        return starts.stream().mapToLong(Long::longValue).toArray();
    }

    /** The baseline learned on the rows outside every fault, a day earlier. */
    BaselineState learn(Rows rows, List<NezhaDay.Fault> faults) {
        int n = 0;
        long[] ts = new long[rows.ts().length];
        double[] v = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (inFault(rows.ts()[i], faults)) continue;
            ts[n] = rows.ts()[i];
            v[n++] = rows.values()[i];
        }
        return SeriesEvidence.learn(
                baseline,
                new Rows(java.util.Arrays.copyOf(ts, n), java.util.Arrays.copyOf(v, n)),
                -DAY_MS);
    }

    private static boolean inFault(long t, List<NezhaDay.Fault> faults) {
        for (NezhaDay.Fault f : faults) {
            if (t >= f.at() && t < f.at() + QUIET_MIN * MIN) return true;
        }
        return false;
    }
}
