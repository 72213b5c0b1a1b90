package io.incidentanalyzer.evaluate.loghub;

import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.config.ErrorPatternSettings;
import io.incidentanalyzer.detect.LogTemplate;
import io.incidentanalyzer.detect.TemplateBook;
import io.incidentanalyzer.detect.TemplateMiner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Scores the error-pattern detector's template miner on Loghub-2k: each system's messages go, in
 * file order, through one {@link TemplateMiner} and one {@link TemplateBook}, built from the same
 * {@link ErrorPatternSettings} the job uses, as one service's lines would in the job. A line's
 * group is the template it joined (a template dropped and learned again is a new group, as in the
 * job); its template text is that template's text after the last line, when it is most general.
 *
 * <p>Loghub's time columns come in a dozen formats, some without a date, and its 2,000 lines are
 * sampled from far longer logs; the lines are therefore given event times one second apart ({@link
 * #LINE_INTERVAL_MS}), a dense stream of 2,000 lines in 33 minutes.
 */
public final class LoghubEvaluation {
    /** Event time between two lines of a system. */
    public static final long LINE_INTERVAL_MS = 1000;

    private static final long START_MS = 1_700_000_000_000L;

    private final ErrorPatternSettings settings;

    /**
     * A system's scores.
     *
     * @param system the system's name
     * @param lines lines scored
     * @param events ground-truth events among them
     * @param templates templates the miner made of them (groups, counting dropped ones)
     * @param evicted templates dropped while learning
     * @param ga grouping accuracy
     * @param pa parsing accuracy
     */
    public record Score(
            String system,
            int lines,
            int events,
            int templates,
            int evicted,
            double ga,
            double pa) {}

    public LoghubEvaluation(ErrorPatternSettings settings) {
        this.settings = settings;
    }

    /** Mines the system's lines with a fresh miner and book and scores the outcome. */
    public Score score(LoghubSystem system) {
        TemplateMiner miner = TemplateMiner.of(settings);
        TemplateBook book = new TemplateBook();
        List<LogTemplate> joined = new ArrayList<>(system.lines().size());
        List<String> events = new ArrayList<>(system.lines().size());
        List<String> truth = new ArrayList<>(system.lines().size());
        int evicted = 0;
        long ts = START_MS;
        for (LoghubSystem.Line line : system.lines()) {
            TemplateMiner.Learned learned = miner.learn(book, line.content(), ts);
            evicted += learned.evicted().size();
            joined.add(learned.template());
            events.add(line.eventId());
            truth.add(line.template());
            ts += LINE_INTERVAL_MS;
        }
        // LogTemplate keeps Object's identity equality: a dropped and re-learned shape is another
        // group, and a template's group does not change as it generalizes.
        List<String> texts = joined.stream().map(LogTemplate::text).toList();
        return new Score(
                system.name(),
                system.lines().size(),
                new HashSet<>(events).size(),
                new HashSet<>(joined).size(),
                evicted,
                ParsingScores.groupingAccuracy(joined, events),
                ParsingScores.parsingAccuracy(texts, truth));
    }

    /** The miner's settings, so that a printed score says what it scored. */
    public static String settingsLine(ErrorPatternSettings s) {
        return String.format(
                Locale.ROOT,
                "miner: similarity=%s depth=%d maxTemplates=%d forgetAfter=%s halfLife=%s"
                        + " (detectors.errorPatterns defaults); one line a second",
                s.similarity(),
                s.depth(),
                s.maxTemplates(),
                DurationText.format(s.forgetAfter()),
                DurationText.format(s.halfLife()));
    }

    /** One line per system: its name, GA, PA, and how many lines, events and templates. */
    public static List<String> table(List<Score> scores) {
        List<String> out = new ArrayList<>(scores.size() + 1);
        int width = Math.max(6, scores.stream().mapToInt(s -> s.system().length()).max().orElse(0));
        out.add(
                String.format(
                        Locale.ROOT,
                        "%-" + width + "s  %6s  %6s  %6s  %6s  %9s  %7s",
                        "system",
                        "GA",
                        "PA",
                        "lines",
                        "events",
                        "templates",
                        "evicted"));
        for (Score s : scores) {
            out.add(
                    String.format(
                            Locale.ROOT,
                            "%-" + width + "s  %6.3f  %6.3f  %6d  %6d  %9d  %7d",
                            s.system(),
                            s.ga(),
                            s.pa(),
                            s.lines(),
                            s.events(),
                            s.templates(),
                            s.evicted()));
        }
        return out;
    }

    /** {@code LOGHUB systems=N ga=X pa=Y}: the means over the systems, each system weighing one. */
    public static String summaryLine(List<Score> scores) {
        double ga = scores.stream().mapToDouble(Score::ga).average().orElse(0);
        double pa = scores.stream().mapToDouble(Score::pa).average().orElse(0);
        return String.format(
                Locale.ROOT, "LOGHUB systems=%d ga=%.3f pa=%.3f", scores.size(), ga, pa);
    }
}
