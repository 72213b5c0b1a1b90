package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.testing.Fixtures.latencyShift;
import static io.incidentanalyzer.testing.Fixtures.requestRate;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static io.incidentanalyzer.testing.Fixtures.slowCalls;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.CorrelationSettings;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CauseAnalysisTest {

    /** Two entry points (web-app, public-api) over token verification and the database. */
    private static final DependencyGraph GRAPH =
            DependencyGraph.of(
                    Map.of(
                            "web-app", List.of("api-gpt", "token-verification"),
                            "public-api", List.of("token-verification", "database"),
                            "api-gpt", List.of("token-verification", "openai"),
                            "token-verification", List.of("database")));

    private final CauseAnalysis analysis =
            new CauseAnalysis(
                    GRAPH,
                    Set.of("openai"),
                    CorrelationSettings.withQuietPeriod(Duration.ofMinutes(15)));

    private static Signal rate(String service, long onsetS, double peak, double baseline) {
        return requestRate(service, OPEN, t(onsetS), t(onsetS + 30), peak, baseline);
    }

    private static Signal latency(String service, long onsetS) {
        return latencyShift(service, OPEN, t(onsetS), t(onsetS + 20));
    }

    private static Signal saturated(String service, long onsetS) {
        return saturation(service, OPEN, t(onsetS), t(onsetS + 60));
    }

    private static String name(RootCause c) {
        return c.kind() + "@" + c.service();
    }

    @Test
    void aSlowCallLearnedFromTracesPointsAtTheCalleeEvenWithoutADeclaredEdge() {
        // web-app's calls to payments (a service dependsOn does not name) slowed: the call's
        // latency points at the callee, not at the caller that measured it.
        Signal slowCalls = slowCalls("web-app", "payments", t(0), t(30));

        CauseAnalysis.Result r = analysis.analyze(List.of(slowCalls), List.of());

        assertThat(slowCalls.measured().dependency()).isEqualTo("payments");
        assertThat(r.ranked()).extracting(RootCause::service).first().isEqualTo("payments");
    }

    @Test
    void loadThatRisesWithTheCallersIsTracedToTheEntryPointWithTheLargestExcess() {
        List<Signal> signals =
                List.of(
                        rate("database", 0, 2800, 1900),
                        rate("token-verification", 0, 2100, 1400),
                        rate("public-api", 40, 110, 75),
                        rate("web-app", 60, 1170, 850),
                        saturated("database", 300),
                        latency("web-app", 400));

        CauseAnalysis.Result r = analysis.analyze(signals, List.of());

        assertThat(name(r.top())).isEqualTo("TRAFFIC_SURGE@web-app");
        assertThat(r.top().evidence())
                .anyMatch(e -> e.contains("the extra load enters at web-app"))
                .anyMatch(e -> e.contains("request_rate 1170 against 850, 1.4×"));
        assertThat(r.top().signals().get(0)).isEqualTo(signals.get(3).id());
        assertThat(r.contributing()).isEmpty();
    }

    @Test
    void aServiceLoadedByItsOwnWorkIsSaturatedNotSurged() {
        List<Signal> signals =
                List.of(
                        rate("database", 0, 4200, 1600),
                        saturated("database", 40),
                        latency("token-verification", 30),
                        latency("web-app", 50));

        CauseAnalysis.Result r = analysis.analyze(signals, List.of());

        assertThat(name(r.top())).isEqualTo("RESOURCE_SATURATION@database");
        assertThat(r.top().evidence())
                .anyMatch(e -> e.contains("its own request_rate rose") && e.contains("2.6×"));
    }

    @Test
    void aSlowVendorApiIsAnExternalDependency() {
        List<Signal> signals = List.of(latency("api-gpt", 0), latency("openai", 0));

        CauseAnalysis.Result r = analysis.analyze(signals, List.of());

        assertThat(r.ranked())
                .extracting(CauseAnalysisTest::name)
                .containsExactly("EXTERNAL_DEPENDENCY@openai", "SERVICE_SLOWDOWN@api-gpt");
        assertThat(r.top().evidence()).contains("openai is an external dependency");
    }

    @Test
    void signalsLongAfterTheOnsetCanContributeButNeverBecomeTheRootCause() {
        Signal drift =
                signal(
                        SignalKind.DEPENDENCY_DRIFT,
                        "public-api",
                        "database host",
                        OPEN,
                        t(7200),
                        t(7200),
                        1,
                        1,
                        0,
                        Severity.MAJOR);
        List<Signal> signals =
                List.of(
                        latency("token-verification", 0),
                        latency("web-app", 90),
                        // An hour later the database fails too: not what started this incident.
                        saturated("database", 3600),
                        drift);

        CauseAnalysis.Result r = analysis.analyze(signals, List.of());

        assertThat(name(r.top())).isEqualTo("SERVICE_SLOWDOWN@token-verification");
        assertThat(r.ranked()).extracting(RootCause::service).doesNotContain("database");
        assertThat(r.contributing())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(name(c)).isEqualTo("DEPENDENCY_DRIFT@public-api");
                            assertThat(c.onset()).isEqualTo(t(7200));
                            assertThat(c.signals()).containsExactly(drift.id());
                        });
    }

    @Test
    void theSameSignalsInAnyOrderGiveTheSameCauses() {
        List<Signal> signals =
                new ArrayList<>(
                        List.of(
                                rate("database", 0, 2800, 1900),
                                rate("token-verification", 0, 2100, 1400),
                                rate("web-app", 60, 1170, 850),
                                saturated("database", 300),
                                latency("api-gpt", 200),
                                latency("openai", 250)));
        CauseAnalysis.Result first = analysis.analyze(signals, List.of());
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(signals, random);
            assertThat(analysis.analyze(signals, List.of())).isEqualTo(first);
        }
    }

    @Test
    void noSignalsNoCauses() {
        CauseAnalysis.Result r = analysis.analyze(List.of(), List.of());
        assertThat(r.ranked()).isEmpty();
        assertThat(r.top()).isNull();
    }
}
