package io.incidentanalyzer.evaluate.rca;

import io.incidentanalyzer.correlate.rank.Anomaly;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.baseline.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one series around a fault as ranker evidence, the same way for every root-cause benchmark.
 * Each row is scored (without learning) against a {@link Baseline} state learned on fault-free
 * rows, as a robust z-score in the harmful direction. The median over the reference rows (just
 * before the fault) is subtracted, which absorbs an offset between the learning period and the
 * fault's; a window row is evidence by how many of the baseline's scales it lies beyond that
 * reference. The strongest move is put on the ranker's scale with {@link Anomaly#calibrate}; the
 * onset is the first window row at least {@link Anomaly#CALIBRATION_FLOOR} scales beyond; the
 * anomaly's {@link Anomaly#excess} is that row's value less the reference rows' median, in the
 * series' own unit.
 */
public final class SeriesEvidence {
    private SeriesEvidence() {}

    /**
     * The baseline's relative floor for root-cause evidence (the core's default, 0.02, is for
     * alerting). Every move here is already divided by the series' own usual move ({@link
     * #usualMove}), which is what keeps a noisy series from counting; the floor only has to keep a
     * series that never moved in fault-free data (an availability of exactly 100 %) from making
     * every wiggle infinite. At 0.02 a drop of 4 points from 100 % stays below {@link
     * Anomaly#CALIBRATION_FLOOR} scales however steady the series was (docs/benchmarks.md, PetShop:
     * the sweep).
     */
    public static final double RELATIVE_FLOOR = 0.002;

    /** The baseline core's defaults with {@link #RELATIVE_FLOOR}: every benchmark's evidence. */
    public static final BaselineSettings SETTINGS =
            BaselineSettings.DEFAULTS.withRelativeFloor(RELATIVE_FLOOR);

    /** The rows of one series: epoch ms and values (NaN where missing), equally long. */
    public record Rows(long[] ts, double[] values) {}

    /**
     * The series' anomaly in {@code [windowFrom, windowTo)}, against the reference rows in {@code
     * [referenceFrom, windowFrom)}; null when it moved less than the calibration floor. Moves are
     * measured against {@code usual}, the move the series makes by itself in fault-free windows of
     * the same shape ({@link #usualMove}; {@link Anomaly#CALIBRATION_FLOOR} when unknown): a move
     * counts as its scales times {@link Anomaly#CALIBRATION_FLOOR} / {@code usual}, so a series
     * that often jumps by 50 scales needs far more than 50 to count, while a steady one counts as
     * it is.
     */
    public static Anomaly evidence(
            Baseline baseline,
            BaselineState learned,
            Series series,
            Rows rows,
            long referenceFrom,
            long windowFrom,
            long windowTo,
            double usual) {
        double norm = Anomaly.CALIBRATION_FLOOR / Math.max(Anomaly.CALIBRATION_FLOOR, usual);
        long[] ts = rows.ts();
        double[] z = harmful(baseline, learned, series, rows, referenceFrom, windowTo);
        List<Double> reference = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            if (!Double.isNaN(z[i]) && ts[i] < windowFrom) {
                reference.add(z[i]);
                raw.add(rows.values()[i]);
            }
        }
        double ref = median(reference);
        double rawRef = median(raw);
        double best = 0;
        double excess = Double.NaN;
        long onset = Long.MAX_VALUE;
        for (int i = 0; i < z.length; i++) {
            if (Double.isNaN(z[i]) || ts[i] < windowFrom) continue;
            double move = (z[i] - ref) * norm;
            if (move < Anomaly.CALIBRATION_FLOOR) continue;
            onset = Math.min(onset, ts[i]);
            if (move > best) {
                best = move;
                if (!raw.isEmpty()) excess = series.harmful() * (rows.values()[i] - rawRef);
            }
        }
        if (onset == Long.MAX_VALUE) return null;
        String detail =
                String.format(
                        Locale.ROOT,
                        "%s%s %s %.1f scales",
                        series.metric(),
                        series.peer() == null ? "" : " to " + series.peer(),
                        series.harmful() > 0 ? "up" : "down",
                        best);
        return new Anomaly(
                series.node(),
                onset,
                Anomaly.calibrate(best),
                series.metric(),
                detail,
                series.facet(),
                series.peer(),
                excess);
    }

    /**
     * Each row in {@code [from, to)} scored against the learned state (without learning) as a
     * robust z-score in the harmful direction; NaN elsewhere, where missing or while the baseline
     * is cold.
     */
    private static double[] harmful(
            Baseline baseline,
            BaselineState learned,
            Series series,
            Rows rows,
            long from,
            long to) {
        long[] ts = rows.ts();
        double[] z = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            z[i] = Double.NaN;
            double x = rows.values()[i];
            if (Double.isNaN(x) || ts[i] < from || ts[i] >= to) continue;
            Score sc = baseline.score(learned, ts[i], x);
            if (sc.warm() && sc.scale() > Double.MIN_NORMAL)
                z[i] = series.harmful() * sc.deviation();
        }
        return z;
    }

    /** The share of fault-free windows whose move {@link #usualMove} stays at or below. */
    public static final double USUAL_QUANTILE = 0.95;

    /**
     * The move (in baseline scales, unnormalised) the series makes by itself: the {@value
     * #USUAL_QUANTILE} quantile, over windows starting at each of {@code starts}, of the largest
     * move in {@code [start, start + window)} against the reference {@code [start - reference,
     * start)}. The windows must hold no fault; never below {@link Anomaly#CALIBRATION_FLOOR}.
     */
    public static double usualMove(
            Baseline baseline,
            BaselineState learned,
            Series series,
            Rows rows,
            long[] starts,
            long reference,
            long window) {
        long[] ts = rows.ts();
        double[] z = harmful(baseline, learned, series, rows, Long.MIN_VALUE, Long.MAX_VALUE);
        List<Double> moves = new ArrayList<>();
        int lo = 0;
        for (long start : starts) {
            while (lo < ts.length && ts[lo] < start - reference) lo++;
            List<Double> ref = new ArrayList<>();
            double best = 0;
            for (int i = lo; i < ts.length && ts[i] < start + window; i++) {
                if (Double.isNaN(z[i])) continue;
                if (ts[i] < start) ref.add(z[i]);
            }
            double r = median(ref);
            for (int i = lo; i < ts.length && ts[i] < start + window; i++) {
                if (!Double.isNaN(z[i]) && ts[i] >= start) best = Math.max(best, z[i] - r);
            }
            moves.add(best);
        }
        if (moves.isEmpty()) return Anomaly.CALIBRATION_FLOOR;
        moves.sort(null);
        double q =
                moves.get(
                        (int)
                                Math.min(
                                        moves.size() - 1,
                                        Math.floor(USUAL_QUANTILE * moves.size())));
        return Math.max(Anomaly.CALIBRATION_FLOOR, q);
    }

    /** Learns {@code rows} into a fresh state, each timestamp moved by {@code shift} ms. */
    public static BaselineState learn(Baseline baseline, Rows rows, long shift) {
        BaselineState state = new BaselineState();
        for (int i = 0; i < rows.ts().length; i++) {
            double x = rows.values()[i];
            if (!Double.isNaN(x)) baseline.update(state, rows.ts()[i] + shift, x);
        }
        return state;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) return 0;
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
