package io.incidentanalyzer.evaluate.petshop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.incidentanalyzer.correlate.rank.Anomaly;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.evaluate.rca.RcaOutcome;
import io.incidentanalyzer.evaluate.rca.SeriesEvidence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How issue rows become anomaly evidence against a baseline learned on normal operation. */
class PetShopEvidenceTest {
    private static final long STEP = 300_000L;
    private static final long T0 = 1_700_000_000_000L;

    private static PetShopMetrics normal() {
        Random rng = new Random(3);
        int n = 300;
        long[] ts = new long[n];
        double[] lat = new double[n];
        double[] avail = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * STEP;
            lat[i] = 1.0 * (1 + 0.02 * rng.nextGaussian());
            avail[i] = 100;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put(PetShopMetrics.key("svc", "latency", "Average"), lat);
        series.put(PetShopMetrics.key("svc", "availability", "Average"), avail);
        return new PetShopMetrics(ts, series);
    }

    /** Five rows, months earlier than the normal period; the symptom lies in row 1. */
    private static PetShopMetrics issue(double[] latency, double[] availability) {
        long start = T0 - 90L * 86_400_000L;
        long[] ts = new long[latency.length];
        for (int i = 0; i < ts.length; i++) ts[i] = start + i * STEP;
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put(PetShopMetrics.key("svc", "latency", "Average"), latency);
        series.put(PetShopMetrics.key("svc", "availability", "Average"), availability);
        return new PetShopMetrics(ts, series);
    }

    private static final long SYMPTOM = T0 - 90L * 86_400_000L + STEP + 60_000L;
    private static final double[] UP = {100, 100, 100, 100, 100};

    @TempDir Path empty;

    private List<Anomaly> evidence(PetShopMetrics issue) throws Exception {
        return evidence(issue, BaselineSettings.DEFAULTS);
    }

    private List<Anomaly> evidence(PetShopMetrics issue, BaselineSettings settings)
            throws Exception {
        Files.createDirectories(empty.resolve("s/noissue"));
        Files.writeString(empty.resolve("s/graph.csv"), ",svc\nsvc,0\n");
        Files.writeString(empty.resolve("s/noissue/metrics.csv"), "m\nm\nm\nu\n");
        PetShopEvaluation e = PetShopEvaluation.open(empty, settings);
        return e.evidence(normal(), issue, SYMPTOM);
    }

    @Test
    void aLevelThatDiffersFromTheNormalPeriodThroughoutIsNotEvidence() throws Exception {
        // 30 % above the normal level in every row, the reference row included
        assertThat(evidence(issue(new double[] {1.3, 1.3, 1.31, 1.3, 1.29}, UP))).isEmpty();
    }

    @Test
    void aRiseAfterTheReferenceIsEvidenceFromItsFirstRow() throws Exception {
        List<Anomaly> a = evidence(issue(new double[] {1.0, 1.0, 1.5, 2.0, 2.0}, UP));

        assertThat(a).hasSize(1);
        assertThat(a.get(0).node()).isEqualTo("svc");
        assertThat(a.get(0).onset()).isEqualTo(SYMPTOM - 60_000L + STEP);
        // a doubling is about 50 baseline scales here (2 % relative floor): 0.48 on the log scale
        assertThat(a.get(0).score()).isBetween(0.4, 0.6);
        assertThat(a.get(0).detail()).startsWith("latency up");
        assertThat(a.get(0).facet()).isEqualTo(Anomaly.Facet.LATENCY);
        assertThat(a.get(0).excess())
                .as("the rise in the series' own unit, beyond the reference row")
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void anAvailabilityThatNeverMovedCountsADropOfAFewPoints() throws Exception {
        // exactly 100 % in every normal row; 96 % for two rows of the issue
        PetShopMetrics dip =
                issue(new double[] {1, 1, 1, 1, 1}, new double[] {100, 100, 96, 96, 100});

        assertThat(evidence(dip, BaselineSettings.DEFAULTS))
                .as("the alerting floor (2 % of the level) hides a 4-point drop")
                .isEmpty();
        assertThat(evidence(dip, SeriesEvidence.SETTINGS))
                .singleElement()
                .satisfies(
                        x -> {
                            assertThat(x.kind()).isEqualTo("availability");
                            assertThat(x.score()).isGreaterThan(0.2);
                            assertThat(x.excess()).isCloseTo(4.0, within(1e-9));
                        });
    }

    @Test
    void theHeldOutIssuesAreFixedByTheirId() {
        assertThat(PetShopEvaluation.heldOut(outcome("high_traffic latency", "test/issue_0")))
                .isTrue();
        assertThat(PetShopEvaluation.heldOut(outcome("low_traffic availability", "test/issue_11")))
                .isTrue();
        assertThat(PetShopEvaluation.heldOut(outcome("high_traffic latency", "test/issue_3")))
                .isFalse();
        assertThat(PetShopEvaluation.heldOut(outcome("low_traffic latency", "test/issue_0")))
                .as("the scenario is part of the id")
                .isTrue();
        assertThat(PetShopEvaluation.heldOut(outcome("low_traffic latency", "test/issue_6")))
                .isFalse();
    }

    private static RcaOutcome outcome(String group, String id) {
        return RcaOutcome.of(group, id, "svc", List.of());
    }

    @Test
    void onlyTheHarmfulDirectionCounts() throws Exception {
        assertThat(evidence(issue(new double[] {1.0, 0.5, 0.5, 0.5, 0.5}, UP)))
                .as("faster is not a symptom")
                .isEmpty();
        List<Anomaly> a =
                evidence(issue(new double[] {1, 1, 1, 1, 1}, new double[] {100, 60, 60, 100, 100}));
        assertThat(a)
                .singleElement()
                .satisfies(x -> assertThat(x.kind()).isEqualTo("availability"));
        assertThat(a.get(0).onset()).as("row 1 holds the symptom").isEqualTo(SYMPTOM - 60_000L);
    }
}
