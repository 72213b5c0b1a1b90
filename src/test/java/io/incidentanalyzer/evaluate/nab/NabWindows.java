package io.incidentanalyzer.evaluate.nab;

import io.incidentanalyzer.detect.baseline.BaselineSettings;
import java.util.Locale;

/**
 * Diagnosis for docs/detectors.md: the baseline core at its defaults on a NAB corpus, window by
 * window at the standard profile's best threshold: each window's highest score and where it is, the
 * first detection (rows after the window's left edge, or MISS), and every false positive with its
 * row, score and value. Not a test (run it as {@link NabTools} says).
 */
public final class NabWindows {
    private NabWindows() {}

    public static void main(String[] args) {
        NabCorpus corpus = NabTools.corpus(args);
        NabEvaluation evaluation = NabEvaluation.runBaseline(corpus, BaselineSettings.DEFAULTS);
        NabScorer scorer = evaluation.scorer();
        NabScorer.Result standard = scorer.best(NabProfile.ALL.get(0));
        double threshold = standard.threshold();
        System.out.printf(
                Locale.ROOT, "standard %.2f at threshold %.4f%n", standard.normalised(), threshold);
        for (NabFile f : scorer.files()) {
            int probation = NabScorer.probationRows(f.rows());
            for (NabFile.RowWindow w : f.windows()) {
                double most = 0;
                int at = -1;
                int first = -1;
                for (int i = w.left(); i <= w.right(); i++) {
                    if (f.scores()[i] > most) {
                        most = f.scores()[i];
                        at = i - w.left();
                    }
                    if (first < 0 && f.scores()[i] >= threshold) first = i - w.left();
                }
                System.out.printf(
                        Locale.ROOT,
                        "%s window %d..%d (%d rows): highest %.3f at +%d, %s%n",
                        f.name(),
                        w.left(),
                        w.right(),
                        w.width(),
                        most,
                        Math.max(at, 0),
                        first < 0 ? "MISS" : "first detection at +" + first);
            }
            for (int i = probation; i < f.rows(); i++) {
                if (f.scores()[i] >= threshold && !f.labelled(i)) {
                    System.out.printf(
                            Locale.ROOT,
                            "%s false positive at row %d: score %.3f, value %s%n",
                            f.name(),
                            i,
                            f.scores()[i],
                            f.values()[i]);
                }
            }
        }
    }
}
