package io.incidentanalyzer.evaluate.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The NAB v1.1 scoring rules (docs/benchmarks.md#nab), over a corpus of scored files:
 *
 * <ul>
 *   <li>the first {@code min(floor(0.15·n), 750)} rows of a file are probationary and not scored;
 *   <li>a detection inside a window earns {@code A_TP·σ(y)/σ(−1)} with {@code y = −(right − i +
 *       1)/width}: the earlier in the window, the more; only a window's best detection counts and a
 *       window with none costs {@code −A_FN};
 *   <li>a detection outside every window costs {@code −A_FP} before the file's first window and
 *       {@code A_FP·σ(|i − prevRight|/(prevWidth − 1))} after one: little right after a window, the
 *       full cost far from it;
 *   <li>the normalised score is {@code 100·(S − S_null)/(S_perfect − S_null)} with {@code S_perfect
 *       = A_TP·windows} and {@code S_null = −A_FN·windows}.
 * </ul>
 *
 * {@link #best} sweeps every distinct anomaly score of the corpus as the threshold and keeps the
 * one with the highest score, as NAB chooses one threshold per detector and profile.
 */
public final class NabScorer {

    /** Share of a file's rows that are probationary. */
    static final double PROBATION_SHARE = 0.15;

    /** Probation never exceeds this many rows (0.15 of NAB's 5000-row reference length). */
    static final int PROBATION_MAX_ROWS = 750;

    private final List<NabFile> files;
    private final int windows;

    public NabScorer(List<NabFile> files) {
        this.files = List.copyOf(files);
        this.windows = files.stream().mapToInt(f -> f.windows().size()).sum();
    }

    public List<NabFile> files() {
        return files;
    }

    /** Labelled windows in the corpus. */
    public int windows() {
        return windows;
    }

    /** Rows of a file of {@code n} rows that are not scored. */
    static int probationRows(int n) {
        return (int) Math.min(Math.floor(PROBATION_SHARE * n), PROBATION_MAX_ROWS);
    }

    /** NAB's scaled sigmoid: 1 far left of 0, 0 at 0, −1 from 3 on. */
    static double scaledSigmoid(double x) {
        if (x > 3.0) return -1.0;
        return 2.0 / (1.0 + Math.exp(5.0 * x)) - 1.0;
    }

    /**
     * What a detection at each scored row would earn under {@code profile}, and the window it
     * belongs to (-1 outside every window). Rows {@code 0..probation-1} are left out.
     */
    record RowWeights(int firstScored, double[] weight, int[] window) {}

    static RowWeights weights(NabFile file, NabProfile profile) {
        int n = file.rows();
        double[] weight = new double[n];
        int[] window = new int[n];
        double maxTp = scaledSigmoid(-1.0);
        List<NabFile.RowWindow> ws = file.windows();
        int next = 0;
        NabFile.RowWindow prev = null;
        for (int i = 0; i < n; i++) {
            while (next < ws.size() && ws.get(next).right() < i) {
                prev = ws.get(next++);
            }
            NabFile.RowWindow in =
                    next < ws.size() && ws.get(next).contains(i) ? ws.get(next) : null;
            if (in != null) {
                double y = -(in.right() - i + 1.0) / in.width();
                weight[i] = profile.tpWeight() * scaledSigmoid(y) / maxTp;
                window[i] = next;
            } else {
                double u =
                        prev == null
                                ? -1.0
                                : scaledSigmoid(Math.abs(prev.right() - i) / (prev.width() - 1.0));
                weight[i] = profile.fpWeight() * u;
                window[i] = -1;
            }
        }
        return new RowWeights(probationRows(n), weight, window);
    }

    /** The score of one file at a threshold: windows found, false positives and the raw total. */
    public record FileScore(
            String name, int rows, int windows, int detected, int falsePositives, double raw) {}

    /** The corpus score under one profile at one threshold. */
    public record Result(
            NabProfile profile,
            double threshold,
            double raw,
            double normalised,
            List<FileScore> files) {

        /** Windows found in all files. */
        public int detected() {
            return files.stream().mapToInt(FileScore::detected).sum();
        }

        /** False positives in all files. */
        public int falsePositives() {
            return files.stream().mapToInt(FileScore::falsePositives).sum();
        }
    }

    /** Scores the corpus with detections where {@code score >= threshold}. */
    public Result at(NabProfile profile, double threshold) {
        List<FileScore> perFile = new ArrayList<>();
        double total = 0;
        for (NabFile f : files) {
            RowWeights rw = weights(f, profile);
            double[] best = new double[f.windows().size()];
            Arrays.fill(best, -profile.fnWeight());
            boolean[] found = new boolean[best.length];
            double fp = 0;
            int fpCount = 0;
            for (int i = rw.firstScored(); i < f.rows(); i++) {
                if (!(f.scores()[i] >= threshold)) continue;
                int w = rw.window()[i];
                if (w < 0) {
                    fp += rw.weight()[i];
                    fpCount++;
                } else {
                    found[w] = true;
                    best[w] = Math.max(best[w], rw.weight()[i]);
                }
            }
            double raw = fp + Arrays.stream(best).sum();
            int detected = 0;
            for (boolean b : found) if (b) detected++;
            perFile.add(new FileScore(f.name(), f.rows(), best.length, detected, fpCount, raw));
            total += raw;
        }
        return new Result(profile, threshold, total, normalise(profile, total), perFile);
    }

    /**
     * The best threshold for {@code profile}: every distinct score of the corpus is tried, highest
     * first; ties keep the higher threshold. With no detection at all the threshold is 1.1.
     */
    public Result best(NabProfile profile) {
        int total = files.stream().mapToInt(f -> f.rows() - probationRows(f.rows())).sum();
        double[] score = new double[total];
        double[] weight = new double[total];
        int[] window = new int[total];
        int k = 0;
        int windowBase = 0;
        for (NabFile f : files) {
            RowWeights rw = weights(f, profile);
            for (int i = rw.firstScored(); i < f.rows(); i++, k++) {
                score[k] = f.scores()[i];
                weight[k] = rw.weight()[i];
                window[k] = rw.window()[i] < 0 ? -1 : windowBase + rw.window()[i];
            }
            windowBase += f.windows().size();
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));

        double[] bestInWindow = new double[windowBase];
        Arrays.fill(bestInWindow, -profile.fnWeight());
        double sum = -profile.fnWeight() * windowBase;
        double bestSum = sum;
        double bestThreshold = 1.1;
        int i = 0;
        while (i < total) {
            double threshold = score[order[i]];
            if (Double.isNaN(threshold)) break;
            while (i < total && score[order[i]] == threshold) {
                int p = order[i++];
                if (window[p] < 0) {
                    sum += weight[p];
                } else if (weight[p] > bestInWindow[window[p]]) {
                    sum += weight[p] - bestInWindow[window[p]];
                    bestInWindow[window[p]] = weight[p];
                }
            }
            if (sum > bestSum) {
                bestSum = sum;
                bestThreshold = threshold;
            }
        }
        return at(profile, bestThreshold);
    }

    /** {@code 100·(raw − S_null)/(S_perfect − S_null)}. */
    public double normalise(NabProfile profile, double raw) {
        double nullScore = -profile.fnWeight() * windows;
        double perfect = profile.tpWeight() * windows;
        return 100.0 * (raw - nullScore) / (perfect - nullScore);
    }
}
