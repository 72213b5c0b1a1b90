package io.incidentanalyzer.evaluate.nab;

import io.incidentanalyzer.detect.baseline.BaselineSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The per-category table of docs/benchmarks.md: the baseline core at its defaults on a NAB corpus,
 * scored at each profile's best threshold for the whole corpus (one threshold, as NAB chooses it),
 * then summed by category (the corpus folder: realTweets, realKnownCause, ...). A category's
 * normalised score uses its own windows for the null and perfect scores, at the corpus threshold.
 * Not a test (run it as {@link NabTools} says).
 */
public final class NabCategories {
    private NabCategories() {}

    public static void main(String[] args) {
        NabCorpus corpus = NabTools.corpus(args);
        NabEvaluation evaluation = NabEvaluation.runBaseline(corpus, BaselineSettings.DEFAULTS);
        List<NabScorer.Result> best = evaluation.best();
        System.out.println(
                "| category | files | windows | standard | found | FP | reward_low_FP_rate | found"
                        + " | FP | reward_low_FN_rate | found | FP |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (NabScorer.FileScore f : best.get(0).files()) {
            int[] c = counts.computeIfAbsent(NabTools.category(f.name()), k -> new int[2]);
            c[0]++;
            c[1] += f.windows();
        }
        counts.put("all", new int[] {best.get(0).files().size(), evaluation.scorer().windows()});
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            StringBuilder row =
                    new StringBuilder(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %d | %d |",
                                    e.getKey(),
                                    e.getValue()[0],
                                    e.getValue()[1]));
            for (NabScorer.Result r : best) {
                double raw = 0;
                int found = 0;
                int fps = 0;
                for (NabScorer.FileScore f : r.files()) {
                    if (!e.getKey().equals("all")
                            && !NabTools.category(f.name()).equals(e.getKey())) {
                        continue;
                    }
                    raw += f.raw();
                    found += f.detected();
                    fps += f.falsePositives();
                }
                int windows = e.getValue()[1];
                double nullScore = -r.profile().fnWeight() * windows;
                double perfect = r.profile().tpWeight() * windows;
                String normalised =
                        windows == 0
                                ? String.format(Locale.ROOT, "(raw %.2f)", raw)
                                : String.format(
                                        Locale.ROOT,
                                        "%.2f",
                                        100 * (raw - nullScore) / (perfect - nullScore));
                row.append(String.format(Locale.ROOT, " %s | %d | %d |", normalised, found, fps));
            }
            System.out.println(row);
        }
        System.out.println(NabEvaluation.summaryLine(best));
    }
}
