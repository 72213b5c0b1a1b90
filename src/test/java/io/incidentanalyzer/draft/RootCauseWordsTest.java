package io.incidentanalyzer.draft;

import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static io.incidentanalyzer.testing.Fixtures.latencyShift;
import static io.incidentanalyzer.testing.Fixtures.requestRate;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The postmortem's root-cause paragraph, one incident per kind of cause: each is told from its own
 * evidence in its own words, and never in another kind's (no "overloaded" for a slow provider, no
 * storm for a surge).
 */
class RootCauseWordsTest {

    private static final JobConfig JOB =
            JobConfigLoader.parse(
                    "environment: shop-prod\ntimeZone: Europe/London\nclock: 24h\n"
                            + TOPICS_YAML
                            + """
                              services:
                                database: {displayName: Orders database}
                                auth: {displayName: Login service, dependsOn: [database]}
                                payments: {displayName: Card processor, external: true}
                                api: {displayName: Shop API, dependsOn: [auth, database, payments]}
                                web: {displayName: Web shop, dependsOn: [api]}
                              components:
                                - {name: Checkout, group: Shop, services: [api, payments]}
                                - {name: Storefront, group: Shop, services: [web]}
                                - {name: Sign-in, group: Accounts, services: [auth, database]}
                              """,
                    "jobs/test.yaml");

    private static final long ONSET = Instant.parse("2024-05-06T09:00:00Z").toEpochMilli();

    /** The words only a paragraph about this kind of cause may use. */
    private static final Map<CauseKind, List<String>> OWN_WORDS = new EnumMap<>(CauseKind.class);

    static {
        OWN_WORDS.put(CauseKind.TOKEN_REFRESH_STORM, List.of("refresh", "storm"));
        OWN_WORDS.put(CauseKind.TRAFFIC_SURGE, List.of("surge", "extra requests"));
        OWN_WORDS.put(CauseKind.RESOURCE_SATURATION, List.of("own workload", "saturated"));
        OWN_WORDS.put(CauseKind.BAD_DEPLOY, List.of("release", "deploy"));
        OWN_WORDS.put(CauseKind.EXTERNAL_DEPENDENCY, List.of("outside our control", "provider"));
    }

    /** Load overloads; nothing else does. */
    private static final List<CauseKind> LOAD =
            List.of(CauseKind.TOKEN_REFRESH_STORM, CauseKind.TRAFFIC_SURGE);

    private static String rootCauseParagraph(
            CauseKind kind, String service, Signal primary, Signal... others) {
        List<Signal> active = new ArrayList<>();
        active.add(primary);
        active.addAll(List.of(others));
        List<String> ids = active.stream().map(Signal::id).toList();
        RootCause cause =
                new RootCause(
                        kind,
                        service,
                        0.9,
                        ONSET,
                        List.of("raw evidence at 2024-05-06T09:00:00Z"),
                        ids);
        IncidentEvent e =
                new IncidentEvent(
                        "shop-prod-x",
                        "shop-prod",
                        IncidentEventType.IDENTIFIED,
                        ONSET + 120_000,
                        IncidentStatus.IDENTIFIED,
                        ONSET,
                        null,
                        "internal title",
                        primary,
                        active,
                        List.of(cause),
                        List.of(),
                        List.of(),
                        null);
        Drafter drafter = new Drafter(JOB);
        DraftState st = new DraftState();
        drafter.update(st, e);
        Drafts d = drafter.render(st, e);
        assertThat(d.postmortem()).doesNotContainPattern("T\\d\\d:\\d\\d:\\d\\d");
        String pm = d.postmortem();
        return pm.substring(pm.indexOf("## Root Cause Analysis"), pm.indexOf("## Impact"));
    }

    private static void toldInItsOwnWords(CauseKind kind, String paragraph) {
        for (String own : OWN_WORDS.get(kind)) assertThat(paragraph).containsIgnoringCase(own);
        OWN_WORDS.forEach(
                (other, words) -> {
                    if (other == kind) return;
                    for (String word : words)
                        assertThat(paragraph)
                                .as(kind + " told in the words of " + other)
                                .doesNotContainIgnoringCase(word);
                });
        if (LOAD.contains(kind)) assertThat(paragraph).contains("overloaded");
        else assertThat(paragraph).doesNotContain("overload");
    }

    private static Signal errors(String service, double peak) {
        return signal(
                SignalKind.BASELINE_SHIFT,
                service,
                "error_ratio",
                SignalState.OPEN,
                ONSET,
                ONSET + 30_000,
                peak,
                peak,
                0.001,
                Severity.MAJOR);
    }

    @Test
    void aSlowExternalProviderIsOutsideOurControlAndSlowsItsCallers() {
        String p =
                rootCauseParagraph(
                        CauseKind.EXTERNAL_DEPENDENCY,
                        "payments",
                        latencyShift("payments", SignalState.OPEN, ONSET, ONSET + 20_000),
                        latencyShift("api", SignalState.OPEN, ONSET + 30_000, ONSET + 50_000));
        toldInItsOwnWords(CauseKind.EXTERNAL_DEPENDENCY, p);
        assertThat(p)
                .contains(
                        "the Card processor, a provider outside our control, slowing down: latency"
                                + " p95 (ms) up to 900 against 300 usually (3×), from 10:00")
                .contains("Shop API");
    }

    @Test
    void aBadDeployIsTheReleaseAndWhatFollowedIt() {
        String p =
                rootCauseParagraph(
                        CauseKind.BAD_DEPLOY,
                        "api",
                        errors("api", 0.4),
                        latencyShift("api", SignalState.OPEN, ONSET + 10_000, ONSET + 30_000));
        toldInItsOwnWords(CauseKind.BAD_DEPLOY, p);
        assertThat(p)
                .contains("a bad release of the Shop API: its first symptom came within 30 min")
                .contains("up to 40% of requests failing against 0.1% usually, from 10:00")
                .contains("After the release, the Shop API showed: latency p95 (ms) up to 900");
    }

    @Test
    void aSurgeIsMoreRequestsThanUsualAndTheyOverloadTheService() {
        String p =
                rootCauseParagraph(
                        CauseKind.TRAFFIC_SURGE,
                        "web",
                        requestRate("web", SignalState.OPEN, ONSET, ONSET + 30_000, 3000, 1000),
                        latencyShift("web", SignalState.OPEN, ONSET + 30_000, ONSET + 50_000));
        toldInItsOwnWords(CauseKind.TRAFFIC_SURGE, p);
        assertThat(p)
                .contains(
                        "a surge of traffic at the Web shop: request rate up to 3,000 against"
                                + " 1,000 usually (3×)")
                .contains("The extra requests overloaded the Web shop: latency p95 (ms)");
    }

    @Test
    void aSaturatedServiceRanOutUnderItsOwnWorkloadWithoutMoreRequests() {
        String p =
                rootCauseParagraph(
                        CauseKind.RESOURCE_SATURATION,
                        "database",
                        signal(
                                SignalKind.SATURATION,
                                "database",
                                "cpu_utilization",
                                SignalState.OPEN,
                                ONSET,
                                ONSET + 60_000,
                                100,
                                100,
                                95,
                                Severity.CRITICAL),
                        latencyShift("database", SignalState.OPEN, ONSET + 30_000, ONSET + 50_000));
        toldInItsOwnWords(CauseKind.RESOURCE_SATURATION, p);
        assertThat(p)
                .contains(
                        "the Orders database saturated under its own workload: CPU utilization at"
                            + " 100% (ceiling 95%) from 10:00, with no more requests than usual")
                .contains("At its ceiling, the Orders database answered slowly");
    }

    @Test
    void aRefreshStormIsRefreshesASecondAndTheyOverloadTheTokenService() {
        String p =
                rootCauseParagraph(
                        CauseKind.TOKEN_REFRESH_STORM,
                        "auth",
                        signal(
                                SignalKind.REFRESH_STORM,
                                "auth",
                                "refreshes",
                                SignalState.OPEN,
                                ONSET,
                                ONSET + 30_000,
                                500,
                                500,
                                20,
                                Severity.CRITICAL),
                        latencyShift("auth", SignalState.OPEN, ONSET + 30_000, ONSET + 50_000));
        toldInItsOwnWords(CauseKind.TOKEN_REFRESH_STORM, p);
        assertThat(p)
                .as("the detector counts refreshes per 10 s bucket; the draft says per second")
                .contains(
                        "a token-refresh storm on the Login service: up to 50 refreshes a second"
                                + " against 2 usually (25×), from 10:00")
                .contains("The refreshes overloaded the Login service: latency p95 (ms)");
    }
}
