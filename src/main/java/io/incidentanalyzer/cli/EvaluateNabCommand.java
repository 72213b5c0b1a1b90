package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.evaluate.nab.NabCorpus;
import io.incidentanalyzer.evaluate.nab.NabEvaluation;
import io.incidentanalyzer.evaluate.nab.NabScorer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate nab --data DIR [--results DIR] [--out DIR]}: the NAB v1.1 score of the baseline
 * core (or of a detector's published result files) on a NAB corpus folder.
 */
@Command(
        name = "nab",
        mixinStandardHelpOptions = true,
        description = {
            "Scores a detector on a Numenta Anomaly Benchmark corpus.",
            "The rules are NAB v1.1's: three profiles, one threshold per profile swept over the"
                    + " whole corpus. Without --results it runs the baseline core, one setting for"
                    + " every file, and writes NAB result files. Rows are taken in file order, as"
                    + " NAB takes them; where a file's time goes back, one warning says where.",
            "The last line is NAB standard=X reward_low_FP_rate=Y reward_low_FN_rate=Z (the"
                    + " normalised scores)."
        })
final class EvaluateNabCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "NAB corpus folder with data/ and labels/combined_windows.json.")
    Path data;

    @Option(
            names = "--results",
            paramLabel = "DIR",
            description =
                    "Score these result files (<DIR>/<dir>/<detector>_<file>.csv, e.g."
                            + " results/ARTime) instead of running the detector.")
    Path results;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Where the detector's result files go (default:"
                            + " target/evaluate/nab/<detector>).")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NabCorpus corpus = NabCorpus.open(data, warning -> err.println("warning: " + warning));
        NabEvaluation evaluation;
        if (results != null) {
            if (!Files.isDirectory(results)) {
                throw new ConfigException(
                        results
                                + ": no such directory; pass a detector's results folder, e.g."
                                + " --results "
                                + data.resolve("results/ARTime"));
            }
            evaluation = NabEvaluation.readResults(corpus, results);
        } else {
            evaluation = NabEvaluation.runBaseline(corpus, BaselineSettings.DEFAULTS);
            Path dir =
                    this.out != null
                            ? this.out
                            : Path.of("target", "evaluate", "nab", evaluation.detector());
            evaluation.writeResults(dir);
            out.println("result files: " + dir);
        }
        List<NabScorer.Result> best = evaluation.best();
        out.println("detector: " + evaluation.detector());
        evaluation.table(best).forEach(out::println);
        out.println();
        out.println(NabEvaluation.summaryLine(best));
        return 0;
    }
}
