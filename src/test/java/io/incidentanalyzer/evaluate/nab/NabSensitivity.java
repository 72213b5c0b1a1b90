package io.incidentanalyzer.evaluate.nab;

import io.incidentanalyzer.detect.baseline.BaselineSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sensitivity check for docs/detectors.md: the NAB scores of the baseline core at its default
 * setting and with each setting moved to neighbouring values, one at a time. Not a test (run it as
 * {@link NabTools} says).
 */
public final class NabSensitivity {
    private NabSensitivity() {}

    public static void main(String[] args) {
        NabCorpus corpus = NabTools.corpus(args);
        BaselineSettings d = BaselineSettings.DEFAULTS;
        List<String[]> runs = new ArrayList<>();
        List<BaselineSettings> settings = new ArrayList<>();
        runs.add(new String[] {"defaults", ""});
        settings.add(d);
        for (int h : new int[] {1, 4}) {
            runs.add(new String[] {"halfLife", h + " h"});
            settings.add(d.withHalfLife(Duration.ofHours(h)));
        }
        for (int days : new int[] {3, 7, 10}) {
            runs.add(new String[] {"tailMemory", days + " d"});
            settings.add(d.withTailMemory(Duration.ofDays(days)));
        }
        for (int m : new int[] {15, 20, 45, 60}) {
            runs.add(new String[] {"shiftConfirm", m + " min"});
            settings.add(d.withShiftConfirm(Duration.ofMinutes(m)));
        }
        for (int m : new int[] {30, 45, 90, 120}) {
            runs.add(new String[] {"burstWindow", m + " min"});
            settings.add(d.withBurstWindow(Duration.ofMinutes(m)));
        }
        runs.add(new String[] {"season", "off"});
        settings.add(d.withSeason(Duration.ZERO));
        runs.add(new String[] {"seasonMinPeriods", "2"});
        settings.add(profile(d, 2, d.weekend()));
        runs.add(new String[] {"weekend", "off"});
        settings.add(profile(d, d.seasonMinPeriods(), false));
        for (double f : new double[] {0.01, 0.05}) {
            runs.add(new String[] {"relativeFloor", Double.toString(f)});
            settings.add(d.withRelativeFloor(f));
        }
        System.out.println(
                "| setting | value | standard | reward_low_FP_rate | reward_low_FN_rate |");
        System.out.println("|---|---|---:|---:|---:|");
        for (int i = 0; i < runs.size(); i++) {
            List<NabScorer.Result> best = NabEvaluation.runBaseline(corpus, settings.get(i)).best();
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.2f | %.2f | %.2f |%n",
                    runs.get(i)[0],
                    runs.get(i)[1],
                    best.get(0).normalised(),
                    best.get(1).normalised(),
                    best.get(2).normalised());
        }
    }

    /** The defaults with another daily profile: periods a slot needs, weekend slots or not. */
    private static BaselineSettings profile(BaselineSettings d, int minPeriods, boolean weekend) {
        return new BaselineSettings(
                d.halfLife(),
                d.warmup(),
                d.season(),
                d.seasonBins(),
                minPeriods,
                d.relativeFloor(),
                d.tailMemory(),
                d.shiftConfirm(),
                d.burstWindow(),
                weekend);
    }
}
