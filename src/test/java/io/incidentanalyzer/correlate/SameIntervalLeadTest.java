package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.testing.Fixtures.latencyShift;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.config.PatternsConfig;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * When a node's signals begin in the same interval (within {@code onsetTolerance}), the one that
 * explains the others names the cause's kind, whatever the signals' ids (issue 15: a database
 * saturated by its own job was named a slowdown because "baseline-shift:…" sorts before
 * "saturation:…").
 */
class SameIntervalLeadTest {

    /** An entry point over an app over its database. */
    private static final DependencyGraph GRAPH =
            DependencyGraph.of(Map.of("web", List.of("app"), "app", List.of("store")));

    private static final CorrelationSettings SETTINGS =
            CorrelationSettings.withQuietPeriod(Duration.ofMinutes(15));

    private final CauseAnalysis analysis = new CauseAnalysis(GRAPH, Set.of(), SETTINGS);

    /** The database's own CPU and its latency, then its callers' latency. */
    private static List<Signal> ownJob(long latencyS, long cpuS) {
        return List.of(
                latencyShift("store", OPEN, t(latencyS), t(latencyS + 20)),
                saturation("store", OPEN, t(cpuS), t(cpuS + 60)),
                latencyShift("app", OPEN, t(90), t(110)),
                latencyShift("web", OPEN, t(100), t(120)));
    }

    /** The same signal under another id. */
    private static Signal renamed(Signal s, String id) {
        return new Signal(
                id,
                s.kind(),
                s.environment(),
                s.service(),
                s.subject(),
                s.state(),
                s.ts(),
                s.onset(),
                s.peakTs(),
                s.peak(),
                s.value(),
                s.baseline(),
                s.ratio(),
                s.severity(),
                s.evidence(),
                s.recoveredAt(),
                s.measured(),
                s.heavyHitter());
    }

    /**
     * The signals with {@code service}'s renamed so that those of kind {@code first} sort first.
     */
    private static List<Signal> withIds(List<Signal> signals, String service, SignalKind first) {
        return signals.stream()
                .map(
                        s ->
                                !s.service().equals(service)
                                        ? s
                                        : renamed(s, (s.kind() == first ? "a-" : "z-") + s.id()))
                .toList();
    }

    private static String name(RootCause c) {
        return c.kind() + "@" + c.service();
    }

    @Test
    void aDatabasesOwnCpuAndItsLatencyInOneIntervalIsItsSaturation() {
        RootCause top = analysis.analyze(ownJob(0, 0), List.of()).top();

        assertThat(name(top)).isEqualTo("RESOURCE_SATURATION@store");
        // The saturation leads the cause's evidence: it is the signal that named it.
        assertThat(top.signals().get(0)).startsWith("saturation:");
    }

    @Test
    void theKindDoesNotDependOnWhichIdSortsFirst() {
        for (SignalKind first : List.of(SignalKind.BASELINE_SHIFT, SignalKind.SATURATION)) {
            RootCause top =
                    analysis.analyze(withIds(ownJob(0, 0), "store", first), List.of()).top();

            assertThat(name(top)).as("ids first: %s", first).isEqualTo("RESOURCE_SATURATION@store");
            assertThat(top.signals().get(0)).as("ids first: %s", first).contains("saturation:");
        }
    }

    @Test
    void aLatencyThatBeganEarlierLeadsEvenBySeconds() {
        // Only signals that began at the same instant are weighed against each other; a latency
        // 20 s ahead of the CPU leads as the first signal, as before the rule.
        assertThat(name(analysis.analyze(ownJob(0, 20), List.of()).top()))
                .isEqualTo("SERVICE_SLOWDOWN@store");
    }

    @Test
    void aLatencyWellBeforeTheSaturationStaysASlowdown() {
        // The latency rose 3 minutes before the CPU did: the CPU did not cause it, it followed.
        assertThat(name(analysis.analyze(ownJob(0, 180), List.of()).top()))
                .isEqualTo("SERVICE_SLOWDOWN@store");
    }

    @Test
    void aKnownChainDecidesWhichSignalExplainsTheOther() {
        // A job file that knows latency leads to saturation on its system (say, slow queries
        // hold connections): the same signals then read as a slowdown, whatever the ids.
        List<List<SignalKind>> chains =
                List.of(List.of(SignalKind.BASELINE_SHIFT, SignalKind.SATURATION));
        PatternsConfig latencyFirst =
                new PatternsConfig(chains, null, null, null, null, null, null, null);
        CauseAnalysis chained = new CauseAnalysis(GRAPH, Set.of(), SETTINGS, latencyFirst);

        for (SignalKind first : List.of(SignalKind.BASELINE_SHIFT, SignalKind.SATURATION)) {
            assertThat(
                            name(
                                    chained.analyze(
                                                    withIds(ownJob(0, 0), "store", first),
                                                    List.of())
                                            .top()))
                    .as("ids first: %s", first)
                    .isEqualTo("SERVICE_SLOWDOWN@store");
        }
    }

    @Test
    void ofTwoSignalsThatNameACauseInOneIntervalTheChainsFirstNamesIt() {
        // A storm of refreshes and requests without a token begin together at the app: the known
        // chain puts the storm first, so it names the cause, whichever id sorts first.
        List<Signal> signals =
                List.of(
                        signal(
                                SignalKind.AUTH_FAILURES,
                                "app",
                                "MISSING_TOKEN",
                                OPEN,
                                t(0),
                                t(30),
                                40,
                                40,
                                1,
                                Severity.MAJOR),
                        signal(
                                SignalKind.REFRESH_STORM,
                                "app",
                                "REFRESH",
                                OPEN,
                                t(0),
                                t(30),
                                900,
                                900,
                                100,
                                Severity.MAJOR),
                        latencyShift("web", OPEN, t(30), t(50)));
        for (SignalKind first : List.of(SignalKind.AUTH_FAILURES, SignalKind.REFRESH_STORM)) {
            List<Signal> named = withIds(signals, "app", first);

            CauseAnalysis.Result r = analysis.analyze(named, List.of());

            assertThat(name(r.top()))
                    .as("ids first: %s", first)
                    .isEqualTo("TOKEN_REFRESH_STORM@app");
            assertThat(r.contributing())
                    .extracting(SameIntervalLeadTest::name)
                    .as("ids first: %s", first)
                    .containsExactly("MISSING_TOKEN@app");
        }
    }
}
