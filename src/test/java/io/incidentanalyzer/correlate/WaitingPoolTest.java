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
 * A pool that fills because its calls wait on a slow dependency is that dependency's symptom
 * ({@code patterns.waitingResources}); a pool or CPU filled by the service's own work stays its own
 * saturation.
 */
class WaitingPoolTest {

    /** Two entry points over checkout, which pays through a vendor and stores orders. */
    private static final DependencyGraph GRAPH =
            DependencyGraph.of(
                    Map.of(
                            "web", List.of("checkout"),
                            "mobile", List.of("checkout"),
                            "checkout", List.of("payments", "orders-db"),
                            "payments", List.of("card-vendor", "orders-db")));

    private static final CorrelationSettings SETTINGS =
            CorrelationSettings.withQuietPeriod(Duration.ofMinutes(15));

    private final CauseAnalysis analysis =
            new CauseAnalysis(GRAPH, Set.of("card-vendor"), SETTINGS);

    private static Signal pool(String service, long onsetS) {
        return signal(
                SignalKind.SATURATION,
                service,
                "connection_pool_utilization",
                OPEN,
                t(onsetS),
                t(onsetS + 60),
                100,
                100,
                95,
                Severity.MAJOR);
    }

    private static Signal latency(String service, long onsetS) {
        return latencyShift(service, OPEN, t(onsetS), t(onsetS + 20));
    }

    private static String name(RootCause c) {
        return c.kind() + "@" + c.service();
    }

    /** The vendor slows; payments and checkout wait on it; checkout's connection pool fills. */
    private static List<Signal> slowVendor() {
        return List.of(
                latency("card-vendor", 0),
                latency("payments", 10),
                latency("checkout", 20),
                pool("checkout", 60),
                latency("web", 30),
                latency("mobile", 30));
    }

    @Test
    void aPoolFullOfCallsWaitingOnASlowVendorNamesTheVendor() {
        CauseAnalysis.Result r = analysis.analyze(slowVendor(), List.of());

        assertThat(name(r.top())).isEqualTo("EXTERNAL_DEPENDENCY@card-vendor");
        assertThat(r.ranked())
                .extracting(WaitingPoolTest::name)
                .doesNotContain("RESOURCE_SATURATION@checkout");
        RootCause checkout =
                r.ranked().stream().filter(c -> c.service().equals("checkout")).findFirst().get();
        assertThat(checkout.confidence()).isLessThan(r.top().confidence() - 0.1);
        assertThat(checkout.evidence())
                .anyMatch(e -> e.contains("connection_pool_utilization, waiting on payments"));
    }

    @Test
    void itsOwnSlowCallsFromTracesAreEnoughToWaitOn() {
        // Only checkout's calls to payments (from traces) show the slowdown; payments itself
        // reports nothing. The pool waits on payments, which the slow calls point at.
        Signal slowCalls = slowCalls("checkout", "payments", t(0), t(30));

        CauseAnalysis.Result r =
                analysis.analyze(
                        List.of(slowCalls, pool("checkout", 40), latency("web", 30)), List.of());

        assertThat(name(r.top())).isEqualTo("SERVICE_SLOWDOWN@payments");
        assertThat(r.ranked())
                .filteredOn(c -> c.service().equals("checkout"))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.evidence())
                                        .anyMatch(e -> e.contains("waiting on payments")));
    }

    @Test
    void withoutWaitingResourcesThePoolIsTheServicesOwnAgain() {
        // The same signals with the list emptied: checkout's full pool is its own resource, which
        // no dependency explains, and it out-ranks the vendor (today's behaviour before the list).
        CauseAnalysis plain =
                new CauseAnalysis(
                        GRAPH,
                        Set.of("card-vendor"),
                        SETTINGS,
                        new PatternsConfig(null, null, null, null, null, null, null, List.of()));

        CauseAnalysis.Result r = plain.analyze(slowVendor(), List.of());

        assertThat(r.top().service()).isEqualTo("checkout");
    }

    /** The top cause of these signals, with checkout's pool its own saturation and not waiting. */
    private RootCause ownPoolAtCheckout(Signal... signals) {
        RootCause top = analysis.analyze(List.of(signals), List.of()).top();
        assertThat(name(top)).isEqualTo("RESOURCE_SATURATION@checkout");
        assertThat(top.evidence()).noneMatch(e -> e.contains("waiting on"));
        return top;
    }

    @Test
    void aPoolThatFillsBeforeAnyDependencySlowsIsTheServicesOwn() {
        // checkout's pool is full minutes before anything it calls moves: nothing was waiting
        // yet, so the pool is checkout's own.
        ownPoolAtCheckout(
                pool("checkout", 0),
                latency("checkout", 10),
                latency("web", 20),
                latency("payments", 300));
    }

    @Test
    void aPoolFilledByMoreRequestsIsNotWaiting() {
        // checkout's own request rate rose with its pool: more arrivals fill a pool by
        // themselves, so the slow dependency does not excuse it.
        ownPoolAtCheckout(
                requestRate("checkout", OPEN, t(0), t(30), 900, 300),
                latency("payments", 0),
                pool("checkout", 30),
                latency("checkout", 20),
                latency("web", 40));
    }

    @Test
    void aPoolBesideASaturatedCpuIsNotWaiting() {
        // checkout's CPU reaches its ceiling too: its own work slows every request, calls
        // included, so the pool that filled first is its own saturation, not waiting.
        ownPoolAtCheckout(
                latency("payments", 0),
                pool("checkout", 10),
                latency("checkout", 20),
                saturation("checkout", OPEN, t(30), t(90)),
                latency("web", 40));
    }

    @Test
    void aDatabaseSaturatedByItsOwnWorkStaysSaturationWhileItsCallersPoolsWait() {
        // The database's CPU fills with a job of its own; payments and checkout wait on it and
        // their pools fill: the database is named, as a saturation, not its callers.
        List<Signal> signals =
                List.of(
                        saturation("orders-db", OPEN, t(0), t(60)),
                        latency("orders-db", 10),
                        latency("payments", 20),
                        pool("payments", 40),
                        latency("checkout", 20),
                        pool("checkout", 50),
                        latency("web", 30));

        CauseAnalysis.Result r = analysis.analyze(signals, List.of());

        assertThat(name(r.top())).isEqualTo("RESOURCE_SATURATION@orders-db");
        assertThat(r.ranked())
                .extracting(WaitingPoolTest::name)
                .doesNotContain("RESOURCE_SATURATION@checkout", "RESOURCE_SATURATION@payments");
    }
}
