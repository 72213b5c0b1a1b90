package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.evaluate.petshop.PetShopEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evaluate rca --petshop DIR}: top-1/top-3 recall of the root-cause ranking on PetShop. */
@Command(
        name = "rca",
        mixinStandardHelpOptions = true,
        description = {
            "Scores the root-cause ranking on the PetShop benchmark.",
            "It learns the baseline on each scenario's noissue metrics, ranks the anomalous nodes"
                    + " the symptom depends on (the scenario's call graph) and prints top-1/top-3"
                    + " recall per scenario and metric.",
            "The last line is PETSHOP top1=X top3=Y issues=N (the recalls over N issues)."
        })
final class EvaluateRcaCommand implements Callable<Integer> {

    @Option(
            names = "--petshop",
            paramLabel = "DIR",
            description = "PetShop benchmark folder (holding dataset/<scenario>/).")
    Path petshop;

    @Option(
            names = "--relative-floor",
            paramLabel = "SHARE",
            description =
                    "The baseline's relative floor: a scale never counts as smaller than this"
                            + " share of the level (default: the baseline core's, 0.02).")
    Double relativeFloor;

    @Option(
            names = "--verbose",
            description =
                    "Also print each issue's true cause, its rank and the top 3 with evidence.")
    boolean verbose;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (petshop == null) {
            throw new ConfigException(
                    "evaluate rca: give --petshop DIR, e.g. --petshop"
                            + " ../shared/benchmarks/petshop");
        }
        BaselineSettings settings = BaselineSettings.DEFAULTS;
        if (relativeFloor != null) {
            if (!(relativeFloor >= 0 && relativeFloor < 1)) {
                throw new ConfigException(
                        "--relative-floor " + relativeFloor + ": must be in [0, 1), e.g. 0.02");
            }
            settings = settings.withRelativeFloor(relativeFloor);
        }
        PetShopEvaluation evaluation = PetShopEvaluation.open(petshop, settings);
        PrintWriter out = spec.commandLine().getOut();
        List<PetShopEvaluation.Outcome> outcomes = evaluation.run();
        if (verbose) {
            for (PetShopEvaluation.Outcome o : outcomes) {
                out.printf(
                        "%s %s %s: cause %s ranked %s%n",
                        o.issue().scenario(),
                        o.issue().id(),
                        o.issue().symptomMetric(),
                        o.issue().rootCause(),
                        o.rank() == 0 ? "-" : String.valueOf(o.rank()));
                o.ranking().stream()
                        .limit(3)
                        .forEach(
                                c ->
                                        out.printf(
                                                "    %.2f %s: %s%n",
                                                c.confidence(),
                                                c.node(),
                                                String.join("; ", c.evidence())));
            }
            out.println();
        }
        evaluation.skipped().forEach(out::println);
        PetShopEvaluation.table(outcomes).forEach(out::println);
        out.println();
        out.println(PetShopEvaluation.summaryLine(outcomes));
        return 0;
    }
}
