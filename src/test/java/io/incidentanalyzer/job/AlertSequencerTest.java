package io.incidentanalyzer.job;

import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.IncidentAlert;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert keys: each incident's events numbered from 0, the count surviving a restore. */
class AlertSequencerTest {
    private KeyedOneInputStreamOperatorTestHarness<String, IncidentEvent, IncidentAlert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, IncidentEvent, IncidentAlert>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AlertSequencer()),
                IncidentEvent::incidentId,
                Types.STRING);
    }

    private static IncidentEvent event(String incident, IncidentEventType type, long ts) {
        return new IncidentEvent(
                incident,
                "it",
                type,
                ts,
                IncidentStatus.INVESTIGATING,
                t(0),
                null,
                "title",
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null);
    }

    private void send(IncidentEvent e) throws Exception {
        harness.processElement(e, e.ts());
    }

    private List<String> keys() {
        return harness.extractOutputValues().stream().map(IncidentAlert::key).toList();
    }

    @Test
    void numbersEachIncidentsEventsFromZeroAndForgetsAClosedIncident() throws Exception {
        send(event("a", IncidentEventType.OPENED, t(10)));
        send(event("b", IncidentEventType.OPENED, t(20)));
        send(event("a", IncidentEventType.IDENTIFIED, t(30)));
        send(event("a", IncidentEventType.CLOSED, t(40)));

        assertThat(keys()).containsExactly("a/0", "b/0", "a/1", "a/2");
        assertThat(harness.extractOutputValues())
                .extracting(a -> a.event().type())
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.CLOSED);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // b is still open
    }

    @Test
    void aRestoredSequencerGivesReplayedEventsTheirFirstKeys() throws Exception {
        send(event("a", IncidentEventType.OPENED, t(10)));
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(10));
        send(event("a", IncidentEventType.IDENTIFIED, t(30)));
        assertThat(keys()).containsExactly("a/0", "a/1");
        harness.close();

        // A failure after the checkpoint: the job restores it and the IDENTIFIED event comes again.
        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(event("a", IncidentEventType.IDENTIFIED, t(30)));
        send(event("a", IncidentEventType.CLOSED, t(40)));

        assertThat(keys()).containsExactly("a/1", "a/2");
        assertThat(harness.numKeyedStateEntries()).isZero();
    }
}
