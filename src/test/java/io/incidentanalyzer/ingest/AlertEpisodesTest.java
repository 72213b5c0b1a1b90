package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.ingest.format.AlertSignals;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertEpisodesTest {
    static final long T0 = 1708072380000L;

    static Signal firing(String name, long startsAt) {
        return AlertSignals.report(
                "checkout", name, "a1b2", true, startsAt, -1, Severity.CRITICAL, List.of(name));
    }

    static Signal resolved(String name, long startsAt, long endsAt) {
        return AlertSignals.report(
                "checkout",
                name,
                "a1b2",
                false,
                startsAt,
                endsAt,
                Severity.CRITICAL,
                List.of(name));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Signal, Signal> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertEpisodes("shop")),
                new AlertEpisodes.AlertKey(),
                Types.STRING);
    }

    private static void push(
            KeyedOneInputStreamOperatorTestHarness<String, Signal, Signal> h, Signal... reports)
            throws Exception {
        for (Signal s : reports) h.processElement(new StreamRecord<>(s, s.ts()));
    }

    @Test
    void repeatedNotificationsGiveOneOpenAndTheResolvedOneClearThenStateIsGone() throws Exception {
        try (var h = harness()) {
            h.open();
            push(
                    h,
                    firing("ErrorRate", T0),
                    firing("ErrorRate", T0), // the group's next notification repeats it
                    resolved("ErrorRate", T0, T0 + 300_000),
                    resolved("ErrorRate", T0, T0 + 300_000)); // and the resolved one too

            List<Signal> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(Signal::state)
                    .containsExactly(SignalState.OPEN, SignalState.CLEAR);
            assertThat(out).extracting(Signal::environment).containsOnly("shop");
            assertThat(out.get(0).id()).isEqualTo(out.get(1).id());
            assertThat(out.get(1).ts()).isEqualTo(T0 + 300_000);
            assertThat(out.get(1).recoveredAt()).isEqualTo(T0 + 300_000);
            // What is left is the resolved episode's start, which the TTL removes.
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void aFiringRepeatAfterItsResolvedOneOpensNothing() throws Exception {
        try (var h = harness()) {
            h.open();
            push(
                    h,
                    firing("ErrorRate", T0),
                    resolved("ErrorRate", T0, T0 + 300_000),
                    firing("ErrorRate", T0),
                    resolved("ErrorRate", T0 + 600_000, T0 + 900_000),
                    firing("ErrorRate", T0 + 600_000));

            assertThat(h.extractOutputValues())
                    .extracting(Signal::state)
                    .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        }
    }

    @Test
    void aNewFiringWhileOpenClearsTheEpisodeWhoseResolvedWasLost() throws Exception {
        try (var h = harness()) {
            h.open();
            push(h, firing("ErrorRate", T0), firing("ErrorRate", T0 + 600_000));

            List<Signal> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(Signal::state, Signal::onset, Signal::ts)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(SignalState.OPEN, T0, T0),
                            org.assertj.core.groups.Tuple.tuple(
                                    SignalState.CLEAR, T0, T0 + 600_000),
                            org.assertj.core.groups.Tuple.tuple(
                                    SignalState.OPEN, T0 + 600_000, T0 + 600_000));
        }
    }

    @Test
    void aResolvedAlertWhoseFiringWasNeverSeenIsDropped() throws Exception {
        try (var h = harness()) {
            h.open();
            push(h, resolved("ErrorRate", T0, T0 + 60_000));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        }
    }

    @Test
    void anOpenEpisodeSurvivesASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            push(h, firing("ErrorRate", T0));
            snapshot = h.snapshot(1, T0);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            push(h, firing("ErrorRate", T0), resolved("ErrorRate", T0, T0 + 60_000));
            assertThat(h.extractOutputValues())
                    .extracting(Signal::state)
                    .containsExactly(SignalState.CLEAR);
        }
    }
}
