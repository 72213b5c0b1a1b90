package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.evaluate.nezha.NezhaEvaluation;
import io.incidentanalyzer.evaluate.petshop.PetShopEvaluation;
import io.incidentanalyzer.evaluate.rca.RcaOutcome;
import io.incidentanalyzer.evaluate.rca.RcaScores;
import io.incidentanalyzer.evaluate.rca.SeriesEvidence;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate rca --petshop DIR | --nezha DIR}: AC@k of the root-cause ranking on a public
 * benchmark, with the ranker the streaming correlator uses.
 */
@Command(
        name = "rca",
        mixinStandardHelpOptions = true,
        description = {
            "Scores the root-cause ranker on PetShop or Nezha benchmark data.",
            "--petshop reads the PetShop layout and --nezha Nezha's OnlineBoutique faults. It"
                + " learns each series' baseline on fault-free data (PetShop's noissue metrics,"
                + " Nezha's rows outside the faults), reads every series' move at each fault as"
                + " evidence, ranks the anomalous nodes on the call graph and prints AC@1, AC@3,"
                + " AC@5 and Avg@5 per fault type (PetShop: per scenario and symptom).",
            "The last line is RCA dataset=NAME cases=N ac1=X ac3=Y avg5=Z; for PetShop two lines"
                    + " before it score the tuning issues and the held-out ones (the CRC-32 of"
                    + " scenario/split/issue a multiple of 3) apart."
        })
final class EvaluateRcaCommand implements Callable<Integer> {

    @Option(
            names = "--petshop",
            paramLabel = "DIR",
            description = "PetShop benchmark folder (holding dataset/<scenario>/).")
    Path petshop;

    @Option(
            names = "--nezha",
            paramLabel = "DIR",
            description =
                    "Nezha data folder (holding <day>/metric/ and <day>/<day>-fault_list.json),"
                            + " or one day folder to score that day alone.")
    Path nezha;

    @Option(
            names = "--relative-floor",
            paramLabel = "SHARE",
            description =
                    "The baseline's relative floor: a scale never counts as smaller than this"
                            + " share of the level (default 0.002; the streaming baseline's is"
                            + " 0.02, for alerting).")
    Double relativeFloor;

    @Option(
            names = "--verbose",
            description =
                    "Also print each fault's true cause, its rank and the top 3 with evidence.")
    boolean verbose;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if ((petshop == null) == (nezha == null)) {
            throw new ConfigException(
                    "evaluate rca: give one of --petshop DIR or --nezha DIR, e.g. --petshop"
                            + " ../shared/benchmarks/petshop or --nezha"
                            + " ../shared/benchmarks/nezha-ob");
        }
        BaselineSettings settings = SeriesEvidence.SETTINGS;
        if (relativeFloor != null) {
            if (!(relativeFloor >= 0 && relativeFloor < 1)) {
                throw new ConfigException(
                        "--relative-floor " + relativeFloor + ": must be in [0, 1), e.g. 0.02");
            }
            settings = settings.withRelativeFloor(relativeFloor);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<RcaOutcome> outcomes;
        String dataset;
        if (petshop != null) {
            PetShopEvaluation evaluation = PetShopEvaluation.open(petshop, settings);
            outcomes = evaluation.run();
            evaluation.skipped().forEach(out::println);
            dataset = "petshop";
        } else {
            outcomes = NezhaEvaluation.open(nezha, settings).run();
            Path name = nezha.toAbsolutePath().normalize().getFileName();
            dataset = name == null ? "nezha" : name.toString();
        }
        if (verbose) {
            for (RcaOutcome o : outcomes) {
                out.printf(
                        "%s %s: cause %s ranked %s%n",
                        o.group(),
                        o.id(),
                        o.truth(),
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
        RcaScores.table(outcomes).forEach(out::println);
        out.println();
        if (petshop != null) {
            List<RcaOutcome> held = outcomes.stream().filter(PetShopEvaluation::heldOut).toList();
            List<RcaOutcome> tuned =
                    outcomes.stream().filter(o -> !PetShopEvaluation.heldOut(o)).toList();
            out.println(RcaScores.summaryLine(dataset + "-tuning", tuned));
            out.println(RcaScores.summaryLine(dataset + "-held-out", held));
        }
        out.println(RcaScores.summaryLine(dataset, outcomes));
        return 0;
    }
}
