package io.incidentanalyzer.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scores of a scenario suite: the table people read, the JSON report tools read, and the one
 * summary line that CI logs and docs/benchmarks.md quote.
 */
public record SuiteReport(String suite, List<ScenarioScore> scenarios, Summary summary) {

    /**
     * Totals over the suite. scenarios counts scenario files, runs their (scenario, seed) rows; the
     * other counts are over every run. top1 and top3 count outages whose root cause is ranked first
     * or in the first three (the final ranking), identifiedTop1 those whose main incident told
     * users the root cause when it became IDENTIFIED; medianDelaySeconds is over detected faults,
     * null when none was; ramps counts the faults with a 2× moment and maxDelayFrom2xSeconds is the
     * longest delay from it of those detected (null when none).
     */
    public record Summary(
            int scenarios,
            int runs,
            int faults,
            int detected,
            int outages,
            int top1,
            int top3,
            int identifiedTop1,
            int contributing,
            int contributingNamed,
            int falseIncidents,
            Double medianDelaySeconds,
            int ramps,
            Double maxDelayFrom2xSeconds) {}

    public static SuiteReport of(String suite, List<ScenarioScore> scores) {
        int faults = 0,
                detected = 0,
                outages = 0,
                top1 = 0,
                top3 = 0,
                identified = 0,
                contributing = 0,
                named = 0,
                falses = 0,
                ramps = 0;
        Double maxFrom2x = null;
        List<Double> delays = new ArrayList<>();
        for (ScenarioScore s : scores) {
            for (ScenarioScore.FaultScore f : s.faults()) {
                faults++;
                if (f.detected()) {
                    detected++;
                    delays.add(f.delaySeconds());
                }
                if (f.twoXSeconds() != null) ramps++;
                if (f.delayFrom2xSeconds() != null) {
                    maxFrom2x =
                            maxFrom2x == null
                                    ? f.delayFrom2xSeconds()
                                    : Math.max(maxFrom2x, f.delayFrom2xSeconds());
                }
            }
            for (ScenarioScore.OutageScore o : s.outages()) {
                outages++;
                if (o.top1()) top1++;
                if (o.top3()) top3++;
                if (o.identifiedTop1()) identified++;
                contributing += o.contributing();
                named += o.contributingFound();
            }
            falses += s.falseIncidents().size();
        }
        return new SuiteReport(
                suite,
                List.copyOf(scores),
                new Summary(
                        (int) scores.stream().map(ScenarioScore::scenario).distinct().count(),
                        scores.size(),
                        faults,
                        detected,
                        outages,
                        top1,
                        top3,
                        identified,
                        contributing,
                        named,
                        falses,
                        median(delays),
                        ramps,
                        maxFrom2x));
    }

    static Double median(List<Double> values) {
        if (values.isEmpty()) return null;
        List<Double> v = new ArrayList<>(values);
        v.sort(Double::compare);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /**
     * One summary line per system (job environment) when the suite has several, each {@code SUITE
     * system=ENV ...}, then the line over all of them ({@link #summaryLine()}).
     */
    public List<String> summaryLines() {
        Map<String, List<ScenarioScore>> bySystem = new TreeMap<>();
        for (ScenarioScore s : scenarios)
            bySystem.computeIfAbsent(String.valueOf(s.environment()), k -> new ArrayList<>())
                    .add(s);
        List<String> out = new ArrayList<>();
        if (bySystem.size() > 1) {
            bySystem.forEach(
                    (system, scores) ->
                            out.add(summaryLine(of(suite, scores).summary, "system=" + system)));
        }
        out.add(summaryLine());
        return out;
    }

    /**
     * {@code SUITE scenarios=N runs=N faults=N detected=N top1=N top3=N identified_top1=N
     * false_incidents=N median_delay_s=X}, then {@code ramps=N max_delay_2x_s=X} when a fault ramps
     */
    public String summaryLine() {
        return summaryLine(summary, null);
    }

    private static String summaryLine(Summary s, String label) {
        return String.format(
                        Locale.ROOT,
                        "SUITE %sscenarios=%d runs=%d faults=%d detected=%d top1=%d top3=%d"
                                + " identified_top1=%d false_incidents=%d median_delay_s=%s",
                        label == null ? "" : label + " ",
                        s.scenarios(),
                        s.runs(),
                        s.faults(),
                        s.detected(),
                        s.top1(),
                        s.top3(),
                        s.identifiedTop1(),
                        s.falseIncidents(),
                        s.medianDelaySeconds() == null
                                ? "n/a"
                                : String.format(Locale.ROOT, "%.1f", s.medianDelaySeconds()))
                + (s.ramps() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " ramps=%d max_delay_2x_s=%s",
                                s.ramps(),
                                s.maxDelayFrom2xSeconds() == null
                                        ? "n/a"
                                        : String.format(
                                                Locale.ROOT, "%.0f", s.maxDelayFrom2xSeconds())));
    }

    /** One row per fault (a fault-free scenario gets one row), aligned columns. */
    public List<String> table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(
                new String[] {
                    "SCENARIO",
                    "SEED",
                    "FAULT",
                    "ROLE",
                    "TRUE CAUSE",
                    "DETECTED",
                    "DELAY_S",
                    "2X_S",
                    "DELAY_2X_S",
                    "TOP1",
                    "TOP3",
                    "IDENT",
                    "NAMED",
                    "NAMED_S",
                    "INCIDENTS",
                    "FALSE"
                });
        for (ScenarioScore s : scenarios) {
            String falses = String.valueOf(s.falseIncidents().size());
            if (s.faults().isEmpty()) {
                rows.add(
                        new String[] {
                            s.scenario(),
                            String.valueOf(s.seed()),
                            "(no fault)",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            String.valueOf(s.incidents()),
                            falses
                        });
                continue;
            }
            boolean first = true;
            for (ScenarioScore.FaultScore f : s.faults()) {
                ScenarioScore.OutageScore o =
                        s.outages().stream()
                                .filter(x -> x.id().equals(f.outage()))
                                .findFirst()
                                .orElse(null);
                boolean root = "root".equals(f.role());
                rows.add(
                        new String[] {
                            first ? s.scenario() : "",
                            first ? String.valueOf(s.seed()) : "",
                            f.id(),
                            f.role(),
                            f.cause().toString(),
                            f.detected() ? "yes" : "no",
                            f.detected()
                                    ? String.format(Locale.ROOT, "%.0f", f.delaySeconds())
                                    : "-",
                            seconds(f.twoXSeconds()),
                            seconds(f.delayFrom2xSeconds()),
                            root && o != null ? yesNo(o.top1()) : "",
                            root && o != null ? yesNo(o.top3()) : "",
                            root && o != null ? yesNo(o.identifiedTop1()) : "",
                            root ? "" : yesNo(f.named()),
                            seconds(f.namedSeconds()),
                            root && o != null ? String.valueOf(o.incidents().size()) : "",
                            first ? falses : ""
                        });
                first = false;
            }
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows)
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]);
                if (i < r.length - 1) b.append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }

    private static String seconds(Double s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.0f", s);
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    public void writeJson(Path file) throws IOException {
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, json.writeValueAsString(this) + "\n");
    }
}
