package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.ErrorPatternSettings;
import io.incidentanalyzer.evaluate.loghub.LoghubEvaluation;
import io.incidentanalyzer.evaluate.loghub.LoghubSystem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate logs --loghub DIR}: grouping and parsing accuracy of the error-pattern detector's
 * template miner on Loghub-2k, with the job's default settings.
 */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = {
            "Scores the log template miner on the Loghub-2k benchmark.",
            "Each system's messages go in file order through the miner the error-pattern detector"
                    + " uses, with the job's default settings. It prints grouping accuracy (GA:"
                    + " a line is right when its group is exactly its event's lines) and parsing"
                    + " accuracy (PA: a line is right when its template equals the ground truth's,"
                    + " wildcard runs and whitespace normalised) per system.",
            "The last line is LOGHUB systems=N ga=X pa=Y (the means over the systems)."
        })
final class EvaluateLogsCommand implements Callable<Integer> {

    @Option(
            names = "--loghub",
            paramLabel = "DIR",
            description =
                    "Loghub-2k folder with <S>/<S>_2k.log_structured.csv per system, or one"
                            + " system's folder.")
    Path loghub;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        if (loghub == null) {
            throw new ConfigException(
                    "evaluate logs: give --loghub DIR, e.g. --loghub"
                            + " ../shared/benchmarks/loghub-2k");
        }
        List<LoghubSystem> systems = LoghubSystem.readAll(loghub);
        ErrorPatternSettings settings = ErrorPatternSettings.defaults();
        LoghubEvaluation evaluation = new LoghubEvaluation(settings);
        List<LoghubEvaluation.Score> scores = new ArrayList<>(systems.size());
        for (LoghubSystem s : systems) scores.add(evaluation.score(s));
        PrintWriter out = spec.commandLine().getOut();
        out.println(LoghubEvaluation.settingsLine(settings));
        out.println();
        LoghubEvaluation.table(scores).forEach(out::println);
        out.println();
        out.println(LoghubEvaluation.summaryLine(scores));
        return 0;
    }
}
