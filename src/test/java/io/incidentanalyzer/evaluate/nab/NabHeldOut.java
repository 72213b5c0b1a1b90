package io.incidentanalyzer.evaluate.nab;

import io.incidentanalyzer.detect.baseline.BaselineSettings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The held-out split of docs/benchmarks.md#nab: the corpus cut in two halves fixed before any
 * tuning of issue 14's second round, so that a change tuned on one half can be scored on files it
 * was not tuned on. Within each category (the corpus folder) the files are ordered by {@link
 * String#hashCode} of their corpus-relative name (ties by name) and dealt alternately, the first to
 * the tuning half: every category is in both halves, and the split depends on nothing but the
 * names. Prints the full corpus, the AWS subset, the tuning half (each at its own best thresholds),
 * the held-out half at the tuning half's thresholds (the figure not in-sample) and at its own, and
 * the standard profile by category. Not a test (run it as {@link NabTools} says).
 */
public final class NabHeldOut {
    private NabHeldOut() {}

    /** Whether a file belongs to the tuning half; the others are held out. */
    static Map<String, Boolean> tuningHalf(List<String> names) {
        Map<String, List<String>> byCategory = new LinkedHashMap<>();
        for (String n : names)
            byCategory.computeIfAbsent(NabTools.category(n), k -> new ArrayList<>()).add(n);
        Map<String, Boolean> tuning = new LinkedHashMap<>();
        for (List<String> files : byCategory.values()) {
            List<String> ordered = new ArrayList<>(files);
            ordered.sort(
                    Comparator.comparingInt(String::hashCode)
                            .thenComparing(Comparator.naturalOrder()));
            for (int i = 0; i < ordered.size(); i++) tuning.put(ordered.get(i), i % 2 == 0);
        }
        return tuning;
    }

    public static void main(String[] args) {
        NabCorpus corpus = NabTools.corpus(args);
        report(NabEvaluation.runBaseline(corpus, BaselineSettings.DEFAULTS))
                .forEach(System.out::println);
    }

    /** The split's lines for one evaluation of the full corpus. */
    static List<String> report(NabEvaluation evaluation) {
        List<NabFile> files = evaluation.scorer().files();
        Map<String, Boolean> tuning = tuningHalf(files.stream().map(NabFile::name).toList());
        NabScorer all = evaluation.scorer();
        NabScorer aws = subset(files, f -> NabTools.category(f.name()).equals("realAWSCloudwatch"));
        NabScorer tune = subset(files, f -> tuning.get(f.name()));
        NabScorer held = subset(files, f -> !tuning.get(f.name()));
        List<String> lines = new ArrayList<>();
        List<NabScorer.Result> best = bestOf(all);
        lines.add(line("full corpus (in-sample)", best));
        lines.add(line("AWS subset (in-sample)", bestOf(aws)));
        List<NabScorer.Result> tuned = bestOf(tune);
        lines.add(line("tuning half (in-sample)", tuned));
        List<NabScorer.Result> heldAtTuned = new ArrayList<>();
        for (NabScorer.Result r : tuned) heldAtTuned.add(held.at(r.profile(), r.threshold()));
        lines.add(line("held-out half, tuning half's thresholds (not in-sample)", heldAtTuned));
        lines.add(line("held-out half, own thresholds", bestOf(held)));
        lines.add(
                String.format(
                        Locale.ROOT,
                        "files: tuning %d, held out %d",
                        tune.files().size(),
                        held.files().size()));
        lines.addAll(byCategory(best.get(0)));
        lines.add("tuning half by category:");
        lines.addAll(byCategory(tuned.get(0)));
        return lines;
    }

    private static NabScorer subset(List<NabFile> files, Predicate<NabFile> keep) {
        return new NabScorer(files.stream().filter(keep).toList());
    }

    private static List<NabScorer.Result> bestOf(NabScorer scorer) {
        return NabProfile.ALL.stream().map(scorer::best).toList();
    }

    private static String line(String what, List<NabScorer.Result> results) {
        StringBuilder b = new StringBuilder(what).append(':');
        for (NabScorer.Result r : results) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            " %s=%.2f (t=%.3f %d/%d fp=%d)",
                            r.profile().name(),
                            r.normalised(),
                            r.threshold(),
                            r.detected(),
                            r.files().stream().mapToInt(NabScorer.FileScore::windows).sum(),
                            r.falsePositives()));
        }
        return b.toString();
    }

    /** The standard profile by category at the corpus threshold: score, windows found, FPs. */
    private static List<String> byCategory(NabScorer.Result r) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (NabScorer.FileScore f : r.files()) {
            double[] s = sums.computeIfAbsent(NabTools.category(f.name()), k -> new double[4]);
            s[0] += f.raw();
            s[1] += f.windows();
            s[2] += f.detected();
            s[3] += f.falsePositives();
        }
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            double nullScore = -r.profile().fnWeight() * s[1];
            double perfect = r.profile().tpWeight() * s[1];
            String score =
                    s[1] == 0
                            ? String.format(Locale.ROOT, "raw %.2f", s[0])
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f",
                                    100 * (s[0] - nullScore) / (perfect - nullScore));
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "  %-22s %8s  %d/%d fp=%d",
                            e.getKey(),
                            score,
                            (int) s[2],
                            (int) s[1],
                            (int) s[3]));
        }
        return lines;
    }
}
