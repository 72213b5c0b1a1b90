package io.incidentanalyzer.correlate.rank;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ranking on small hand-made graphs: each case has one answer the factors must produce. */
class RootCauseRankerTest {
    private static final long MIN = 60_000L;
    private final RootCauseRanker ranker = RootCauseRanker.defaults();

    private static Anomaly at(String node, long minute, double score) {
        return new Anomaly(node, minute * MIN, score, "BASELINE_SHIFT");
    }

    private static List<String> nodes(List<Candidate> ranking) {
        return ranking.stream().map(Candidate::node).toList();
    }

    @Test
    void inAChainTheDeepestAnomalyRanksFirstAndSaysWhy() {
        // web → api → db: db slows first, the callers follow
        DependencyGraph g = DependencyGraph.of(Map.of("web", List.of("api"), "api", List.of("db")));
        List<Candidate> r =
                ranker.rank(
                        g,
                        List.of(at("web", 10, 0.9), at("api", 5, 0.8), at("db", 0, 0.7)),
                        List.of());

        assertThat(nodes(r)).containsExactly("db", "api", "web");
        Candidate db = r.get(0);
        assertThat(db.evidence())
                .contains(
                        "explains 2 of 2 other anomalous nodes through the graph (api, web)",
                        "no anomalous dependency of its own",
                        "anomalous 5 min before its callers");
        assertThat(r.get(1).evidence())
                .anySatisfy(e -> assertThat(e).startsWith("depends on anomalous db"));
        assertThat(r).allSatisfy(c -> assertThat(c.confidence()).isBetween(0.0, 1.0));
        assertThat(db.confidence()).isGreaterThan(r.get(1).confidence());
    }

    @Test
    void aSharedDependencyExplainsItsCallersEvenWhenTheyAreLouder() {
        // three services share one database; a fourth service's own cache is noisy on its own
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of(
                                "orders", List.of("db"),
                                "billing", List.of("db"),
                                "search", List.of("db", "cache")));
        List<Candidate> r =
                ranker.rank(
                        g,
                        List.of(
                                at("orders", 2, 1.0),
                                at("billing", 2, 1.0),
                                at("search", 3, 1.0),
                                at("db", 0, 0.5),
                                at("cache", 4, 0.55)),
                        List.of());

        assertThat(r.get(0).node()).isEqualTo("db");
        assertThat(r.get(0).evidence())
                .contains(
                        "explains 3 of 4 other anomalous nodes through the graph (billing, orders,"
                                + " search)");
        assertThat(r.get(0).confidence())
                .as("louder callers it explains stay below it")
                .isGreaterThan(r.get(1).confidence());
    }

    @Test
    void twoIndependentCausesBothRankAboveTheirSymptoms() {
        DependencyGraph g =
                DependencyGraph.of(Map.of("shop", List.of("payments"), "mail", List.of("smtp")));
        List<Candidate> r =
                ranker.rank(
                        g,
                        List.of(
                                at("shop", 3, 0.9),
                                at("payments", 1, 0.6),
                                at("mail", 8, 0.9),
                                at("smtp", 6, 0.8)),
                        List.of());

        assertThat(nodes(r).subList(0, 2)).containsExactlyInAnyOrder("payments", "smtp");
        assertThat(r.get(0).node()).as("the stronger of the two causes first").isEqualTo("smtp");
    }

    @Test
    void aChangeOnOneOfTwoOtherwiseEqualSuspectsTipsTheRanking() {
        DependencyGraph g = DependencyGraph.of(Map.of("api", List.of("auth", "db")));
        List<Anomaly> anomalies = List.of(at("api", 5, 0.9), at("auth", 2, 0.7), at("db", 2, 0.7));

        List<Candidate> without = ranker.rank(g, anomalies, List.of());
        assertThat(nodes(without).get(0)).as("a tie goes to the name").isEqualTo("auth");
        assertThat(without.get(0).confidence()).isEqualTo(without.get(1).confidence());

        List<Candidate> with =
                ranker.rank(g, anomalies, List.of(new Change("db", 0, "deploy db 14.2")));
        assertThat(nodes(with).get(0)).isEqualTo("db");
        assertThat(with.get(0).evidence())
                .contains("changed 2 min before its onset: deploy db 14.2");
        assertThat(with.get(0).confidence()).isGreaterThan(with.get(1).confidence());

        List<Candidate> tooOld =
                ranker.rank(g, anomalies, List.of(new Change("db", -60 * MIN, "deploy")));
        assertThat(nodes(tooOld).get(0))
                .as("a change an hour before does not count")
                .isEqualTo("auth");
    }

    @Test
    void theKnownCausalChainOrdersSuspectsTheGraphCannot() {
        // the token service and the database are both dependencies of the gateway, not of each
        // other
        DependencyGraph g = DependencyGraph.of(Map.of("gateway", List.of("tokens", "accounts-db")));
        List<Anomaly> anomalies =
                List.of(
                        new Anomaly("gateway", 10 * MIN, 0.9, "BACKLOG_GROWTH"),
                        new Anomaly("accounts-db", 4 * MIN, 0.8, "SATURATION"),
                        new Anomaly("tokens", 4 * MIN, 0.8, "REFRESH_STORM"));

        List<Candidate> r = ranker.rank(g, anomalies, List.of());
        assertThat(nodes(r)).startsWith("tokens", "accounts-db");
        assertThat(r.get(0).evidence())
                .anySatisfy(e -> assertThat(e).startsWith("REFRESH_STORM starts the known chain"));

        RootCauseRanker noChains =
                new RootCauseRanker(
                        java.time.Duration.ofMinutes(30),
                        java.time.Duration.ofMinutes(1),
                        List.of());
        assertThat(nodes(noChains.rank(g, anomalies, List.of())))
                .as("without the chain, a tie that goes to the name")
                .startsWith("accounts-db", "tokens");
        assertThat(noChains.rank(g, anomalies, List.of()).get(0).confidence())
                .isEqualTo(noChains.rank(g, anomalies, List.of()).get(1).confidence());
    }

    @Test
    void withASymptomOnlyWhatItDependsOnThroughAnomalousCallersLeads() {
        // site → cart → stock; site → reviews. cart looks normal, so stock's anomaly does not
        // reach the site; an anomaly outside the site's dependencies is not a candidate
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of(
                                "site", List.of("cart", "reviews"),
                                "cart", List.of("stock"),
                                "batch", List.of("stock")));
        List<Anomaly> anomalies =
                List.of(
                        at("site", 5, 0.9),
                        at("stock", 1, 0.95),
                        at("reviews", 3, 0.4),
                        at("batch", 0, 1.0));

        List<Candidate> r = ranker.rank(g, anomalies, List.of(), "site");
        assertThat(nodes(r)).containsExactlyInAnyOrder("reviews", "stock", "site");
        assertThat(nodes(r).get(0))
                .as("the symptom cannot reach stock past a normal cart: it keeps half its score")
                .isEqualTo("reviews");
        assertThat(r.get(0).evidence())
                .contains("linked to the symptom site by anomalous callers only");
        assertThat(r.get(nodes(r).indexOf("stock")).evidence())
                .contains("a caller between it and the symptom site looks normal");

        List<Anomaly> cartToo = new ArrayList<>(anomalies);
        cartToo.add(at("cart", 2, 0.5));
        assertThat(nodes(ranker.rank(g, cartToo, List.of(), "site")).get(0)).isEqualTo("stock");
    }

    private static Anomaly series(
            String node, long minute, double scales, Anomaly.Facet facet, String peer) {
        return new Anomaly(
                node,
                minute * MIN,
                Anomaly.calibrate(scales),
                "metric",
                facet + " " + scales + " scales",
                facet,
                peer);
    }

    private static Anomaly latency(String node, double scales, double seconds) {
        return new Anomaly(
                node,
                0,
                Anomaly.calibrate(scales),
                "latency",
                "latency up " + scales + " scales",
                Anomaly.Facet.LATENCY,
                null,
                seconds);
    }

    @Test
    void aDependencySlowerByFarFewerSecondsDoesNotExplainItsCaller() {
        // PetShop's shape: a misconfigured payments service slows by 80 ms (40 of its scales); its
        // steady database, which it calls, slows by 3 ms, which is 17 of the database's scales
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of("site", List.of("payments"), "payments", List.of("payments-db")));
        List<Anomaly> measured =
                List.of(
                        latency("site", 30, 0.085),
                        latency("payments", 40, 0.080),
                        latency("payments-db", 17, 0.003));
        List<Anomaly> scoresOnly = new ArrayList<>();
        for (Anomaly a : measured) {
            scoresOnly.add(
                    new Anomaly(
                            a.node(), a.onset(), a.score(), a.kind(), a.detail(), a.facet(), null));
        }

        assertThat(nodes(ranker.rank(g, scoresOnly, List.of(), "site")).get(0))
                .as("on scores alone the database explains its caller")
                .isEqualTo("payments-db");
        List<Candidate> r = ranker.rank(g, measured, List.of(), "site");
        assertThat(nodes(r).get(0)).isEqualTo("payments");
        assertThat(r.get(0).evidence())
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .startsWith("depends on anomalous payments-db")
                                        .contains("its latency rose 4 % as much"));
        // the site's 85 ms are the payments service's 80: it stays a symptom
        assertThat(nodes(r)).containsSubsequence("payments", "site");
    }

    @Test
    void aMuchLargerAnomalyIsNotOutRankedByStructureAlone() {
        // Sock Shop's shape: a CPU fault in orders, 510 baseline scales; its database, which it
        // depends on, moves 9 scales at the same time and the front end's latency 20 a minute on
        List<Anomaly> anomalies =
                List.of(
                        series("orders", 0, 510, Anomaly.Facet.RESOURCE, null),
                        series("orders-db", 0, 9, Anomaly.Facet.LATENCY, null),
                        series("front-end", 1, 20, Anomaly.Facet.LATENCY, null));
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of("front-end", List.of("orders"), "orders", List.of("orders-db")));

        List<Candidate> r = ranker.rank(g, anomalies, List.of());
        assertThat(nodes(r)).startsWith("orders");
        assertThat(r.get(0).evidence())
                .anySatisfy(e -> assertThat(e).startsWith("depends on anomalous orders-db"));

        // the structure still decides between anomalies of a like size
        List<Anomaly> alike =
                List.of(
                        series("orders", 0, 40, Anomaly.Facet.LATENCY, null),
                        series("orders-db", 0, 45, Anomaly.Facet.LATENCY, null),
                        series("front-end", 1, 40, Anomaly.Facet.LATENCY, null));
        assertThat(nodes(ranker.rank(g, alike, List.of()))).startsWith("orders-db");
    }

    @Test
    void theCalibratedScaleKeepsTheRatioOfLargeMoves() {
        assertThat(Anomaly.calibrate(2.9)).isZero();
        assertThat(Anomaly.calibrate(510)).isGreaterThan(0.85);
        assertThat(Anomaly.calibrate(9)).isLessThan(0.25);
        assertThat(Anomaly.calibrate(5000)).isEqualTo(1.0);
    }

    @Test
    void callerSideLatencyWithoutTheCalleesOwnLatencyPointsAtTheCallee() {
        // a network delay on cart: both callers' calls to it slow by 150-250 scales, cart's own
        // server latency does not move; the front end's own latency follows, far less
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of(
                                "frontend", List.of("cart", "checkout"),
                                "checkout", List.of("cart", "payment")));
        List<Anomaly> anomalies =
                List.of(
                        series("frontend", 1, 234, Anomaly.Facet.CALL_LATENCY, "cart"),
                        series("checkout", 1, 141, Anomaly.Facet.CALL_LATENCY, "cart"),
                        series("frontend", 1, 12, Anomaly.Facet.LATENCY, null),
                        series("payment", 0, 8, Anomaly.Facet.LATENCY, null));

        List<Candidate> r = ranker.rank(g, anomalies, List.of());
        assertThat(nodes(r).get(0)).isEqualTo("cart");
        assertThat(r.get(0).evidence())
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .startsWith("its callers' calls to it are slow (frontend:")
                                        .endsWith(
                                                "while it shows nothing itself: a fault in it or"
                                                        + " in the network to it"));
        assertThat(nodes(r))
                .as("a call's latency does not count for the caller")
                .doesNotContain("checkout");
        assertThat(nodes(r).indexOf("frontend")).isGreaterThan(nodes(r).indexOf("cart"));
    }

    @Test
    void theRankingIsTheSameWhateverTheInputOrder() {
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of("a", List.of("b", "c"), "b", List.of("d"), "c", List.of("d", "e")));
        List<Anomaly> anomalies =
                new ArrayList<>(
                        List.of(
                                at("a", 9, 0.5),
                                at("b", 4, 0.6),
                                at("c", 4, 0.6),
                                at("d", 1, 0.3),
                                at("e", 2, 0.9),
                                at("d", 0, 0.2)));
        List<Candidate> first = ranker.rank(g, anomalies, List.of());
        Random rng = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(anomalies, rng);
            assertThat(ranker.rank(g, anomalies, List.of())).isEqualTo(first);
        }
        assertThat(nodes(first)).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void theGraphWalksBothWaysAndSurvivesCycles() {
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of("a", List.of("b"), "b", List.of("c"), "c", List.of("a", "d")));
        assertThat(g.downstream("a")).containsExactly("b", "c", "d");
        assertThat(g.upstream("d")).containsExactly("a", "b", "c");
        assertThat(g.callersOf("a")).containsExactly("c");
        assertThat(g.nodes()).containsExactly("a", "b", "c", "d");
        assertThat(ranker.rank(g, List.of(), List.of())).isEmpty();
    }

    private static Anomaly slower(String node, long minute, double score, double seconds) {
        return new Anomaly(
                node, minute * MIN, score, "latency", "", Anomaly.Facet.LATENCY, null, seconds);
    }

    @Test
    void aLeafThatRoseMoreThanItsCallersOtherDependencyPassesTheBlameOn() {
        // web calls search (which reads table) and a balancer the graph knows nothing behind;
        // table slows by 0.25 s, search by 0.28 s, and web's view through the balancer by 0.9 s,
        // the loudest anomaly of all
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of("web", List.of("search", "lb"), "search", List.of("table")));
        List<Anomaly> anomalies =
                List.of(
                        slower("web", 0, 0.6, 0.95),
                        slower("lb", 0, 0.8, 0.9),
                        slower("search", 0, 0.62, 0.28),
                        slower("table", 0, 0.68, 0.25));

        List<Candidate> r = ranker.rank(g, anomalies, List.of(), "web");

        assertThat(nodes(r).get(0)).isEqualTo("table");
        Candidate lb = r.get(nodes(r).indexOf("lb"));
        assertThat(lb.evidence())
                .anySatisfy(e -> assertThat(e).contains("search").contains("stand in front of"))
                .anySatisfy(e -> assertThat(e).startsWith("depends on anomalous search"));
    }

    @Test
    void withoutARiseInAKnownUnitNoHiddenDependencyIsAssumed() {
        // the same shape as the streaming correlator sees it: scores, no seconds
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of("web", List.of("search", "lb"), "search", List.of("table")));
        List<Candidate> r =
                ranker.rank(
                        g,
                        List.of(
                                at("web", 0, 0.6),
                                at("lb", 0, 0.8),
                                at("search", 0, 0.62),
                                at("table", 0, 0.68)),
                        List.of(),
                        "web");

        assertThat(nodes(r).get(0)).isEqualTo("lb");
        assertThat(r).allSatisfy(c -> assertThat(c.evidence()).noneMatch(e -> e.contains("front")));
    }

    @Test
    void twoLeavesWithNoCallerInCommonAreNotLinked() {
        // two databases of two services: the louder one is not read as standing before the other
        DependencyGraph g =
                DependencyGraph.of(
                        Map.of(
                                "web", List.of("orders", "lists"),
                                "orders", List.of("ordersDb"),
                                "lists", List.of("listsDb")));
        List<Candidate> r =
                ranker.rank(
                        g,
                        List.of(
                                slower("ordersDb", 0, 0.7, 0.5),
                                slower("listsDb", 0, 0.3, 0.3),
                                slower("orders", 0, 0.6, 0.55),
                                slower("web", 0, 0.5, 0.6)),
                        List.of(),
                        "web");

        assertThat(r).allSatisfy(c -> assertThat(c.evidence()).noneMatch(e -> e.contains("front")));
    }
}
