package io.incidentanalyzer.detect;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.DependencyDriftSettings;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dependency-drift detector driven in event time: host reports and watermarks. */
class DependencyDriftDetectorTest {
    private static final String MAIN = "db-main.internal";
    private static final String LEGACY = "db-legacy.internal";
    private static final Map<String, List<String>> CONFIGURED = Map.of("database", List.of(MAIN));

    private KeyedOneInputStreamOperatorTestHarness<String, HostReport, Signal> harness;

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) harness.close();
    }

    private static DependencyDriftSettings settings(Duration sustain, int maxCallers) {
        return new DependencyDriftSettings(
                Map.of("db.host", "database"),
                sustain,
                Duration.ofMinutes(5),
                2,
                maxCallers,
                Severity.MAJOR);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, HostReport, Signal> newHarness(
            DependencyDriftSettings settings, Map<String, List<String>> configured)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DependencyDriftDetector(ENV, settings, configured)),
                HostReport::dependency,
                Types.STRING);
    }

    private void start(DependencyDriftSettings settings, Map<String, List<String>> configured)
            throws Exception {
        harness = newHarness(settings, configured);
        harness.open();
    }

    private void report(String caller, long ts, String host) throws Exception {
        harness.processElement(new HostReport(ts, "database", caller, host), ts);
    }

    /** Health lines once a minute, from {@code fromSecond} to {@code toSecond} inclusive. */
    private void health(String caller, long fromSecond, long toSecond, String host)
            throws Exception {
        for (long s = fromSecond; s <= toSecond; s += 60) report(caller, t(s), host);
    }

    private List<Signal> signals() {
        return harness.extractOutputValues();
    }

    @Test
    void firesAtTheFirstReportOfAHostOutsideTheConfiguredOnes() throws Exception {
        start(settings(Duration.ZERO, 64), CONFIGURED);
        health("conversation-count", 0, 600, MAIN);
        health("public-api", 0, 600, MAIN);
        health("token-verification", 0, 540, MAIN);
        report("token-verification", t(585), LEGACY); // the rollback's stale host
        harness.processWatermark(t(600));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.kind()).isEqualTo(SignalKind.DEPENDENCY_DRIFT);
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            assertThat(s.service()).isEqualTo("token-verification");
                            assertThat(s.subject()).isEqualTo("database host");
                            assertThat(s.onset()).isEqualTo(t(585));
                            assertThat(s.ts()).isEqualTo(t(585));
                            assertThat(s.id())
                                    .isEqualTo(
                                            "dependency-drift:"
                                                    + ENV
                                                    + ":token-verification/database:"
                                                    + t(585));
                            assertThat(s.evidence())
                                    .anySatisfy(e -> assertThat(e).contains(LEGACY))
                                    .anySatisfy(
                                            e ->
                                                    assertThat(e)
                                                            .contains("expected " + MAIN)
                                                            .contains("services.database.hosts"))
                                    .anySatisfy(
                                            e ->
                                                    assertThat(e)
                                                            .contains(
                                                                    "conversation-count → " + MAIN)
                                                            .contains("public-api → " + MAIN));
                        });
    }

    @Test
    void clearsWhenTheCallerReportsAnExpectedHostAgain() throws Exception {
        start(settings(Duration.ZERO, 64), CONFIGURED);
        health("token-verification", 0, 600, LEGACY);
        health("token-verification", 660, 900, "DB-MAIN.internal"); // case does not matter
        harness.processWatermark(t(900));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        Signal clear = signals().get(1);
        assertThat(clear.ts()).isEqualTo(t(660));
        assertThat(clear.onset()).isEqualTo(t(0));
        assertThat(clear.id()).isEqualTo(signals().get(0).id());
        assertThat(clear.evidence()).anySatisfy(e -> assertThat(e).contains("back on " + MAIN));
    }

    @Test
    void withoutConfiguredHostsTwoAgreeingPeersDecide() throws Exception {
        start(settings(Duration.ZERO, 64), Map.of());
        health("public-api", 0, 300, MAIN);
        health("token-verification", 30, 300, LEGACY); // one peer only: no telling yet
        harness.processWatermark(t(300));
        assertThat(signals()).isEmpty();

        health("conversation-count", 310, 600, MAIN); // now two peers agree on db-main
        health("public-api", 360, 600, MAIN);
        health("token-verification", 330, 600, LEGACY);
        harness.processWatermark(t(600));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.service()).isEqualTo("token-verification");
                            assertThat(s.onset()).isEqualTo(t(30));
                            assertThat(s.ts()).isEqualTo(t(330));
                            assertThat(s.evidence())
                                    .anySatisfy(
                                            e -> assertThat(e).contains("its peers use " + MAIN));
                        });
    }

    @Test
    void sustainWaitsForTheHostToBeReportedThatLong() throws Exception {
        start(settings(Duration.ofSeconds(60), 64), CONFIGURED);
        report("token-verification", t(0), LEGACY);
        report("token-verification", t(30), LEGACY);
        harness.processWatermark(t(30));
        assertThat(signals()).isEmpty();

        report("token-verification", t(60), LEGACY);
        harness.processWatermark(t(60));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.onset()).isEqualTo(t(0));
                            assertThat(s.ts()).isEqualTo(t(60));
                        });
    }

    @Test
    void staysQuietOnADayOfHealthyReports() throws Exception {
        start(settings(Duration.ZERO, 64), CONFIGURED);
        Random jitter = new Random(42);
        for (long s = 0; s < 86_400; s += 60) {
            for (String caller :
                    List.of("token-verification", "conversation-count", "public-api")) {
                report(
                        caller,
                        t(s + jitter.nextInt(10)),
                        jitter.nextBoolean() ? MAIN : " Db-Main.Internal ");
            }
        }
        harness.processWatermark(t(86_400));

        assertThat(signals()).isEmpty();
        // One dependency: one state entry and its no-data timer, however long the day.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void callerThatFallsSilentWhileDriftingClearsAndStateIsReleased() throws Exception {
        start(settings(Duration.ZERO, 64), CONFIGURED);
        health("public-api", 0, 120, MAIN);
        health("token-verification", 0, 120, LEGACY); // open; last report at 120
        harness.processWatermark(t(419));
        assertThat(signals()).extracting(Signal::state).containsExactly(SignalState.OPEN);

        harness.processWatermark(t(420)); // 120 + 5 min

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(signals().get(1).evidence())
                .anySatisfy(e -> assertThat(e).contains("no reports since"));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void releasesKeyedStateAndTimersAfterTheEpisodeOnceCallersStop() throws Exception {
        start(settings(Duration.ZERO, 64), CONFIGURED);
        health("token-verification", 0, 120, LEGACY);
        health("token-verification", 180, 240, MAIN); // clears at 180
        harness.processWatermark(t(240));
        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1); // the caller is still reporting

        harness.processWatermark(t(240 + 300));

        assertThat(signals()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void movingToAnotherWrongHostIsAnUpdate() throws Exception {
        start(settings(Duration.ZERO, 64), CONFIGURED);
        health("token-verification", 0, 60, LEGACY);
        health("token-verification", 120, 180, "db-replica.internal");
        harness.processWatermark(t(180));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.UPDATE);
        assertThat(signals().get(1).onset()).isEqualTo(t(0));
        assertThat(signals().get(1).evidence())
                .anySatisfy(e -> assertThat(e).contains("db-replica.internal"));
    }

    @Test
    void callersPastTheCapDropTheLeastRecentlySeen() throws Exception {
        start(settings(Duration.ZERO, 2), CONFIGURED);
        report("token-verification", t(0), LEGACY); // opens; the least recently seen below
        report("public-api", t(10), MAIN);
        report("conversation-count", t(20), MAIN); // a third caller: token-verification goes
        harness.processWatermark(t(20));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(signals().get(1).evidence())
                .anySatisfy(e -> assertThat(e).contains("more than 2 callers"));
    }

    @Test
    void outOfOrderReportsGiveTheSameSignalsAsOrderedOnes() throws Exception {
        List<HostReport> day = new ArrayList<>();
        for (long s = 0; s <= 1200; s += 60) {
            day.add(new HostReport(t(s), "database", "public-api", MAIN));
            day.add(new HostReport(t(s + 3), "database", "conversation-count", MAIN));
            day.add(
                    new HostReport(
                            t(s + 3),
                            "database",
                            "token-verification",
                            s >= 300 && s < 900 ? LEGACY : MAIN));
        }
        start(settings(Duration.ZERO, 64), Map.of());
        for (HostReport r : day) harness.processElement(r, r.ts());
        harness.processWatermark(t(1300));
        List<Signal> inOrder = new ArrayList<>(signals());

        try (var shuffled = newHarness(settings(Duration.ZERO, 64), Map.of())) {
            shuffled.open();
            List<HostReport> copy = new ArrayList<>(day);
            Collections.shuffle(copy, new Random(7));
            for (HostReport r : copy) shuffled.processElement(r, r.ts());
            shuffled.processWatermark(t(1300));

            assertThat(inOrder)
                    .extracting(Signal::state)
                    .containsExactly(SignalState.OPEN, SignalState.CLEAR);
            assertThat(shuffled.extractOutputValues()).isEqualTo(inOrder);
        }
    }

    @Test
    void restoredDetectorGivesTheSameSignalsAsAnUninterruptedOne() throws Exception {
        start(settings(Duration.ZERO, 64), CONFIGURED);
        health("public-api", 0, 600, MAIN);
        health("token-verification", 0, 240, LEGACY);
        health("token-verification", 300, 600, MAIN);
        harness.processWatermark(t(900));
        List<Signal> uninterrupted = new ArrayList<>(signals());
        harness.close();

        start(settings(Duration.ZERO, 64), CONFIGURED);
        health("public-api", 0, 120, MAIN);
        health("token-verification", 0, 120, LEGACY);
        harness.processWatermark(t(60)); // open; the reports at 120 wait for the watermark
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(120));
        List<Signal> before = new ArrayList<>(signals());
        harness.close();

        harness = newHarness(settings(Duration.ZERO, 64), CONFIGURED);
        harness.initializeState(snapshot);
        harness.open();
        health("public-api", 180, 600, MAIN);
        health("token-verification", 180, 240, LEGACY);
        health("token-verification", 300, 600, MAIN);
        harness.processWatermark(t(900));
        List<Signal> all = new ArrayList<>(before);
        all.addAll(signals());

        assertThat(uninterrupted)
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(all).isEqualTo(uninterrupted);
    }

    @Test
    void hostReportsComeFromTheWatchedAttributesOnly() {
        HostReports reports = new HostReports(Map.of("db.host", "database"));
        List<HostReport> out = new ArrayList<>();
        org.apache.flink.util.Collector<HostReport> collector =
                new org.apache.flink.util.Collector<>() {
                    @Override
                    public void collect(HostReport r) {
                        out.add(r);
                    }

                    @Override
                    public void close() {}
                };

        reports.flatMap(
                new LogEvent(
                        t(1),
                        "public-api",
                        "INFO",
                        "health report",
                        Map.of("db.host", " db-main.internal ", "latency_ms", "3")),
                collector);
        reports.flatMap(
                new LogEvent(t(2), "web-app", "INFO", "health report", Map.of("latency_ms", "3")),
                collector);
        reports.flatMap(
                new LogEvent(
                        t(3),
                        "database",
                        "INFO",
                        "listening",
                        Map.of("db.host", "db-main.internal")),
                collector);

        assertThat(out)
                .containsExactly(
                        new HostReport(t(1), "database", "public-api", "db-main.internal"));
    }
}
