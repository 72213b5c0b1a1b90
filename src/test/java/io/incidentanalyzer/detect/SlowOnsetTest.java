package io.incidentanalyzer.detect;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.BaselineShiftRule;
import io.incidentanalyzer.config.BaselineShiftSettings;
import io.incidentanalyzer.config.CreepSettings;
import io.incidentanalyzer.config.Direction;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Slow onsets (docs/detectors.md#slow-onsets): a request rate of 100 ± 2 learned for a day and an
 * hour (the sequential test waits a day), then a workload that grows by 3 per minute. Its effect
 * reaches twice the normal deviation (4) 80 s after it starts: the 2× moment.
 */
class SlowOnsetTest {
    private static final long SEASONED = 25 * 3600;
    private static final double LEVEL = 100;
    private static final double SIGMA = 2;
    private static final double PER_MINUTE = 3;
    private static final long TWO_X_MOMENT_S = 80;

    private final Random noise = new Random(14);

    /** A minor load rule: 6 spreads and a tenth above the baseline for 30 s. */
    private static BaselineShiftSettings settings(CreepSettings creep) {
        BaselineShiftRule load =
                new BaselineShiftRule(
                        "traffic",
                        "*",
                        "request_rate",
                        Direction.UP,
                        6.0,
                        0.1,
                        0.0,
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(5),
                        Duration.ofHours(6),
                        Severity.MINOR);
        // The baseline-shift tests' baseline: 1 h half-life, no daily profile, 1% floor.
        return new BaselineShiftSettings(
                BaselineShiftDetectorTest.settings().baseline(),
                Duration.ofDays(2),
                List.of(load),
                null,
                creep);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> harness(
            CreepSettings creep) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new BaselineShiftDetector(ENV, settings(creep))),
                        MetricSample::seriesKey,
                        Types.STRING);
        h.open();
        return h;
    }

    /** Samples every 10 s in [from, to) seconds: the level plus noise plus a ramp from rampFrom. */
    private void feed(
            KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> h,
            long from,
            long to,
            long rampFrom)
            throws Exception {
        for (long s = from; s < to; s += 10) {
            double ramp = s >= rampFrom ? PER_MINUTE * (s - rampFrom) / 60.0 : 0;
            MetricSample m =
                    new MetricSample(
                            t(s),
                            "database",
                            "request_rate",
                            LEVEL + ramp + SIGMA * noise.nextGaussian(),
                            new HashMap<>());
            h.processElement(m, m.ts());
        }
        h.processWatermark(t(to));
    }

    private static List<Signal> opens(
            KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> h) {
        return h.extractOutputValues().stream().filter(s -> s.state() == SignalState.OPEN).toList();
    }

    @Test
    void aGrowingLoadIsFlaggedWithinAMinuteOfItsTwoXMoment() throws Exception {
        try (var h = harness(CreepSettings.defaults())) {
            feed(h, 0, SEASONED, Long.MAX_VALUE);
            assertThat(h.extractOutputValues()).isEmpty();

            feed(h, SEASONED, SEASONED + 600, SEASONED);

            assertThat(opens(h))
                    .first()
                    .satisfies(
                            s -> {
                                assertThat(s.ts() - t(SEASONED))
                                        .as("OPEN within 60 s of the 2x moment")
                                        .isLessThanOrEqualTo((TWO_X_MOMENT_S + 60) * 1000);
                                assertThat(s.onset())
                                        .as("the test's run starts near the ramp's start")
                                        .isBetween(t(SEASONED - 60), t(SEASONED + 120));
                                assertThat(s.evidence()).anyMatch(e -> e.contains("slow onset"));
                            });
        }
    }

    @Test
    void withoutTheSequentialTestTheSameRampIsFlaggedMinutesLater() throws Exception {
        // The margins alone: 6 spreads (12) for 30 s, reached about 4.5 minutes in.
        CreepSettings off = new CreepSettings(null, 1e9, null, null);
        try (var h = harness(off)) {
            feed(h, 0, SEASONED, Long.MAX_VALUE);
            feed(h, SEASONED, SEASONED + 600, SEASONED);

            assertThat(opens(h))
                    .first()
                    .satisfies(
                            s ->
                                    assertThat(s.ts() - t(SEASONED))
                                            .isGreaterThan((TWO_X_MOMENT_S + 60) * 1000));
        }
    }

    @Test
    void aSteadySeriesWithNormalNoiseOpensNothingForADay() throws Exception {
        try (var h = harness(CreepSettings.defaults())) {
            feed(h, 0, SEASONED + 24 * 3600, Long.MAX_VALUE);

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void theTestWaitsForASeasonedBaseline() throws Exception {
        // The same ramp two hours in: a young baseline, so only the margins can open it.
        try (var h = harness(CreepSettings.defaults())) {
            feed(h, 0, 7200, Long.MAX_VALUE);
            feed(h, 7200, 7800, 7200);

            assertThat(opens(h))
                    .first()
                    .satisfies(
                            s -> {
                                assertThat(s.ts() - t(7200))
                                        .isGreaterThan((TWO_X_MOMENT_S + 60) * 1000);
                                assertThat(s.evidence()).noneMatch(e -> e.contains("slow onset"));
                            });
        }
    }
}
