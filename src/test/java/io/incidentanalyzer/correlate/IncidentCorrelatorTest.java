package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.CLEAR;
import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.Signal;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentCorrelatorTest {
    private KeyedOneInputStreamOperatorTestHarness<String, Signal, IncidentEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Signal, IncidentEvent>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new IncidentCorrelator()),
                Signal::environment,
                Types.STRING);
    }

    private void send(Signal s) throws Exception {
        harness.processElement(s, s.ts());
    }

    private List<IncidentEvent> events() {
        return harness.extractOutputValues();
    }

    @Test
    void overlappingSignalsFormOneIncidentThatClosesWithTheLast() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("token-verification", OPEN, t(30), t(150)));
        send(saturation("database", CLEAR, t(0), t(400)));
        send(saturation("token-verification", CLEAR, t(30), t(500)));
        harness.processWatermark(t(500));

        assertThat(events())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.SIGNAL_CLEARED,
                        IncidentEventType.CLOSED);
        assertThat(events())
                .extracting(IncidentEvent::incidentId)
                .containsOnly(ENV + "-20240216T072000Z");
        assertThat(events()).extracting(IncidentEvent::openedAt).containsOnly(t(0));
        IncidentEvent closed = events().get(3);
        assertThat(closed.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(closed.closedAt()).isEqualTo(t(500));
        assertThat(closed.activeSignals()).isEmpty();
        assertThat(events().get(1).activeSignals())
                .extracting(Signal::service)
                .containsExactly("database", "token-verification");
    }

    @Test
    void signalAfterTheIncidentClosedOpensANewOne() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("database", CLEAR, t(0), t(300)));
        send(saturation("database", OPEN, t(900), t(960)));
        harness.processWatermark(t(960));

        assertThat(events())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.CLOSED,
                        IncidentEventType.OPENED);
        assertThat(events().get(2).incidentId())
                .isEqualTo(ENV + "-20240216T073500Z")
                .isNotEqualTo(events().get(0).incidentId());
    }

    @Test
    void signalOpeningAsAnotherClearsJoinsTheSameIncident() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        // Arrival order puts the clear first; event time says both happen at t(300).
        send(saturation("database", CLEAR, t(0), t(300)));
        send(saturation("api-gpt", OPEN, t(200), t(300)));
        harness.processWatermark(t(300));

        assertThat(events())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.SIGNAL_CLEARED);
    }

    @Test
    void clearWithoutItsOpenIsIgnored() throws Exception {
        send(saturation("database", CLEAR, t(0), t(300)));
        harness.processWatermark(t(300));

        assertThat(events()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void stateAndTimersAreReleasedWhenTheIncidentCloses() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("database", CLEAR, t(0), t(300)));
        harness.processWatermark(t(300));

        assertThat(events()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void restoredCorrelatorClosesTheIncidentItHadOpened() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        harness.processWatermark(t(60));
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(60));
        String id = events().get(0).incidentId();
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(saturation("database", CLEAR, t(0), t(300)));
        harness.processWatermark(t(300));

        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.type()).isEqualTo(IncidentEventType.CLOSED);
                            assertThat(e.incidentId()).isEqualTo(id);
                        });
    }
}
