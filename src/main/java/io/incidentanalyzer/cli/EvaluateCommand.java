package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.evaluate.SuiteEvaluation;
import io.incidentanalyzer.evaluate.SuiteReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate --suite DIR}: simulates and replays every scenario of a suite, matches the
 * incidents to the ground truth and prints the scores ({@code evaluate nab}, {@code rca} and {@code
 * logs} are its subcommands for public benchmarks). A poor score is a result, not an error: the
 * exit code is 0 unless something could not run.
 */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        subcommands = {
            EvaluateNabCommand.class,
            EvaluateRcaCommand.class,
            EvaluateLogsCommand.class
        },
        description = {
            "Scores the analyzer on a suite of scenarios.",
            "It simulates each scenario, replays it through the job, matches the incidents to the"
                    + " ground truth and prints a table, a JSON report and one summary line. It"
                    + " exits 0 whatever the score, non-zero only on an error.",
            "Its subcommands score on public benchmarks instead: `evaluate nab --data DIR` the"
                    + " baseline detector on a NAB corpus, `evaluate rca --petshop DIR` (or"
                    + " `--nezha DIR`) the root-cause ranking on PetShop (or Nezha's"
                    + " OnlineBoutique faults), `evaluate logs --loghub DIR` the log"
                    + " template miner on Loghub-2k."
        })
final class EvaluateCommand implements Callable<Integer> {

    @Option(
            names = "--suite",
            paramLabel = "DIR",
            description =
                    "Folder of scenario files (*.yaml), e.g. jobs/scenarios; its subfolders"
                            + " (one per system, e.g. jobs/scenarios/shopfront) too, except"
                            + " traffic/.")
    Path suite;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            defaultValue = "target/evaluate/suite-report.json",
            description = "Where the JSON report goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description =
                    "First seed for every scenario (default: each scenario's own); the others"
                            + " are derived from it.")
    Long seed;

    @Option(
            names = "--seeds",
            paramLabel = "N",
            defaultValue = "" + SuiteEvaluation.DEFAULT_SEEDS,
            description =
                    "Seeds per scenario: its first and N-1 derived ones, a row each"
                            + " (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of each replay (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--keep",
            paramLabel = "DIR",
            description = "Keep each scenario's simulated streams in DIR/<scenario>/ for replay.")
    Path keep;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (suite == null) {
            throw new ConfigException(
                    "evaluate: give --suite DIR, e.g. --suite jobs/scenarios (or evaluate nab"
                            + " --data DIR)");
        }
        if (parallelism < 1) {
            throw new ConfigException("--parallelism " + parallelism + ": must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        SuiteReport r =
                new SuiteEvaluation(seed, seeds, parallelism, keep, spec.commandLine().getErr())
                        .run(suite);
        r.writeJson(report);
        out.println();
        r.table().forEach(out::println);
        out.println();
        out.println("report: " + report);
        r.summaryLines().forEach(out::println);
        return 0;
    }
}
