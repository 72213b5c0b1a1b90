package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.CLEAR;
import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.Signal;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentCorrelatorTest {
    /** Ten minutes of MONITORING before an incident is RESOLVED. */
    private static final Duration QUIET = Duration.ofMinutes(10);

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
                new KeyedProcessOperator<>(new IncidentCorrelator(new CorrelationSettings(QUIET))),
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
    void overlappingSignalsFormOneIncidentResolvedAQuietPeriodAfterTheLastClears()
            throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("token-verification", OPEN, t(30), t(150)));
        send(saturation("database", CLEAR, t(0), t(400)));
        send(saturation("token-verification", CLEAR, t(30), t(500)));
        harness.processWatermark(t(1099));
        assertThat(events())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.SIGNAL_CLEARED,
                        IncidentEventType.MONITORING);
        assertThat(events().get(3).status()).isEqualTo(IncidentStatus.MONITORING);
        assertThat(events().get(3).closedAt()).isNull();

        harness.processWatermark(t(1100)); // 500 + 10 minutes

        assertThat(events())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.SIGNAL_CLEARED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(events())
                .extracting(IncidentEvent::incidentId)
                .containsOnly(ENV + "-20240216T072000Z");
        assertThat(events()).extracting(IncidentEvent::openedAt).containsOnly(t(0));
        IncidentEvent closed = events().get(4);
        assertThat(closed.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(closed.closedAt()).isEqualTo(t(1100));
        assertThat(closed.ts()).isEqualTo(t(1100));
        assertThat(closed.cause().ts())
                .as("the clear that began the quiet period")
                .isEqualTo(t(500));
        assertThat(closed.activeSignals()).isEmpty();
        assertThat(events().get(1).activeSignals())
                .extracting(Signal::service)
                .containsExactly("database", "token-verification");
    }

    @Test
    void signalAfterTheQuietPeriodOpensANewIncident() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("database", CLEAR, t(0), t(300)));
        send(saturation("database", OPEN, t(1000), t(1060))); // resolved at 900
        harness.processWatermark(t(1060));

        assertThat(events())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED,
                        IncidentEventType.OPENED);
        assertThat(events().get(2).closedAt()).isEqualTo(t(900));
        assertThat(events().get(3).incidentId())
                .isEqualTo(ENV + "-20240216T073640Z")
                .isNotEqualTo(events().get(0).incidentId());
    }

    @Test
    void aFlappingSignalReopensTheSameIncidentInsteadOfOpeningNewOnes() throws Exception {
        // CPU over its ceiling for 2 minutes of every 5, for an hour.
        for (long start = 0; start < 3600; start += 300) {
            send(saturation("api-gpt", OPEN, t(start), t(start + 60)));
            send(saturation("api-gpt", CLEAR, t(start), t(start + 180)));
        }
        harness.processWatermark(t(3600 + 900));

        assertThat(events())
                .extracting(IncidentEvent::incidentId)
                .containsOnly(events().get(0).incidentId());
        assertThat(events())
                .filteredOn(e -> e.type() == IncidentEventType.REOPENED)
                .hasSize(11)
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(IncidentStatus.INVESTIGATING));
        assertThat(events())
                .filteredOn(e -> e.type() == IncidentEventType.CLOSED)
                .singleElement()
                .satisfies(e -> assertThat(e.closedAt()).isEqualTo(t(3300 + 180 + 600)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
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
        assertThat(harness.numEventTimeTimers()).as("the quiet period's timer").isEqualTo(1);
        harness.processWatermark(t(900));

        assertThat(events()).hasSize(3);
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
        OperatorSubtaskState monitoring = harness.snapshot(2L, t(300));
        harness.close();

        harness = newHarness();
        harness.initializeState(monitoring);
        harness.open();
        harness.processWatermark(t(900)); // the quiet period's timer came back with the state

        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.type()).isEqualTo(IncidentEventType.CLOSED);
                            assertThat(e.incidentId()).isEqualTo(id);
                            assertThat(e.closedAt()).isEqualTo(t(900));
                        });
    }
}
