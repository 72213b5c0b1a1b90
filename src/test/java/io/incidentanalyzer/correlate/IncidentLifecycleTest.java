package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.CLEAR;
import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The correlator's lifecycle, identification and change effects as plain classes over in-memory
 * state ({@link InMemoryCorrelator}): no Flink harness, time moved by firing timers.
 */
class IncidentLifecycleTest {
    /** A front calling search (over an index) and payments: search and payments share no path. */
    private static final Map<String, List<String>> SHOP =
            Map.of(
                    "index", List.of(),
                    "search", List.of("index"),
                    "payments", List.of(),
                    "front", List.of("search", "payments"));

    private final InMemoryCorrelator c =
            new InMemoryCorrelator(
                    CorrelationSettings.withQuietPeriod(Duration.ofMinutes(10)), SHOP);

    private List<IncidentEventType> types() {
        return c.events.stream().map(IncidentEvent::type).toList();
    }

    private static Signal minor(String service, SignalState state, long onset, long ts) {
        return signal(
                SignalKind.BASELINE_SHIFT,
                service,
                "latency_p99",
                state,
                onset,
                ts,
                300,
                300,
                100,
                Severity.MINOR);
    }

    @Test
    void aCriticalSignalOpensAnIncidentThatIsResolvedAQuietPeriodAfterItClears() throws Exception {
        c.send(saturation("index", OPEN, t(0), t(60)));
        c.send(saturation("index", CLEAR, t(0), t(300)));
        assertThat(c.timerSet).contains(t(300 + 600));

        c.fireTimersUntil(t(300 + 599));
        assertThat(types()).doesNotContain(IncidentEventType.CLOSED);
        c.fireTimersUntil(t(300 + 600));

        assertThat(types())
                .startsWith(IncidentEventType.OPENED)
                .contains(IncidentEventType.MONITORING)
                .endsWith(IncidentEventType.CLOSED);
        assertThat(c.events)
                .extracting(IncidentEvent::incidentId)
                .containsOnly(ENV + "-20240216T072000Z");
        assertThat(c.stateEntries()).as("every signal and the incident are gone").isZero();
        assertThat(c.timerSet).isEmpty();
        assertThat(c.correlation.incidents.openCount()).isZero();
    }

    @Test
    void aMinorSignalAloneWaitsAndCountsAsBelowEvidenceWhenItClears() throws Exception {
        c.send(minor("search", OPEN, t(0), t(60)));
        assertThat(c.correlation.signals.waiting()).hasSize(1);
        c.send(minor("search", CLEAR, t(0), t(120)));

        assertThat(c.events).isEmpty();
        assertThat(c.belowEvidence.getCount()).isEqualTo(1);
        assertThat(c.stateEntries()).isZero();
    }

    @Test
    void aReportOfASignalNeverOpenedIsCountedAndIgnored() throws Exception {
        c.send(saturation("index", CLEAR, t(0), t(60)));
        assertThat(c.unmatched.getCount()).isEqualTo(1);
        assertThat(c.events).isEmpty();
    }

    @Test
    void unlinkedSignalsStartingApartAreTwoIncidentsAndALinkedOneJoinsItsOwn() throws Exception {
        c.send(saturation("index", OPEN, t(0), t(60)));
        c.send(saturation("payments", OPEN, t(900), t(960)));
        c.send(saturation("search", OPEN, t(1000), t(1060))); // linked to index, not payments

        assertThat(c.events)
                .extracting(IncidentEvent::type, IncidentEvent::incidentId)
                .contains(
                        tuple(IncidentEventType.OPENED, ENV + "-20240216T072000Z"),
                        tuple(IncidentEventType.OPENED, ENV + "-20240216T073500Z"),
                        tuple(IncidentEventType.SIGNAL_ADDED, ENV + "-20240216T072000Z"));
        assertThat(c.correlation.incidents.open())
                .extracting(o -> o.incidentId, o -> o.services)
                .containsExactly(
                        tuple(ENV + "-20240216T072000Z", List.of("index", "search")),
                        tuple(ENV + "-20240216T073500Z", List.of("payments")));
    }

    @Test
    void aChangeIsMeasuredOnlyInTheIncidentItsServiceIsLinkedTo() throws Exception {
        c.send(saturation("index", OPEN, t(0), t(60)));
        c.send(saturation("payments", OPEN, t(900), t(960)));
        c.send(new ChangeEvent(t(1000), "payments", ChangeKind.ROLLBACK, "2", null));
        c.send(saturation("payments", CLEAR, t(900), t(1030)));
        c.fireTimersUntil(t(1000 + 120));

        List<IncidentEvent> measured =
                c.events.stream().filter(e -> e.type() == IncidentEventType.CHANGE_EFFECT).toList();
        assertThat(measured)
                .extracting(IncidentEvent::incidentId)
                .containsExactly(ENV + "-20240216T073500Z");
        ChangeEffect effect = measured.get(0).changeEffects().get(0);
        assertThat(effect.verdict()).isEqualTo(ChangeEffect.Verdict.CLEARED);
        assertThat(effect.turningPoint()).isTrue();
        assertThat(c.changes.get()).hasSize(1);
    }

    @Test
    void closingAnIncidentKeepsATimerAnotherIncidentWaitsFor() throws Exception {
        c.send(saturation("index", OPEN, t(0), t(60)));
        c.send(saturation("payments", OPEN, t(900), t(960)));
        OpenIncident first = c.correlation.incidents.open().get(0);
        OpenIncident second = c.correlation.incidents.open().get(1);
        second.resolveAt = t(5000);
        second.monitoringSince = t(960);
        c.correlation.incidents.save(second);
        c.timers.register(t(5000));

        c.correlation.incidents.dropTimer(c.timers, t(5000), first);
        assertThat(c.timerSet).as("the second incident still waits for it").contains(t(5000));
        c.correlation.incidents.dropTimer(c.timers, t(5000), second);
        assertThat(c.timerSet).doesNotContain(t(5000));
    }
}
