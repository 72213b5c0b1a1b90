package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.CLEAR;
import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.model.SignalState.UPDATE;
import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.latencyShift;
import static io.incidentanalyzer.testing.Fixtures.requestRate;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.ServiceConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentCorrelatorTest {
    /** Ten minutes of MONITORING before an incident is RESOLVED. */
    private static final Duration QUIET = Duration.ofMinutes(10);

    private KeyedOneInputStreamOperatorTestHarness<String, CorrelatorInput, IncidentEvent> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CorrelatorInput, IncidentEvent>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new IncidentCorrelator(
                                CorrelationSettings.withQuietPeriod(QUIET),
                                DependencyGraph.of(dependsOn(SERVICES)),
                                Set.of())),
                in -> ENV,
                Types.STRING);
    }

    /**
     * A small Watermelon: the database behind token verification, which api-gpt, the web app and
     * the count service call; billing stands apart.
     */
    static final Map<String, ServiceConfig> SERVICES = services();

    private static Map<String, ServiceConfig> services() {
        Map<String, ServiceConfig> m = new LinkedHashMap<>();
        m.put("database", service());
        m.put("token-verification", service("database"));
        m.put("api-gpt", service("token-verification"));
        m.put("web-app", service("api-gpt", "token-verification"));
        m.put("conversation-count", service("token-verification"));
        m.put("billing", service());
        return m;
    }

    private static Map<String, List<String>> dependsOn(Map<String, ServiceConfig> services) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        services.forEach((name, s) -> out.put(name, s.dependsOn()));
        return out;
    }

    private static ServiceConfig service(String... dependsOn) {
        return new ServiceConfig(null, List.of(dependsOn), null, null);
    }

    private void send(Signal s) throws Exception {
        harness.processElement(CorrelatorInput.of(s), s.ts());
    }

    private void send(ChangeEvent c) throws Exception {
        harness.processElement(CorrelatorInput.of(c), c.ts());
    }

    private List<IncidentEventType> types() {
        return events().stream().map(IncidentEvent::type).toList();
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
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.SIGNAL_CLEARED,
                        IncidentEventType.MONITORING);
        assertThat(events().get(2).ts())
                .as("the saturated database stayed the top candidate for identifyAfter (2 min)")
                .isEqualTo(t(180));
        assertThat(events().get(1).status()).isEqualTo(IncidentStatus.INVESTIGATING);
        assertThat(events().get(3).status()).isEqualTo(IncidentStatus.IDENTIFIED);
        assertThat(events().get(4).status()).isEqualTo(IncidentStatus.MONITORING);
        assertThat(events().get(4).closedAt()).isNull();

        harness.processWatermark(t(1100)); // 500 + 10 minutes

        assertThat(events())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.SIGNAL_CLEARED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(events())
                .extracting(IncidentEvent::incidentId)
                .containsOnly(ENV + "-20240216T072000Z");
        assertThat(events()).extracting(IncidentEvent::openedAt).containsOnly(t(0));
        IncidentEvent closed = events().get(5);
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
        assertThat(closed.topCause().kind()).isEqualTo(CauseKind.RESOURCE_SATURATION);
        assertThat(closed.topCause().service())
                .as("the dependency saturated first; its caller followed")
                .isEqualTo("database");
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
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED,
                        IncidentEventType.OPENED);
        assertThat(events().get(3).closedAt()).isEqualTo(t(900));
        assertThat(events().get(4).incidentId())
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
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(IncidentStatus.IDENTIFIED));
        assertThat(events())
                .filteredOn(e -> e.type() == IncidentEventType.CLOSED)
                .singleElement()
                .satisfies(e -> assertThat(e.closedAt()).isEqualTo(t(3300 + 180 + 600)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * The dead letters of late input; none when nothing was late. The harness keeps side outputs as
     * records, and null when nothing was ever emitted to one.
     */
    private List<DeadLetter> late() {
        var records = harness.getSideOutput(EventTimeOrderedFunction.LATE);
        return records == null ? List.of() : records.stream().map(r -> r.getValue()).toList();
    }

    @Test
    void aCriticalSignalAfterAnIdleStretchOpensAnIncidentThoughTheWatermarkPassedIt()
            throws Exception {
        // While the metrics input was idle, the auth stream carried the watermark to 07:26:34.999.
        // Then the metrics resume: the database's saturation signal is dated 07:26:00.
        harness.processWatermark(t(395) - 1);
        send(saturation("database", OPEN, t(300), t(360)));
        harness.processWatermark(t(400));

        assertThat(late()).isEmpty();
        assertThat(events())
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.type()).isEqualTo(IncidentEventType.OPENED);
                            assertThat(e.ts()).as("the signal's own time").isEqualTo(t(360));
                            assertThat(e.openedAt()).isEqualTo(t(300));
                            assertThat(e.incidentId()).isEqualTo(ENV + "-20240216T072500Z");
                        });

        // Its clear, behind the watermark too, starts the quiet period, and the incident closes.
        harness.processWatermark(t(700));
        send(saturation("database", CLEAR, t(300), t(600)));
        harness.processWatermark(t(600 + 600));

        assertThat(types())
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(late()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void signalsBehindTheWatermarkAreHandledInEventTimeOrderWhateverTheArrivalOrder()
            throws Exception {
        List<Signal> inOrder =
                List.of(
                        saturation("database", OPEN, t(300), t(360)),
                        saturation("api-gpt", OPEN, t(330), t(370)));
        harness.processWatermark(t(500));
        send(inOrder.get(1));
        send(inOrder.get(0));
        harness.processWatermark(t(510));
        List<IncidentEvent> reversed = List.copyOf(events());

        try (var ordered = newHarness()) {
            ordered.open();
            ordered.processWatermark(t(500));
            for (Signal s : inOrder) ordered.processElement(CorrelatorInput.of(s), s.ts());
            ordered.processWatermark(t(510));
            assertThat(reversed).isEqualTo(ordered.extractOutputValues());
        }
        assertThat(reversed)
                .extracting(IncidentEvent::type, e -> e.cause().service())
                .startsWith(
                        tuple(IncidentEventType.OPENED, "database"),
                        tuple(IncidentEventType.SIGNAL_ADDED, "api-gpt"));
    }

    @Test
    void aChangeBehindTheWatermarkIsStillALateEvent() throws Exception {
        harness.processWatermark(t(500));
        send(new ChangeEvent(t(400), "database", ChangeKind.CONFIG, null, "Pool resized"));
        harness.processWatermark(t(600));

        assertThat(late())
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo(RejectReason.LATE_EVENT));
        assertThat(events()).isEmpty();
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
                        IncidentEventType.IDENTIFIED,
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

        assertThat(events()).hasSize(4);
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

    private static Signal storm(SignalState state, long onset, long ts, double value) {
        return signal(
                SignalKind.REFRESH_STORM,
                "token-verification",
                "REFRESH",
                state,
                onset,
                ts,
                value,
                Math.max(value, 100),
                13,
                Severity.CRITICAL);
    }

    private static Signal latency(String service, SignalState state, long onset, long ts) {
        return latencyShift(service, state, onset, ts);
    }

    private static Signal traffic(String service, SignalState state, long onset, long ts) {
        return requestRate(service, state, onset, ts, 150, 100);
    }

    @Test
    void aMinorSignalAloneWaitsForMoreEvidenceAndLeavesNothingWhenItClears() throws Exception {
        send(traffic("web-app", OPEN, t(0), t(30)));
        send(traffic("web-app", CLEAR, t(0), t(200)));
        harness.processWatermark(t(2000));

        assertThat(events()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aMinorLoadSignalThatKeepsGrowingOpensAnIncidentAlone() throws Exception {
        // A workload climbing from 100: each report a new peak, the current value at it.
        send(requestRate("database", OPEN, t(0), t(60), 130, 100));
        send(requestRate("database", UPDATE, t(0), t(90), 140, 100));
        harness.processWatermark(t(90));
        assertThat(events()).as("growing, but not yet for growingAfter (2 min)").isEmpty();

        send(requestRate("database", UPDATE, t(0), t(150), 160, 100));
        harness.processWatermark(t(150));

        assertThat(types()).startsWith(IncidentEventType.OPENED);
        IncidentEvent opened = events().get(0);
        assertThat(opened.ts()).isEqualTo(t(150));
        assertThat(opened.openedAt()).isEqualTo(t(0));
        assertThat(opened.activeSignals()).extracting(Signal::service).containsExactly("database");
    }

    @Test
    void aMinorSignalThatSettledOrFellBackOpensNothing() throws Exception {
        send(requestRate("database", OPEN, t(0), t(60), 150, 100));
        // Reports past growingAfter at the same peak: a shift that settled.
        send(requestRate("database", UPDATE, t(0), t(180), 150, 100));
        // A new peak, but the current value is already back below it.
        send(
                signal(
                        SignalKind.BASELINE_SHIFT,
                        "database",
                        "request_rate",
                        UPDATE,
                        t(0),
                        t(240),
                        140,
                        170,
                        100,
                        Severity.MINOR));
        harness.processWatermark(t(600));

        assertThat(events()).isEmpty();
    }

    @Test
    void twoMinorSignalsTogetherOpenOneIncidentFromTheEarliestOnset() throws Exception {
        send(traffic("web-app", OPEN, t(0), t(30)));
        harness.processWatermark(t(60));
        assertThat(events()).as("one minor signal is not enough evidence").isEmpty();

        send(traffic("api-gpt", OPEN, t(20), t(90)));
        harness.processWatermark(t(90));

        assertThat(types()).startsWith(IncidentEventType.OPENED);
        IncidentEvent opened = events().get(0);
        assertThat(opened.ts()).isEqualTo(t(90));
        assertThat(opened.openedAt()).isEqualTo(t(0));
        assertThat(opened.incidentId()).isEqualTo(ENV + "-20240216T072000Z");
        assertThat(opened.activeSignals())
                .extracting(Signal::service)
                .containsExactly("web-app", "api-gpt");
        assertThat(opened.topCause().kind())
                .as("more requests at the entry point, passed on to what it calls")
                .isEqualTo(CauseKind.TRAFFIC_SURGE);
        assertThat(opened.topCause().service()).isEqualTo("web-app");
    }

    @Test
    void anUnrelatedSignalAfterTheGapResolvesTheIncidentAndOpensANewOne() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("database", CLEAR, t(0), t(300)));
        // The gap is 5 minutes: billing at 300 + 420 s is neither near in time nor in the graph.
        send(saturation("billing", OPEN, t(650), t(720)));
        harness.processWatermark(t(720));

        assertThat(types())
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED,
                        IncidentEventType.OPENED);
        assertThat(events().get(3).closedAt()).isEqualTo(t(720));
        assertThat(events().get(4).incidentId()).isEqualTo(ENV + "-20240216T073050Z");
        assertThat(harness.numEventTimeTimers())
                .as("the first quiet period's timer went; the new incident's identify check waits")
                .isEqualTo(1);
        harness.processWatermark(t(840));
        assertThat(events().get(events().size() - 1).type())
                .isEqualTo(IncidentEventType.IDENTIFIED);
        assertThat(events().get(events().size() - 1).topCause().service()).isEqualTo("billing");
    }

    @Test
    void anIncidentResolvedEarlyTakesItsPendingTimersWithIt() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("database", CLEAR, t(0), t(300)));
        // A change while MONITORING: its effect would be measured at 500 + 120 s ...
        send(new ChangeEvent(t(500), "database", ChangeKind.CONFIG, null, "Pool resized"));
        // ... but an unrelated signal after the gap resolves the incident at 610.
        send(saturation("billing", OPEN, t(550), t(610)));
        harness.processWatermark(t(610));

        assertThat(types()).endsWith(IncidentEventType.CLOSED, IncidentEventType.OPENED);
        assertThat(harness.numEventTimeTimers())
                .as("only the new incident's identify check; no effect of the old one")
                .isEqualTo(1);
        harness.processWatermark(t(700));
        assertThat(types()).doesNotContain(IncidentEventType.CHANGE_EFFECT);
    }

    @Test
    void aRelatedSignalAfterTheGapOrAnyWithinItReopens() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("database", CLEAR, t(0), t(300)));
        // Within the gap: billing is unrelated but close in time.
        send(saturation("billing", OPEN, t(360), t(420)));
        send(saturation("billing", CLEAR, t(360), t(480)));
        // After the gap: api-gpt calls token verification, which calls the database.
        send(saturation("api-gpt", OPEN, t(800), t(860)));
        harness.processWatermark(t(860));

        assertThat(events())
                .extracting(IncidentEvent::incidentId)
                .containsOnly(ENV + "-20240216T072000Z");
        assertThat(types())
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.REOPENED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.REOPENED);
    }

    @Test
    void theTopCandidateChangesAsEvidenceArrivesAndEachChangeIsAnEvent() throws Exception {
        send(latency("api-gpt", OPEN, t(0), t(20)));
        harness.processWatermark(t(20));
        assertThat(events().get(0).topCause().kind()).isEqualTo(CauseKind.SERVICE_SLOWDOWN);
        assertThat(events().get(0).topCause().service()).isEqualTo("api-gpt");

        // api-gpt's dependency storms from before: it explains the slowdown.
        send(storm(OPEN, t(-10), t(40), 100));
        harness.processWatermark(t(40));

        assertThat(types())
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.ROOT_CAUSE_CHANGED,
                        IncidentEventType.IDENTIFIED);
        assertThat(events().get(2).status())
                .as("a slowdown seen for 20 s is not yet a settled cause")
                .isEqualTo(IncidentStatus.INVESTIGATING);
        assertThat(events().get(3).ts())
                .as("a refresh storm speaks for itself: identified at once")
                .isEqualTo(t(40));
        IncidentEvent changed = events().get(2);
        assertThat(changed.ts()).isEqualTo(t(40));
        assertThat(changed.topCause().kind()).isEqualTo(CauseKind.TOKEN_REFRESH_STORM);
        assertThat(changed.topCause().service()).isEqualTo("token-verification");
        assertThat(changed.topCause().confidence()).isBetween(0.0, 1.0);
        assertThat(changed.topCause().evidence())
                .contains("token-verification REFRESH evidence")
                .anyMatch(e -> e.contains("explains 1 of 1 other anomalous nodes"));
        assertThat(changed.rootCauses())
                .extracting(c -> c.kind() + "@" + c.service())
                .containsExactly(
                        "TOKEN_REFRESH_STORM@token-verification", "SERVICE_SLOWDOWN@api-gpt");
        assertThat(changed.contributingCauses())
                .as("the storm is the top candidate, not listed apart")
                .isEmpty();

        // The database saturating under the storm's load does not displace it.
        send(saturation("database", OPEN, t(60), t(120)));
        harness.processWatermark(t(120));
        assertThat(events().get(events().size() - 1).topCause().kind())
                .isEqualTo(CauseKind.TOKEN_REFRESH_STORM);
        assertThat(types()).containsOnlyOnce(IncidentEventType.ROOT_CAUSE_CHANGED);
    }

    @Test
    void causesThatBlockRecoveryAreContributingWithTheirOwnOnset() throws Exception {
        send(storm(OPEN, t(0), t(30), 100));
        Signal drift =
                signal(
                        SignalKind.DEPENDENCY_DRIFT,
                        "token-verification",
                        "database host",
                        OPEN,
                        t(1140),
                        t(1140),
                        1,
                        1,
                        0,
                        Severity.MAJOR);
        send(drift);
        Signal missing =
                signal(
                        SignalKind.AUTH_FAILURES,
                        "conversation-count",
                        "MISSING_TOKEN",
                        OPEN,
                        t(4000),
                        t(4030),
                        29,
                        29,
                        0,
                        Severity.MAJOR);
        send(missing);
        harness.processWatermark(t(4030));

        List<IncidentEvent> found =
                events().stream()
                        .filter(e -> e.type() == IncidentEventType.CONTRIBUTING_CAUSE)
                        .toList();
        assertThat(found).extracting(IncidentEvent::ts).containsExactly(t(1140), t(4030));
        assertThat(found).extracting(e -> e.cause().id()).containsExactly(drift.id(), missing.id());
        assertThat(found.get(1).contributingCauses())
                .extracting(c -> c.kind() + "@" + c.service() + "@" + c.onset())
                .containsExactly(
                        "DEPENDENCY_DRIFT@token-verification@" + t(1140),
                        "MISSING_TOKEN@conversation-count@" + t(4000));
        assertThat(found.get(1).topCause().kind()).isEqualTo(CauseKind.TOKEN_REFRESH_STORM);
    }

    @Test
    void changesAreMeasuredOnTheRootCauseSignalAndTheFirstThatEndsItIsTheTurningPoint()
            throws Exception {
        send(storm(OPEN, t(0), t(30), 100));
        // A rollback at 8:21 AM (Amsterdam) changes nothing: 104 a bucket a minute later.
        send(new ChangeEvent(t(60), "web-app", ChangeKind.ROLLBACK, "2024.02.15", "Rollback"));
        send(storm(UPDATE, t(0), t(120), 104));
        harness.processWatermark(t(180));
        // Refresh switched off at 8:25 AM: the storm is gone a minute later.
        send(
                new ChangeEvent(
                        t(300),
                        "token-verification",
                        ChangeKind.FEATURE_FLAG,
                        null,
                        "Token refresh disabled"));
        send(storm(CLEAR, t(0), t(360), 0));
        harness.processWatermark(t(420));

        List<IncidentEvent> effects =
                events().stream().filter(e -> e.type() == IncidentEventType.CHANGE_EFFECT).toList();
        assertThat(effects).extracting(IncidentEvent::ts).containsExactly(t(180), t(420));
        List<ChangeEffect> all = effects.get(1).changeEffects();
        assertThat(all).hasSize(2);

        ChangeEffect rollback = all.get(0);
        assertThat(rollback.verdict()).isEqualTo(ChangeEffect.Verdict.NO_EFFECT);
        assertThat(rollback.before()).isEqualTo(100);
        assertThat(rollback.after()).isEqualTo(104);
        assertThat(rollback.turningPoint()).isFalse();
        assertThat(rollback.kind()).isEqualTo(SignalKind.REFRESH_STORM);
        assertThat(rollback.measuredAt()).as("the UPDATE after it").isEqualTo(t(120));
        assertThat(rollback.newFigure()).isTrue();

        ChangeEffect off = all.get(1);
        assertThat(off.verdict()).isEqualTo(ChangeEffect.Verdict.CLEARED);
        assertThat(off.relativeChange()).isEqualTo(-1.0);
        assertThat(off.turningPoint()).isTrue();
        assertThat(off.cause().kind()).isEqualTo(CauseKind.TOKEN_REFRESH_STORM);
        assertThat(off.measuredAt()).as("its CLEAR, a minute after the change").isEqualTo(t(360));
        assertThat(off.service()).isEqualTo("token-verification");
    }

    @Test
    void aChangeWithNothingOpenToMeasureSaysSo() throws Exception {
        send(storm(OPEN, t(0), t(30), 100));
        send(storm(CLEAR, t(0), t(90), 0));
        send(new ChangeEvent(t(120), "web-app", ChangeKind.DEPLOY, "2024.02.17", null));
        harness.processWatermark(t(300));

        ChangeEffect e =
                events().stream()
                        .filter(x -> x.type() == IncidentEventType.CHANGE_EFFECT)
                        .findFirst()
                        .orElseThrow()
                        .changeEffects()
                        .get(0);
        assertThat(e.verdict()).isEqualTo(ChangeEffect.Verdict.NOT_MEASURED);
        assertThat(e.signal()).isNull();
        assertThat(e.kind()).isNull();
        assertThat(e.measuredAt()).isEqualTo(-1);
    }

    @Test
    void aChangeJustBeforeTheOnsetNamesABadDeploy() throws Exception {
        send(new ChangeEvent(t(0), "api-gpt", ChangeKind.DEPLOY, "7.3.0", "api-gpt 7.3.0"));
        send(latency("api-gpt", OPEN, t(15), t(45)));
        harness.processWatermark(t(45));

        assertThat(events().get(0).topCause().kind()).isEqualTo(CauseKind.BAD_DEPLOY);
        assertThat(events().get(0).topCause().evidence())
                .anyMatch(x -> x.contains("deploy 7.3.0 15 s before its first signal"));
    }

    private Map<String, List<IncidentEvent>> byIncident() {
        Map<String, List<IncidentEvent>> out = new LinkedHashMap<>();
        for (IncidentEvent e : events()) {
            out.computeIfAbsent(e.incidentId(), k -> new java.util.ArrayList<>()).add(e);
        }
        return out;
    }

    @Test
    void anUnrelatedOutageStartingApartIsASecondIncidentWithItsOwnCauseAndLifecycle()
            throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        // Billing shares no path with the database; it saturates 10 minutes after it.
        send(saturation("billing", OPEN, t(600), t(660)));
        send(saturation("api-gpt", OPEN, t(700), t(760))); // linked to the database's
        send(saturation("billing", CLEAR, t(600), t(900)));
        send(saturation("database", CLEAR, t(0), t(1200)));
        send(saturation("api-gpt", CLEAR, t(700), t(1200)));
        harness.processWatermark(t(1200 + 600));

        Map<String, List<IncidentEvent>> incidents = byIncident();
        assertThat(incidents.keySet())
                .containsExactly(ENV + "-20240216T072000Z", ENV + "-20240216T073000Z");
        List<IncidentEvent> database = incidents.get(ENV + "-20240216T072000Z");
        List<IncidentEvent> billing = incidents.get(ENV + "-20240216T073000Z");
        assertThat(database)
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.SIGNAL_CLEARED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(billing)
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(database)
                .allSatisfy(e -> assertThat(e.topCause().service()).isEqualTo("database"));
        assertThat(billing)
                .allSatisfy(e -> assertThat(e.topCause().service()).isEqualTo("billing"));
        assertThat(billing.get(0).openedAt()).isEqualTo(t(600));
        assertThat(billing.get(0).activeSignals())
                .extracting(Signal::service)
                .containsExactly("billing");
        assertThat(database.get(2).activeSignals())
                .extracting(Signal::service)
                .containsExactly("database", "api-gpt");
        assertThat(database.get(0).topCause().service()).isEqualTo("database");
        assertThat(billing.get(3).closedAt()).as("its own quiet period").isEqualTo(t(900 + 600));
        assertThat(database.get(5).closedAt()).isEqualTo(t(1200 + 600));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void anUnrelatedSignalNearTheOnsetJoinsTheIncident() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        // Billing is unlinked, but began within separateAfter (the gap, 5 minutes) of it.
        send(saturation("billing", OPEN, t(240), t(300)));
        harness.processWatermark(t(300));

        assertThat(events())
                .extracting(IncidentEvent::incidentId)
                .containsOnly(ENV + "-20240216T072000Z");
        assertThat(types()).contains(IncidentEventType.SIGNAL_ADDED);
    }

    @Test
    void aServiceTheGraphDoesNotNameIsLinkedToEveryIncident() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("not-in-the-job-file", OPEN, t(900), t(960)));
        harness.processWatermark(t(960));

        assertThat(events())
                .extracting(IncidentEvent::incidentId)
                .containsOnly(ENV + "-20240216T072000Z");
        assertThat(types()).endsWith(IncidentEventType.SIGNAL_ADDED);
    }

    @Test
    void aSignalLinkedToTheSecondIncidentJoinsItAndAChangeIsMeasuredWhereItsServiceIs()
            throws Exception {
        send(saturation("billing", OPEN, t(0), t(60)));
        send(saturation("database", OPEN, t(600), t(660)));
        // Token verification calls the database: the second incident's, not billing's.
        send(saturation("token-verification", OPEN, t(900), t(960)));
        send(new ChangeEvent(t(1000), "database", ChangeKind.CONFIG, null, "Pool resized"));
        harness.processWatermark(t(1000 + 120));

        Map<String, List<IncidentEvent>> incidents = byIncident();
        assertThat(incidents).hasSize(2);
        List<IncidentEvent> database = incidents.get(ENV + "-20240216T073000Z");
        assertThat(database)
                .extracting(IncidentEvent::type)
                .contains(IncidentEventType.SIGNAL_ADDED, IncidentEventType.CHANGE_EFFECT);
        assertThat(incidents.get(ENV + "-20240216T072000Z"))
                .extracting(IncidentEvent::type)
                .doesNotContain(IncidentEventType.SIGNAL_ADDED, IncidentEventType.CHANGE_EFFECT);
    }

    @Test
    void restoredCorrelatorClosesBothIncidentsItHadOpened() throws Exception {
        send(saturation("database", OPEN, t(0), t(60)));
        send(saturation("billing", OPEN, t(600), t(660)));
        send(saturation("database", CLEAR, t(0), t(700)));
        harness.processWatermark(t(700));
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(700));
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        send(saturation("billing", CLEAR, t(600), t(800)));
        harness.processWatermark(t(800 + 600));

        assertThat(events())
                .filteredOn(e -> e.type() == IncidentEventType.CLOSED)
                .extracting(IncidentEvent::incidentId, IncidentEvent::closedAt)
                .containsExactly(
                        tuple(ENV + "-20240216T072000Z", t(700 + 600)),
                        tuple(ENV + "-20240216T073000Z", t(800 + 600)));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    /**
     * Writes the correlator's state as jobs with one incident per environment kept it: the incident
     * under "incident", its signals under "active-signals" and "evidence-signals".
     */
    static final class LegacyStateWriter
            extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<
                    String, CorrelatorInput, IncidentEvent> {
        @Override
        public void processElement(CorrelatorInput in, Context ctx, Collector<IncidentEvent> out)
                throws Exception {
            var rc = getRuntimeContext();
            Signal s = in.signal();
            OpenIncident open =
                    new OpenIncident(IncidentCorrelator.incidentId(s), s.onset(), "legacy");
            rc.getState(new ValueStateDescriptor<>("incident", OpenIncident.class)).update(open);
            for (String name : List.of("active-signals", "evidence-signals")) {
                rc.getMapState(
                                new MapStateDescriptor<>(
                                        name, Types.STRING, TypeInformation.of(Signal.class)))
                        .put(s.id(), s);
            }
        }
    }

    @Test
    void aSavepointOfTheOneIncidentCorrelatorRestoresItsIncident() throws Exception {
        OperatorSubtaskState legacy;
        try (var writer =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new LegacyStateWriter()),
                        (CorrelatorInput in) -> ENV,
                        Types.STRING)) {
            writer.open();
            Signal db = saturation("database", OPEN, t(0), t(60));
            writer.processElement(CorrelatorInput.of(db), db.ts());
            legacy = writer.snapshot(1L, t(60));
        }
        harness.close();
        harness = newHarness();
        harness.initializeState(legacy);
        harness.open();
        send(saturation("billing", OPEN, t(600), t(660))); // apart and unlinked: its own
        send(saturation("database", CLEAR, t(0), t(700)));
        harness.processWatermark(t(700));

        assertThat(events())
                .extracting(IncidentEvent::type, IncidentEvent::incidentId)
                .containsExactly(
                        tuple(IncidentEventType.OPENED, ENV + "-20240216T073000Z"),
                        tuple(IncidentEventType.MONITORING, ENV + "-20240216T072000Z"));
        assertThat(events().get(1).title()).isEqualTo("legacy");
    }
}
