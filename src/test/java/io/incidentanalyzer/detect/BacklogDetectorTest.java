package io.incidentanalyzer.detect;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.BacklogRule;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

/** The backlog detector in event time: queue depth every 10 s, 10 s intervals, 4 steps. */
class BacklogDetectorTest {
    private KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> harness;

    static BacklogRule queueRule() {
        return new BacklogRule(
                "queue",
                "*",
                "queue_depth",
                Duration.ofSeconds(10),
                4,
                50.0,
                100.0,
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                Severity.MAJOR);
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
                new KeyedProcessOperator<>(new BacklogDetector(ENV, List.of(queueRule()))),
                MetricSample::seriesKey,
                Types.STRING);
    }

    private static MetricSample depth(long second, double value) {
        return new MetricSample(t(second), "database", "queue_depth", value, new HashMap<>());
    }

    private void send(long second, double value) throws Exception {
        MetricSample m = depth(second, value);
        harness.processElement(m, m.ts());
    }

    private List<Signal> signals() {
        return harness.extractOutputValues();
    }

    @Test
    void firesWhenTheQueueGrowsForTheWholeWindow() throws Exception {
        for (long s = 0; s <= 60; s += 10) send(s, 0);
        for (long s = 70; s <= 100; s += 10) send(s, (s - 60) * 10); // 100 … 400
        harness.processWatermark(t(100));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.kind()).isEqualTo(SignalKind.BACKLOG_GROWTH);
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            // The intervals ending at 60 … 100 closed at 0, 0, 100, 200,
                            // 300: three rises in four, closed by the sample at 100.
                            assertThat(s.ts()).isEqualTo(t(100));
                            assertThat(s.onset()).isEqualTo(t(60));
                            assertThat(s.peak()).isEqualTo(300.0);
                            assertThat(s.evidence())
                                    .anySatisfy(e -> assertThat(e).contains("3 of the last 4"));
                        });
    }

    @Test
    void aShallowOrNoisyQueueIsNotABacklog() throws Exception {
        Random noise = new Random(1);
        for (long s = 0; s <= 7200; s += 10) send(s, 40 + 30 * noise.nextDouble()); // never 100
        for (long s = 7210; s <= 7600; s += 10) send(s, 150 + 40 * noise.nextDouble()); // flat
        harness.processWatermark(t(7600));

        assertThat(signals()).isEmpty();
    }

    @Test
    void clearsOnceTheQueueIsBackWhereItStartedForTheClearTime() throws Exception {
        for (long s = 0; s <= 60; s += 10) send(s, 0);
        for (long s = 70; s <= 300; s += 10) send(s, (s - 60) * 10);
        for (long s = 310; s <= 360; s += 10) send(s, 0); // drained at 310, clear needs 60 s
        harness.processWatermark(t(360));
        assertThat(signals()).extracting(Signal::state).doesNotContain(SignalState.CLEAR);

        send(370, 0);
        harness.processWatermark(t(370));

        assertThat(signals()).extracting(Signal::state).endsWith(SignalState.CLEAR);
        Signal clear = signals().get(signals().size() - 1);
        assertThat(clear.id()).isEqualTo(signals().get(0).id());
        assertThat(clear.peak()).isEqualTo(2400.0);
    }

    @Test
    void reportsANewPeakHalfAgainAboveTheLastOne() throws Exception {
        for (long s = 0; s <= 60; s += 10) send(s, 0);
        for (long s = 70; s <= 170; s += 10) send(s, (s - 60) * 10);
        harness.processWatermark(t(170));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.UPDATE, SignalState.UPDATE);
        assertThat(signals()).extracting(Signal::peak).containsExactly(300.0, 500.0, 800.0);
    }

    @Test
    void silenceClearsAndReleasesStateAndTimers() throws Exception {
        for (long s = 0; s <= 60; s += 10) send(s, 0);
        for (long s = 70; s <= 100; s += 10) send(s, (s - 60) * 10);
        harness.processWatermark(t(100 + 300));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(signals().get(1).evidence().get(0)).contains("no samples");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aGapRestartsTheWindow() throws Exception {
        send(0, 100);
        send(10, 200);
        send(60, 300); // 40 s missing: growth across the gap is unknown
        send(70, 400);
        send(80, 500);
        harness.processWatermark(t(80));

        assertThat(signals()).isEmpty();
    }

    @Test
    void shuffledAndRestoredRunsGiveTheSameSignals() throws Exception {
        List<MetricSample> run = new ArrayList<>();
        for (long s = 0; s <= 60; s += 10) run.add(depth(s, 0));
        for (long s = 70; s <= 300; s += 10) run.add(depth(s, (s - 60) * 10));
        for (long s = 310; s <= 500; s += 10) run.add(depth(s, 0));
        for (MetricSample m : run) harness.processElement(m, m.ts());
        harness.processWatermark(t(500));
        List<Signal> inOrder = new ArrayList<>(signals());
        assertThat(inOrder)
                .extracting(Signal::state)
                .startsWith(SignalState.OPEN)
                .endsWith(SignalState.CLEAR);
        harness.close();

        harness = newHarness();
        harness.open();
        List<MetricSample> shuffled = new ArrayList<>(run.subList(0, 12));
        Collections.shuffle(shuffled, new Random(3));
        for (MetricSample m : shuffled) harness.processElement(m, m.ts());
        harness.processWatermark(t(110)); // open by now
        List<Signal> beforeSnapshot = new ArrayList<>(harness.extractOutputValues());
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(110));
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        for (MetricSample m : run.subList(12, run.size())) harness.processElement(m, m.ts());
        harness.processWatermark(t(500));
        List<Signal> resumed = new ArrayList<>(beforeSnapshot);
        resumed.addAll(harness.extractOutputValues());

        assertThat(beforeSnapshot).extracting(Signal::state).contains(SignalState.OPEN);
        assertThat(resumed).isEqualTo(inOrder);
    }
}
