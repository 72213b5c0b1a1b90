package io.incidentanalyzer.detect;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.cpu;
import static io.incidentanalyzer.testing.Fixtures.databaseCpuRule;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The saturation detector driven in event time: samples and watermarks, no waiting. */
class SaturationDetectorTest {
    private KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> harness;

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
        // Not opened yet, so that a restore test can initialize it from a snapshot first.
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SaturationDetector(ENV, List.of(databaseCpuRule()))),
                MetricSample::seriesKey,
                Types.STRING);
    }

    private void send(MetricSample s) throws Exception {
        harness.processElement(s, s.ts());
    }

    /** Database CPU every 10 s from {@code fromSecond} to {@code toSecond} inclusive. */
    private void dbCpu(long fromSecond, long toSecond, double value) throws Exception {
        for (long s = fromSecond; s <= toSecond; s += 10) {
            send(cpu("database", t(s), value));
        }
    }

    private List<Signal> signals() {
        return harness.extractOutputValues();
    }

    @Test
    void firesOnceTheCeilingIsHeldForTheSustainTime() throws Exception {
        dbCpu(0, 50, 40);
        dbCpu(60, 110, 97); // 50 s at the ceiling: not yet
        harness.processWatermark(t(110));
        assertThat(signals()).isEmpty();

        dbCpu(120, 120, 100); // 60 s since the first sample at the ceiling
        harness.processWatermark(t(120));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            assertThat(s.onset()).isEqualTo(t(60));
                            assertThat(s.ts()).isEqualTo(t(120));
                            assertThat(s.peak()).isEqualTo(100.0);
                            assertThat(s.service()).isEqualTo("database");
                            assertThat(s.id())
                                    .isEqualTo(
                                            "saturation:"
                                                    + ENV
                                                    + ":database/cpu_utilization:"
                                                    + t(60));
                        });
    }

    @Test
    void dipBelowTheCeilingRestartsTheSustainClock() throws Exception {
        dbCpu(0, 50, 97);
        dbCpu(60, 60, 90); // below 95: the run is broken
        dbCpu(70, 120, 97); // only 50 s since the new run began
        harness.processWatermark(t(120));

        assertThat(signals()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isPositive(); // a run is pending
    }

    @Test
    void clearsOnlyAfterHoldingBelowTheClearLevelForTheClearTime() throws Exception {
        dbCpu(0, 60, 99); // opens at 60
        dbCpu(70, 150, 88); // below the ceiling but above the clear level: still open
        dbCpu(160, 270, 60); // at 160 below 80; clear needs 120 s: at 280
        harness.processWatermark(t(270));
        assertThat(signals()).extracting(Signal::state).containsExactly(SignalState.OPEN);

        dbCpu(280, 280, 60);
        harness.processWatermark(t(280));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        Signal clear = signals().get(1);
        assertThat(clear.ts()).isEqualTo(t(280));
        assertThat(clear.onset()).isEqualTo(t(0));
        assertThat(clear.id()).isEqualTo(signals().get(0).id());
    }

    @Test
    void hoveringAroundTheCeilingDoesNotFlap() throws Exception {
        dbCpu(0, 60, 99); // open
        for (long s = 70; s <= 1200; s += 10) {
            send(cpu("database", t(s), s % 20 == 0 ? 96 : 93)); // hovers at the ceiling
        }
        harness.processWatermark(t(1200));

        assertThat(signals()).extracting(Signal::state).containsExactly(SignalState.OPEN);
    }

    @Test
    void staysQuietOnNoiseBelowTheCeiling() throws Exception {
        Random noise = new Random(42);
        for (long s = 0; s <= 7200; s += 10) {
            send(cpu("database", t(s), 70 + noise.nextDouble() * 24.9)); // 70 .. 94.9
        }
        harness.processWatermark(t(7200));

        assertThat(signals()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void releasesKeyedStateAndTimersWhenTheEpisodeEnds() throws Exception {
        dbCpu(0, 60, 99);
        dbCpu(70, 200, 50);
        harness.processWatermark(t(200));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void seriesThatFallsSilentWhileOpenClearsAfterTheNoDataLimit() throws Exception {
        dbCpu(0, 60, 99); // open; last sample at 60
        send(cpu("token-verification", t(400), 10)); // unrelated series, no rule
        harness.processWatermark(t(359));
        assertThat(signals()).hasSize(1);

        harness.processWatermark(t(360)); // 60 + 5 min

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(signals().get(1).evidence())
                .anySatisfy(e -> assertThat(e).contains("no samples"));
        harness.processWatermark(t(400)); // releases the unrelated sample as well
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void outOfOrderSamplesGiveTheSameSignalsAsOrderedOnes() throws Exception {
        List<MetricSample> episode = new ArrayList<>();
        for (long s = 0; s <= 400; s += 10) {
            episode.add(cpu("database", t(s), s >= 60 && s < 200 ? 99 : 40));
        }
        for (MetricSample s : episode) send(s);
        harness.processWatermark(t(400));
        List<Signal> inOrder = new ArrayList<>(signals());

        try (var shuffled = newHarness()) {
            shuffled.open();
            List<MetricSample> copy = new ArrayList<>(episode);
            java.util.Collections.shuffle(copy, new Random(7));
            for (MetricSample s : copy) shuffled.processElement(s, s.ts());
            shuffled.processWatermark(t(400));

            assertThat(inOrder).hasSize(2);
            assertThat(shuffled.extractOutputValues()).isEqualTo(inOrder);
        }
    }

    @Test
    void lateSampleGoesToTheLateOutputNotTheDetector() throws Exception {
        harness.processWatermark(t(100));
        send(cpu("database", t(50), 99));

        assertThat(signals()).isEmpty();
        assertThat(harness.getSideOutput(EventTimeOrderedFunction.LATE))
                .extracting(StreamRecord::getValue)
                .extracting(DeadLetter::reason)
                .containsExactly(RejectReason.LATE_EVENT);
    }

    @Test
    void restoredDetectorContinuesTheEpisode() throws Exception {
        dbCpu(0, 50, 99); // a run is pending, not yet open
        harness.processWatermark(t(50));
        dbCpu(60, 70, 99); // buffered, waiting for the watermark
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(70));
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processWatermark(t(70));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            assertThat(s.onset()).isEqualTo(t(0));
                            assertThat(s.ts()).isEqualTo(t(60));
                        });
    }
}
