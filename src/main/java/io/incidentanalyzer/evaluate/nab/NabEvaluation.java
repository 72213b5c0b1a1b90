package io.incidentanalyzer.evaluate.nab;

import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code evaluate nab}: scores a detector on a NAB corpus, either by running the baseline core over
 * every labelled file (one setting for all, the labels never reach it) or by reading a detector's
 * published result files. Prints a per-file table and one summary line.
 */
public final class NabEvaluation {

    /** The name our detector's result files carry. */
    public static final String BASELINE = "baseline";

    private final NabScorer scorer;
    private final String detector;

    private NabEvaluation(String detector, List<NabFile> files) {
        this.detector = detector;
        this.scorer = new NabScorer(files);
    }

    /** Runs the baseline core with {@code settings} over every file of the corpus. */
    public static NabEvaluation runBaseline(NabCorpus corpus, BaselineSettings settings) {
        Baseline baseline = new Baseline(settings);
        List<NabFile> files = new ArrayList<>();
        for (String name : corpus.names()) {
            NabFile data = corpus.readData(name);
            files.add(data.withScores(anomalyScores(baseline, data.timestamps(), data.values())));
        }
        return new NabEvaluation(BASELINE, files);
    }

    /** Reads a detector's result files ({@code results/<Detector>}) for every corpus file. */
    public static NabEvaluation readResults(NabCorpus corpus, Path results) {
        List<NabFile> files = new ArrayList<>();
        for (String name : corpus.names()) files.add(corpus.readResult(results, name));
        return new NabEvaluation(results.getFileName().toString(), files);
    }

    /**
     * The anomaly score of each sample of one series, streamed in file order through a fresh state
     * with each row's own timestamp.
     */
    public static double[] anomalyScores(Baseline baseline, long[] ts, double[] values) {
        BaselineState state = new BaselineState();
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            // Where time goes back (NAB's machine_temperature repeats an hour) the baseline counts
            // no time as passed and keeps its clock at the latest row: the repeated rows are scored
            // and weigh as little as samples arriving together. The timestamps stay the file's own,
            // as NAB gives them to every detector, because the daily season is read from them.
            scores[i] = baseline.update(state, ts[i], values[i]).anomaly();
        }
        return scores;
    }

    public String detector() {
        return detector;
    }

    public NabScorer scorer() {
        return scorer;
    }

    /** Writes every file in NAB result format under {@code out}; returns the folder. */
    public Path writeResults(Path out) {
        for (NabFile f : scorer.files()) NabCorpus.writeResult(out, detector, f);
        return out;
    }

    /** The best threshold's result for each profile, in {@link NabProfile#ALL} order. */
    public List<NabScorer.Result> best() {
        return NabProfile.ALL.stream().map(scorer::best).toList();
    }

    /** Per-file table at the standard profile's best threshold, then one line per profile. */
    public List<String> table(List<NabScorer.Result> best) {
        List<String> lines = new ArrayList<>();
        NabScorer.Result standard = best.get(0);
        int width = standard.files().stream().mapToInt(f -> f.name().length()).max().orElse(4);
        String format = "%-" + width + "s %6s %7s %8s %4s %9s";
        lines.add(
                String.format(
                        Locale.ROOT,
                        format,
                        "FILE",
                        "ROWS",
                        "WINDOWS",
                        "DETECTED",
                        "FP",
                        "STANDARD"));
        for (NabScorer.FileScore f : standard.files()) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            format,
                            f.name(),
                            f.rows(),
                            f.windows(),
                            f.detected(),
                            f.falsePositives(),
                            String.format(Locale.ROOT, "%.3f", f.raw())));
        }
        lines.add("");
        for (NabScorer.Result r : best) {
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "%-19s threshold=%.6f raw=%.4f normalised=%.2f windows=%d/%d fp=%d",
                            r.profile().name(),
                            r.threshold(),
                            r.raw(),
                            r.normalised(),
                            r.detected(),
                            scorer.windows(),
                            r.falsePositives()));
        }
        return lines;
    }

    /** {@code NAB standard=X reward_low_FP_rate=Y reward_low_FN_rate=Z}, two decimals. */
    public static String summaryLine(List<NabScorer.Result> best) {
        StringBuilder line = new StringBuilder("NAB");
        for (NabScorer.Result r : best) {
            line.append(' ')
                    .append(r.profile().name())
                    .append('=')
                    .append(String.format(Locale.ROOT, "%.2f", r.normalised()));
        }
        return line.toString();
    }
}
