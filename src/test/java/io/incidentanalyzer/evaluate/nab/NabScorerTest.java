package io.incidentanalyzer.evaluate.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

class NabScorerTest {

    static Path fixture() {
        try {
            return Path.of(NabScorerTest.class.getResource("/nab-aws").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String twoDecimals(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** ARTime's published results on realAWSCloudwatch: the figures of the benchmarks README. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ArtimeFixture {
        private final List<String> warnings = new ArrayList<>();
        private final NabCorpus corpus = NabCorpus.open(fixture(), warnings::add);
        private final NabScorer scorer =
                NabEvaluation.readResults(corpus, fixture().resolve("results/ARTime")).scorer();

        @Test
        void corpusHasSeventeenFilesAndThirtyWindows() {
            assertThat(scorer.files()).hasSize(17);
            assertThat(scorer.windows()).isEqualTo(30);
            assertThat(warnings).as("every file is in time order").isEmpty();
        }

        @Test
        void standard() {
            assertThat(twoDecimals(scorer.at(NabProfile.STANDARD, 0.317486).normalised()))
                    .isEqualTo("69.48");
            NabScorer.Result best = scorer.best(NabProfile.STANDARD);
            assertThat(twoDecimals(best.normalised())).isEqualTo("69.92");
            assertThat(best.threshold()).isCloseTo(0.337609, offset(1e-6));
        }

        @Test
        void rewardLowFalsePositives() {
            assertThat(twoDecimals(scorer.at(NabProfile.REWARD_LOW_FP, 0.317585).normalised()))
                    .isEqualTo("58.96");
            assertThat(twoDecimals(scorer.best(NabProfile.REWARD_LOW_FP).normalised()))
                    .isEqualTo("61.60");
        }

        @Test
        void rewardLowFalseNegatives() {
            assertThat(twoDecimals(scorer.at(NabProfile.REWARD_LOW_FN, 0.317486).normalised()))
                    .isEqualTo("75.21");
            assertThat(twoDecimals(scorer.best(NabProfile.REWARD_LOW_FN).normalised()))
                    .isEqualTo("75.50");
        }

        @Test
        void summaryLineHasTheThreeBestScores() {
            List<NabScorer.Result> best = NabProfile.ALL.stream().map(scorer::best).toList();
            assertThat(NabEvaluation.summaryLine(best))
                    .isEqualTo(
                            "NAB standard=69.92 reward_low_FP_rate=61.60 reward_low_FN_rate=75.50");
        }
    }

    /**
     * A 100-row file: rows 0..14 are probationary, one window on rows 40..59 (width 20). Scores are
     * 1 on the given rows, 0 elsewhere; a threshold of 0.5 makes them the detections.
     */
    private static NabScorer.Result oneWindow(NabProfile profile, int... detections) {
        return scorer(100, List.of(new NabFile.RowWindow(40, 59)), detections).at(profile, 0.5);
    }

    private static NabScorer scorer(int rows, List<NabFile.RowWindow> windows, int... detections) {
        long[] ts = new long[rows];
        for (int i = 0; i < rows; i++) ts[i] = i * 300_000L;
        double[] scores = new double[rows];
        for (int d : detections) scores[d] = 1.0;
        return new NabScorer(
                List.of(new NabFile("t/f.csv", ts, new double[rows], scores, windows)));
    }

    private static double sigma(double x) {
        return 2 / (1 + Math.exp(5 * x)) - 1;
    }

    @Test
    void probationIsFifteenPercentAtMostSevenHundredFifty() {
        assertThat(NabScorer.probationRows(100)).isEqualTo(15);
        assertThat(NabScorer.probationRows(4032)).isEqualTo(604);
        assertThat(NabScorer.probationRows(1243)).isEqualTo(186);
        assertThat(NabScorer.probationRows(10_000)).isEqualTo(750);
    }

    @Test
    void detectionOnAWindowsFirstRowEarnsTheFullReward() {
        NabScorer.Result r = oneWindow(NabProfile.STANDARD, 40);
        assertThat(r.raw()).isCloseTo(1.0, offset(1e-12));
        assertThat(r.normalised()).isCloseTo(100.0, offset(1e-9));
        assertThat(r.files().get(0).detected()).isEqualTo(1);
    }

    @Test
    void lateDetectionEarnsLessAndOnlyTheBestOfAWindowCounts() {
        double late = sigma(-1.0 / 20) / sigma(-1);
        assertThat(oneWindow(NabProfile.STANDARD, 59).raw()).isCloseTo(late, offset(1e-12));
        assertThat(late).isBetween(0.1, 0.15);
        double middle = sigma(-10.0 / 20) / sigma(-1);
        assertThat(oneWindow(NabProfile.STANDARD, 50, 55, 59).raw())
                .as("three detections in one window count once, at the earliest")
                .isCloseTo(middle, offset(1e-12));
    }

    @Test
    void aMissedWindowCostsTheFalseNegativeWeight() {
        assertThat(oneWindow(NabProfile.STANDARD).raw()).isEqualTo(-1.0);
        assertThat(oneWindow(NabProfile.REWARD_LOW_FN).raw()).isEqualTo(-2.0);
        assertThat(oneWindow(NabProfile.STANDARD).normalised()).isEqualTo(0.0);
    }

    @Test
    void falsePositiveBeforeTheFirstWindowCostsTheFullWeight() {
        NabScorer.Result r = oneWindow(NabProfile.STANDARD, 20, 40);
        assertThat(r.raw()).isCloseTo(1.0 - 0.11, offset(1e-12));
        assertThat(r.files().get(0).falsePositives()).isEqualTo(1);
        assertThat(oneWindow(NabProfile.REWARD_LOW_FP, 20, 40).raw())
                .isCloseTo(1.0 - 0.22, offset(1e-12));
    }

    @Test
    void falsePositiveAfterAWindowCostsLessTheCloserItIs() {
        double justAfter = 0.11 * sigma(1.0 / 19);
        double oneWidthAfter = 0.11 * sigma(19.0 / 19);
        assertThat(oneWindow(NabProfile.STANDARD, 40, 60).raw())
                .isCloseTo(1.0 + justAfter, offset(1e-12));
        assertThat(oneWindow(NabProfile.STANDARD, 40, 78).raw())
                .isCloseTo(1.0 + oneWidthAfter, offset(1e-12));
        assertThat(justAfter).isBetween(-0.02, 0.0);
        assertThat(oneWidthAfter).isLessThan(-0.10);
        assertThat(
                        scorer(200, List.of(new NabFile.RowWindow(40, 59)), 40, 59 + 58)
                                .at(NabProfile.STANDARD, 0.5)
                                .raw())
                .as("more than three widths (minus one) away: the full cost")
                .isCloseTo(1.0 - 0.11, offset(1e-12));
    }

    @Test
    void detectionsInProbationAreNotScored() {
        NabScorer.Result r = oneWindow(NabProfile.STANDARD, 3, 14, 40);
        assertThat(r.raw()).isCloseTo(1.0, offset(1e-12));
        assertThat(r.files().get(0).falsePositives()).isZero();
        assertThat(oneWindow(NabProfile.STANDARD, 15, 40).files().get(0).falsePositives())
                .isEqualTo(1);
    }

    @Test
    void sweepFindsTheThresholdThatKeepsTheDetectionAndDropsTheNoise() {
        long[] ts = new long[100];
        for (int i = 0; i < 100; i++) ts[i] = i * 300_000L;
        double[] scores = new double[100];
        Arrays.fill(scores, 0.1);
        scores[45] = 0.8; // in the window
        scores[20] = 0.6; // before it: a false positive at any threshold <= 0.6
        scores[90] = 0.9; // far after it: a false positive costs 0.11 but earns nothing
        NabScorer s =
                new NabScorer(
                        List.of(
                                new NabFile(
                                        "t/f.csv",
                                        ts,
                                        new double[100],
                                        scores,
                                        List.of(new NabFile.RowWindow(40, 59)))));
        NabScorer.Result best = s.best(NabProfile.STANDARD);
        assertThat(best.threshold()).isEqualTo(0.8);
        double reward = sigma(-15.0 / 20) / sigma(-1);
        double far = 0.11 * sigma(31.0 / 19);
        assertThat(best.raw()).isCloseTo(reward + far, offset(1e-12));
        assertThat(s.at(NabProfile.STANDARD, 0.6).raw())
                .isCloseTo(reward + far - 0.11, offset(1e-12));
        assertThat(s.at(NabProfile.STANDARD, 0.95).raw()).isEqualTo(-1.0);
    }

    @Test
    void withNothingWorthDetectingTheSweepDetectsNothing() {
        NabScorer s = scorer(100, List.of(), 20, 30);
        NabScorer.Result best = s.best(NabProfile.STANDARD);
        assertThat(best.threshold()).isEqualTo(1.1);
        assertThat(best.raw()).isZero();
    }
}
