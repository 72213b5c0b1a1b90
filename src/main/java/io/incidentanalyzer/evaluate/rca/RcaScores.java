package io.incidentanalyzer.evaluate.rca;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The root-cause measures every {@code evaluate rca} data set reports: AC@k, the share of faults
 * whose true cause is ranked k or better (a cause never ranked is a miss), and Avg@5, the mean of
 * AC@1 … AC@5 (Nezha's AS@k and BARO's Avg@5).
 */
public final class RcaScores {
    private RcaScores() {}

    public static double ac(List<RcaOutcome> os, int k) {
        if (os.isEmpty()) return 0;
        return (double) os.stream().filter(o -> o.within(k)).count() / os.size();
    }

    public static double avg5(List<RcaOutcome> os) {
        double sum = 0;
        for (int k = 1; k <= 5; k++) sum += ac(os, k);
        return sum / 5;
    }

    /** One line per group, then the total: cases, AC@1, AC@3, AC@5, Avg@5. */
    public static List<String> table(List<RcaOutcome> outcomes) {
        Map<String, List<RcaOutcome>> groups = new TreeMap<>();
        for (RcaOutcome o : outcomes) {
            groups.computeIfAbsent(o.group(), k -> new ArrayList<>()).add(o);
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-28s  cases   AC@1   AC@3   AC@5  Avg@5", "group"));
        groups.forEach((k, os) -> lines.add(row(k, os)));
        lines.add(row("all", outcomes));
        return lines;
    }

    private static String row(String label, List<RcaOutcome> os) {
        return String.format(
                Locale.ROOT,
                "%-28s %6d %6.3f %6.3f %6.3f %6.3f",
                label,
                os.size(),
                ac(os, 1),
                ac(os, 3),
                ac(os, 5),
                avg5(os));
    }

    /** {@code RCA dataset=NAME cases=N ac1=X ac3=Y avg5=Z}. */
    public static String summaryLine(String dataset, List<RcaOutcome> outcomes) {
        return String.format(
                Locale.ROOT,
                "RCA dataset=%s cases=%d ac1=%.3f ac3=%.3f avg5=%.3f",
                dataset,
                outcomes.size(),
                ac(outcomes, 1),
                ac(outcomes, 3),
                avg5(outcomes));
    }
}
