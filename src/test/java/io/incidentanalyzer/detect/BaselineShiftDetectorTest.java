package io.incidentanalyzer.detect;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.incidentanalyzer.config.BaselineConfig;
import io.incidentanalyzer.config.BaselineShiftRule;
import io.incidentanalyzer.config.BaselineShiftSettings;
import io.incidentanalyzer.config.Direction;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The baseline-shift detector driven in event time: a latency series with a learned baseline of 100
 * ms ± 2 (an hour of warm-up samples every 10 s), then shifts.
 */
class BaselineShiftDetectorTest {
    private static final long WARM_UP_END = 3600;

    private KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> harness;
    private final Random noise = new Random(5);

    /** Latency up by half and 20 ms, 6 spreads, for 30 s; clear after 2 min; no data 5 min. */
    static BaselineShiftSettings settings() {
        BaselineShiftRule latency =
                new BaselineShiftRule(
                        "latency",
                        "*",
                        "latency_p95_ms",
                        Direction.UP,
                        6.0,
                        0.5,
                        20.0,
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(5),
                        Duration.ofHours(6),
                        Severity.MAJOR);
        return new BaselineShiftSettings(
                new BaselineConfig(
                        Duration.ofHours(1),
                        30,
                        Duration.ZERO,
                        null,
                        null,
                        0.01,
                        null,
                        null,
                        null,
                        null),
                Duration.ofDays(1),
                List.of(latency),
                null,
                null);
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new BaselineShiftDetector(ENV, settings())),
                MetricSample::seriesKey,
                Types.STRING);
    }

    private static MetricSample latency(long second, double value) {
        return new MetricSample(t(second), "api-gpt", "latency_p95_ms", value, new HashMap<>());
    }

    /** Latency every 10 s from {@code from} to {@code to} seconds, around {@code level}. */
    private void latency(long from, long to, double level) throws Exception {
        for (long s = from; s <= to; s += 10) {
            MetricSample m = latency(s, level + 2 * noise.nextGaussian());
            harness.processElement(m, m.ts());
        }
        harness.processWatermark(t(to));
    }

    private List<Signal> signals() {
        return harness.extractOutputValues();
    }

    /** The signals that open or clear, without the periodic UPDATEs of an open shift. */
    private List<Signal> stateChanges() {
        return signals().stream().filter(x -> x.state() != SignalState.UPDATE).toList();
    }

    @Test
    void firesWhenTheSeriesLeavesItsBaselineForTheSustainTime() throws Exception {
        latency(0, WARM_UP_END, 100);
        assertThat(signals()).isEmpty();

        latency(WARM_UP_END + 10, WARM_UP_END + 30, 400); // 20 s: not yet
        assertThat(signals()).isEmpty();
        latency(WARM_UP_END + 40, WARM_UP_END + 40, 400); // 30 s since the first
        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.kind()).isEqualTo(SignalKind.BASELINE_SHIFT);
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            assertThat(s.onset()).isEqualTo(t(WARM_UP_END + 10));
                            assertThat(s.ts()).isEqualTo(t(WARM_UP_END + 40));
                            assertThat(s.baseline()).isBetween(97.0, 103.0);
                            assertThat(s.ratio()).isBetween(3.8, 4.2);
                            assertThat(s.subject()).isEqualTo("latency_p95_ms");
                            assertThat(s.evidence().get(0)).contains("above its baseline");
                            assertThat(s.evidence())
                                    .anySatisfy(
                                            e ->
                                                    assertThat(e)
                                                            .matches(
                                                                    "anomaly score"
                                                                        + " (0\\.9\\d|1\\.00) at"
                                                                        + " the onset.*"));
                        });
    }

    /**
     * A finite but absurd sample while the series warms up (the only time the detector learns a
     * sample this far off: once warm, it is shifted and not learned) must not blind the series: an
     * hour later a latency three times the usual opens within the sustain time and a minute.
     */
    @ParameterizedTest
    @ValueSource(doubles = {1e12, 1e300, Double.MAX_VALUE})
    void anAbsurdSampleWhileWarmingUpDoesNotHideALaterShift(double absurd) throws Exception {
        latency(0, 50, 100);
        MetricSample outlier = latency(60, absurd);
        harness.processElement(outlier, outlier.ts());
        latency(70, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 120, 300);

        assertThat(stateChanges())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            assertThat(s.ts()).isLessThanOrEqualTo(t(WARM_UP_END + 10 + 30 + 60));
                        });
    }

    @Test
    void aShortBlipOrASmallRiseIsNotAShift() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 20, 400); // 10 s blip
        latency(WARM_UP_END + 30, WARM_UP_END + 600, 100);
        latency(WARM_UP_END + 610, WARM_UP_END + 1200, 140); // 40%: below minChange of 50%

        assertThat(signals()).isEmpty();
    }

    @Test
    void quietOnNoiseForADay() throws Exception {
        Random heavy = new Random(9);
        for (long s = 0; s <= 86_400; s += 10) {
            // Noise with occasional 20% outliers: robust to them, and they are below minChange.
            double v = 100 + 3 * heavy.nextGaussian() + (heavy.nextInt(50) == 0 ? 20 : 0);
            MetricSample m = latency(s, v);
            harness.processElement(m, m.ts());
        }
        harness.processWatermark(t(86_400));

        assertThat(signals()).isEmpty();
    }

    @Test
    void clearsAfterTheClearTimeBackWithinHalfTheMargins() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 300, 400);
        latency(WARM_UP_END + 310, WARM_UP_END + 420, 100); // back at 310; clear needs 120 s
        assertThat(stateChanges()).extracting(Signal::state).containsExactly(SignalState.OPEN);
        // Open, it reports its current value every minute (reportEvery): 400, then 100 again.
        List<Signal> updates =
                signals().stream().filter(x -> x.state() == SignalState.UPDATE).toList();
        assertThat(updates).isNotEmpty();
        long previous = signals().get(0).ts();
        for (Signal u : updates) {
            assertThat(u.ts() - previous).isEqualTo(60_000);
            previous = u.ts();
        }
        assertThat(updates.get(0).value()).isCloseTo(400, within(5.0));
        assertThat(updates.get(updates.size() - 1).value()).isCloseTo(100, within(5.0));

        latency(WARM_UP_END + 430, WARM_UP_END + 430, 100);

        assertThat(stateChanges())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(stateChanges().get(1).id()).isEqualTo(signals().get(0).id());
        assertThat(stateChanges().get(1).ts()).isEqualTo(t(WARM_UP_END + 430));
    }

    @Test
    void theFaultIsNotLearnedAsTheNewBaselineWhileItLasts() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 3 * 3600, 400); // three half-lives at 400

        assertThat(stateChanges())
                .as("still open: the baseline did not move to 400")
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN);
    }

    @Test
    void aShiftThatOutlastsRelearnAfterBecomesTheNewNormal() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 6 * 3600 + 10, 400);

        assertThat(stateChanges())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(stateChanges().get(1).evidence())
                .anySatisfy(e -> assertThat(e).contains("new normal"));
        int before = signals().size();
        latency(WARM_UP_END + 6 * 3600 + 20, WARM_UP_END + 8 * 3600, 400);
        assertThat(signals()).as("400 is the baseline now").hasSize(before);
    }

    @Test
    void updatesWhenTheDeviationGrows() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 60, 300);
        latency(WARM_UP_END + 70, WARM_UP_END + 80, 900);

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.UPDATE);
        assertThat(signals().get(1).peak()).isGreaterThan(850);
    }

    @Test
    void silenceClearsAnOpenSignalThenForgetsTheSeriesAndItsTimers() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 60, 400); // open; last sample at +60
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(t(WARM_UP_END + 60 + 300));
        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(signals().get(1).evidence().get(0)).contains("no samples");
        assertThat(harness.numKeyedStateEntries()).as("the baseline stays").isPositive();

        harness.processWatermark(t(WARM_UP_END + 60 + 86_400 + 1));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void restoredDetectorContinuesTheEpisodeWithTheSameBaseline() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 20, 400); // pending
        List<MetricSample> rest = new ArrayList<>();
        for (long s = WARM_UP_END + 30; s <= WARM_UP_END + 600; s += 10) {
            rest.add(latency(s, s < WARM_UP_END + 300 ? 400 : 100));
        }
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(WARM_UP_END + 20));
        for (MetricSample m : rest) harness.processElement(m, m.ts());
        harness.processWatermark(t(WARM_UP_END + 600));
        List<Signal> uninterrupted = new ArrayList<>(signals());
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        for (MetricSample m : rest) harness.processElement(m, m.ts());
        harness.processWatermark(t(WARM_UP_END + 600));

        assertThat(uninterrupted)
                .filteredOn(x -> x.state() != SignalState.UPDATE)
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(signals()).isEqualTo(uninterrupted);
    }

    @Test
    void watchesOnlyTheDirectionOfTheRule() throws Exception {
        latency(0, WARM_UP_END, 100);
        latency(WARM_UP_END + 10, WARM_UP_END + 600, 5); // latency collapsing is not a fault here

        assertThat(signals()).isEmpty();
    }
}
