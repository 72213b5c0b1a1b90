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

/**
 * The scores of a scenario suite: the table people read, the JSON report tools read, and the one
 * summary line that CI logs and docs/benchmarks.md quote.
 */
public record SuiteReport(String suite, List<ScenarioScore> scenarios, Summary summary) {

    /**
     * Totals over the suite. top1 and top3 count outages whose root cause is ranked first or in the
     * first three; medianDelaySeconds is over detected faults, null when none was; ramps counts the
     * faults with a 2× moment and maxDelayFrom2xSeconds is the longest delay from it of those
     * detected (null when none).
     */
    public record Summary(
            int scenarios,
            int faults,
            int detected,
            int outages,
            int top1,
            int top3,
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
                contributing += o.contributing();
                named += o.contributingFound();
            }
            falses += s.falseIncidents().size();
        }
        return new SuiteReport(
                suite,
                List.copyOf(scores),
                new Summary(
                        scores.size(),
                        faults,
                        detected,
                        outages,
                        top1,
                        top3,
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
     * {@code SUITE scenarios=N faults=N detected=N top1=N top3=N false_incidents=N
     * median_delay_s=X}, then {@code ramps=N max_delay_2x_s=X} when a fault ramps
     */
    public String summaryLine() {
        Summary s = summary;
        return String.format(
                        Locale.ROOT,
                        "SUITE scenarios=%d faults=%d detected=%d top1=%d top3=%d"
                                + " false_incidents=%d median_delay_s=%s",
                        s.scenarios(),
                        s.faults(),
                        s.detected(),
                        s.top1(),
                        s.top3(),
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
                    "FAULT",
                    "ROLE",
                    "TRUE CAUSE",
                    "DETECTED",
                    "DELAY_S",
                    "2X_S",
                    "DELAY_2X_S",
                    "TOP1",
                    "TOP3",
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
