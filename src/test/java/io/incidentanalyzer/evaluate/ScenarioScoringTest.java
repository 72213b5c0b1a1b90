package io.incidentanalyzer.evaluate;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.T0;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.simulate.FaultKind;
import io.incidentanalyzer.simulate.FaultRole;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.GroundTruth.Cause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScenarioScoringTest {

    private static final Cause DB_SATURATION = new Cause(CauseKind.RESOURCE_SATURATION, "database");
    private static final Cause STORM =
            new Cause(CauseKind.TOKEN_REFRESH_STORM, "token-verification");
    private static final Cause DRIFT = new Cause(CauseKind.DEPENDENCY_DRIFT, "token-verification");

    /** Two saturation signals of one incident: the verifier's first, the database's 5 s later. */
    private static final Signal VERIFIER =
            saturation("token-verification", SignalState.OPEN, t(105), t(165));

    private static final Signal DB = saturation("database", SignalState.OPEN, t(110), t(170));

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** A database outage from t(100) to t(1000), its root cause given. */
    private static GroundTruth truth(Cause root, GroundTruth.Fault... extra) {
        List<GroundTruth.Fault> faults = new ArrayList<>();
        faults.add(
                new GroundTruth.Fault(
                        "root",
                        FaultKind.SATURATION,
                        FaultRole.ROOT,
                        "root",
                        root,
                        at(100),
                        at(900),
                        java.util.stream.Stream.of(root.service(), "database", "token-verification")
                                .distinct()
                                .toList(),
                        ""));
        faults.addAll(List.of(extra));
        List<String> contributing = List.of(extra).stream().map(GroundTruth.Fault::id).toList();
        return new GroundTruth(
                "s",
                1,
                ENV,
                "UTC",
                T0,
                at(3600),
                Map.of(),
                List.of(
                        new GroundTruth.Outage(
                                "root", at(100), at(1000), root, contributing, List.of())),
                faults);
    }

    /**
     * An event whose ranking names a saturation on each given signal's service, in that order: the
     * ranking is the correlator's; here it is given, since the scoring is under test.
     */
    private static IncidentEvent event(
            String id, IncidentEventType type, Signal cause, long openedAt, List<Signal> ranked) {
        return event(id, type, cause, openedAt, ranked, List.of());
    }

    private static IncidentEvent event(
            String id,
            IncidentEventType type,
            Signal cause,
            long openedAt,
            List<Signal> ranked,
            List<RootCause> contributing) {
        List<RootCause> causes =
                ranked.stream()
                        .map(
                                s ->
                                        new RootCause(
                                                CauseKind.RESOURCE_SATURATION,
                                                s.service(),
                                                0.7,
                                                s.onset(),
                                                List.of(),
                                                List.of(s.id())))
                        .toList();
        return new IncidentEvent(
                id,
                ENV,
                type,
                cause.ts(),
                IncidentStatus.INVESTIGATING,
                openedAt,
                null,
                "t",
                cause,
                List.of(),
                causes,
                contributing,
                List.of(),
                null);
    }

    /** An incident of one signal: opened when it opens, closed when it clears. */
    private static List<IncidentEvent> incident(
            String service, long onsetS, long openS, long clearS) {
        Signal open = saturation(service, SignalState.OPEN, t(onsetS), t(openS));
        Signal clear = saturation(service, SignalState.CLEAR, t(onsetS), t(clearS));
        String id = "inc-" + service + "-" + onsetS;
        return List.of(
                event(id, IncidentEventType.OPENED, open, t(onsetS), List.of(open)),
                event(id, IncidentEventType.CLOSED, clear, t(onsetS), List.of(clear)));
    }

    @Test
    void faultDetectedWithDelayFromOnsetToTheSignalReport() {
        ScenarioScore s =
                ScenarioScoring.score(
                        truth(DB_SATURATION), incident("database", 110, 170, 800), 42);

        ScenarioScore.FaultScore f = s.faults().get(0);
        assertThat(f.detected()).isTrue();
        assertThat(f.delaySeconds()).isEqualTo(70.0);
        assertThat(f.namedSeconds()).as("the OPENED event already ranks it first").isEqualTo(70.0);
        assertThat(s.outages().get(0).rank()).isEqualTo(1);
        assertThat(s.outages().get(0).incidents()).hasSize(1);
        assertThat(s.falseIncidents()).isEmpty();
        assertThat(s.events()).isEqualTo(42);
    }

    @Test
    void signalOnAnUnaffectedServiceOrBeforeOnsetDoesNotDetect() {
        List<IncidentEvent> events = new ArrayList<>(incident("api-gpt", 200, 260, 500));
        events.addAll(incident("database", 20, 80, 90));

        ScenarioScore s = ScenarioScoring.score(truth(DB_SATURATION), events, 0);

        assertThat(s.faults().get(0).detected()).isFalse();
        assertThat(s.faults().get(0).delaySeconds()).isNull();
        assertThat(s.outages().get(0).rank()).isZero();
        assertThat(s.falseIncidents()).containsExactly("inc-api-gpt-200", "inc-database-20");
    }

    @Test
    void signalAfterTheFaultEndedBelongsToTheOutageButDoesNotDetect() {
        ScenarioScore s =
                ScenarioScoring.score(
                        truth(DB_SATURATION), incident("database", 950, 1010, 1100), 0);

        assertThat(s.faults().get(0).detected()).isFalse();
        assertThat(s.outages().get(0).incidents()).containsExactly("inc-database-950");
        assertThat(s.falseIncidents()).isEmpty();
    }

    @Test
    void wrongTopCandidateIsRankedBelowOrAbsent() {
        ScenarioScore s =
                ScenarioScoring.score(truth(STORM), incident("database", 110, 170, 800), 0);

        assertThat(s.faults().get(0).detected()).isTrue();
        assertThat(s.faults().get(0).namedSeconds()).isNull();
        assertThat(s.outages().get(0).candidates()).containsExactly(DB_SATURATION);
        assertThat(s.outages().get(0).top1()).isFalse();
        assertThat(s.outages().get(0).top3()).isFalse();
    }

    @Test
    void secondCandidateCountsForTop3Only() {
        List<IncidentEvent> events =
                List.of(
                        event("inc", IncidentEventType.OPENED, VERIFIER, t(105), List.of(VERIFIER)),
                        event(
                                "inc",
                                IncidentEventType.SIGNAL_ADDED,
                                DB,
                                t(105),
                                List.of(VERIFIER, DB)));

        ScenarioScore.OutageScore o =
                ScenarioScoring.score(truth(DB_SATURATION), events, 0).outages().get(0);

        assertThat(o.rank()).isEqualTo(2);
        assertThat(o.top1()).isFalse();
        assertThat(o.top3()).isTrue();
    }

    @Test
    void flappingIntoSeveralIncidentsCountsEachForTheOutage() {
        List<IncidentEvent> events = new ArrayList<>(incident("database", 110, 170, 300));
        events.addAll(incident("database", 400, 460, 600));

        ScenarioScore s = ScenarioScoring.score(truth(DB_SATURATION), events, 0);

        assertThat(s.outages().get(0).incidents())
                .containsExactly("inc-database-110", "inc-database-400");
        assertThat(s.falseIncidents()).isEmpty();
    }

    @Test
    void contributingFaultIsNamedOnlyWhenItsCauseIsACandidate() {
        GroundTruth.Fault drift =
                new GroundTruth.Fault(
                        "drift",
                        FaultKind.WRONG_HOST,
                        FaultRole.CONTRIBUTING,
                        "root",
                        DRIFT,
                        at(300),
                        at(900),
                        List.of("token-verification"),
                        "");

        ScenarioScore s =
                ScenarioScoring.score(
                        truth(DB_SATURATION, drift), incident("database", 110, 170, 800), 0);

        assertThat(s.faults())
                .extracting(ScenarioScore.FaultScore::id)
                .containsExactly("root", "drift");
        assertThat(s.faults().get(1).named()).isFalse();
        assertThat(s.faults().get(1).detected()).isFalse();
        assertThat(s.outages().get(0).contributing()).isEqualTo(1);
        assertThat(s.outages().get(0).contributingFound()).isZero();

        Signal db = saturation("database", SignalState.OPEN, t(110), t(330));
        RootCause named =
                new RootCause(
                        CauseKind.DEPENDENCY_DRIFT,
                        "token-verification",
                        0.8,
                        t(300),
                        List.of(),
                        List.of("drift"));
        ScenarioScore withIt =
                ScenarioScoring.score(
                        truth(DB_SATURATION, drift),
                        List.of(
                                event(
                                        "inc",
                                        IncidentEventType.CONTRIBUTING_CAUSE,
                                        db,
                                        t(110),
                                        List.of(db),
                                        List.of(named))),
                        0);
        assertThat(withIt.faults().get(1).named()).isTrue();
        assertThat(withIt.faults().get(1).namedSeconds()).isEqualTo(30.0);
        assertThat(withIt.outages().get(0).contributingFound()).isEqualTo(1);
    }

    @Test
    void everyIncidentOfAFaultFreeScenarioIsFalse() {
        GroundTruth quiet =
                new GroundTruth(
                        "quiet", 1, ENV, "UTC", T0, at(3600), Map.of(), List.of(), List.of());

        ScenarioScore s = ScenarioScoring.score(quiet, incident("database", 110, 170, 800), 0);

        assertThat(s.incidents()).isEqualTo(1);
        assertThat(s.falseIncidents()).containsExactly("inc-database-110");
    }

    @Test
    void summaryLineAndTable() {
        ScenarioScore hit =
                ScenarioScoring.score(truth(DB_SATURATION), incident("database", 110, 170, 800), 0);
        ScenarioScore quiet =
                ScenarioScoring.score(
                        new GroundTruth(
                                "quiet", 1, ENV, "UTC", T0, at(3600), Map.of(), List.of(),
                                List.of()),
                        incident("api-gpt", 110, 190, 800),
                        0);

        SuiteReport r = SuiteReport.of("jobs/scenarios", List.of(hit, quiet));

        assertThat(r.summaryLine())
                .isEqualTo(
                        "SUITE scenarios=2 runs=2 faults=1 detected=1 top1=1 top3=1"
                                + " identified_top1=0 false_incidents=1 median_delay_s=70.0");
        assertThat(r.table()).hasSize(3);
        assertThat(r.table().get(0)).startsWith("SCENARIO").contains("DELAY_S", "TOP1", "FALSE");
        assertThat(r.table().get(1))
                .startsWith("s ")
                .contains("root", "RESOURCE_SATURATION@database", "yes", "70");
        assertThat(r.table().get(2)).startsWith("quiet").contains("(no fault)").endsWith("1");
    }

    @Test
    void aRampingFaultsDelayIsAlsoGivenFromItsTwoTimesMoment() {
        ScenarioScore s =
                ScenarioScoring.score(
                        truth(DB_SATURATION),
                        incident("database", 110, 170, 800),
                        0,
                        java.util.Map.of("root", at(130).toEpochMilli()));
        ScenarioScore.FaultScore f = s.faults().get(0);
        assertThat(f.delaySeconds()).isEqualTo(70.0);
        assertThat(f.twoXSeconds()).isEqualTo(30.0);
        assertThat(f.delayFrom2xSeconds()).isEqualTo(40.0);
        SuiteReport r = SuiteReport.of("jobs/scenarios", List.of(s));
        assertThat(r.summaryLine()).endsWith(" ramps=1 max_delay_2x_s=40");
        assertThat(r.table().get(0)).contains("2X_S", "DELAY_2X_S");
        assertThat(r.table().get(1)).containsPattern(" 70 +30 +40 ");
    }

    @Test
    void theCauseToldAtIdentifiedIsScoredBesideTheFinalRanking() {
        // Identified with the wrong cause first; the final ranking then names the right one.
        List<IncidentEvent> events =
                List.of(
                        event(
                                "inc",
                                IncidentEventType.IDENTIFIED,
                                VERIFIER,
                                t(105),
                                List.of(VERIFIER)),
                        event(
                                "inc",
                                IncidentEventType.ROOT_CAUSE_CHANGED,
                                DB,
                                t(105),
                                List.of(DB, VERIFIER)),
                        event("inc", IncidentEventType.IDENTIFIED, DB, t(105), List.of(DB)));

        ScenarioScore.OutageScore o =
                ScenarioScoring.score(truth(DB_SATURATION), events, 0).outages().get(0);

        assertThat(o.top1()).isTrue();
        assertThat(o.identified())
                .as("the first IDENTIFIED event is what users were told")
                .isEqualTo(new Cause(CauseKind.RESOURCE_SATURATION, "token-verification"));
        assertThat(o.identifiedTop1()).isFalse();
        SuiteReport r =
                SuiteReport.of(
                        "x", List.of(ScenarioScoring.score(truth(DB_SATURATION), events, 0)));
        assertThat(r.summaryLine()).contains(" top1=1 top3=1 identified_top1=0 ");
        assertThat(r.table().get(0)).contains("TOP3  IDENT");
    }

    @Test
    void identifiedWithTheRootCauseCounts() {
        List<IncidentEvent> events =
                List.of(
                        event("inc", IncidentEventType.OPENED, DB, t(110), List.of(DB)),
                        event("inc", IncidentEventType.IDENTIFIED, DB, t(110), List.of(DB)));

        ScenarioScore s = ScenarioScoring.score(truth(DB_SATURATION), events, 0);

        assertThat(s.outages().get(0).identified()).isEqualTo(DB_SATURATION);
        assertThat(s.outages().get(0).identifiedTop1()).isTrue();
        assertThat(SuiteReport.of("x", List.of(s)).summary().identifiedTop1()).isEqualTo(1);
    }

    @Test
    void neverIdentifiedIsNoIdentifiedHit() {
        ScenarioScore s =
                ScenarioScoring.score(truth(DB_SATURATION), incident("database", 110, 170, 800), 0);

        assertThat(s.outages().get(0).top1()).isTrue();
        assertThat(s.outages().get(0).identified()).isNull();
        assertThat(s.outages().get(0).identifiedTop1()).isFalse();
    }

    @Test
    void runsOfEverySeedAndSystemAddUpAndEachSystemGetsItsLine() {
        GroundTruth shop =
                new GroundTruth(
                        "shop",
                        7,
                        "shop-prod",
                        "UTC",
                        T0,
                        at(3600),
                        Map.of(),
                        List.of(),
                        List.of());
        List<IncidentEvent> hitEvents = incident("database", 110, 170, 800);
        ScenarioScore seedA = ScenarioScoring.score(truth(DB_SATURATION), hitEvents, 0);
        ScenarioScore seedB =
                ScenarioScoring.score(truth(DB_SATURATION), incident("database", 110, 230, 800), 0);
        ScenarioScore miss = ScenarioScoring.score(truth(STORM), hitEvents, 0);
        ScenarioScore quietShop = ScenarioScoring.score(shop, incident("cart", 110, 190, 800), 0);

        SuiteReport r = SuiteReport.of("jobs/scenarios", List.of(seedA, seedB, miss, quietShop));

        assertThat(r.summary().scenarios()).as("three runs of s are one scenario").isEqualTo(2);
        assertThat(r.summary().runs()).isEqualTo(4);
        assertThat(r.summary().faults()).isEqualTo(3);
        assertThat(r.summary().top1()).isEqualTo(2);
        assertThat(r.summary().falseIncidents()).isEqualTo(1);
        assertThat(r.summary().medianDelaySeconds()).isEqualTo(70.0);
        assertThat(r.summaryLines())
                .containsExactly(
                        "SUITE system=shop-prod scenarios=1 runs=1 faults=0 detected=0 top1=0"
                                + " top3=0 identified_top1=0 false_incidents=1"
                                + " median_delay_s=n/a",
                        "SUITE system="
                                + ENV
                                + " scenarios=1 runs=3 faults=3 detected=3 top1=2"
                                + " top3=2 identified_top1=0 false_incidents=0"
                                + " median_delay_s=70.0",
                        r.summaryLine());
        assertThat(SuiteReport.of("x", List.of(seedA)).summaryLines())
                .as("one system: the total line only")
                .containsExactly(SuiteReport.of("x", List.of(seedA)).summaryLine());
    }

    @Test
    void medianOfNoDelayIsAbsent() {
        assertThat(SuiteReport.median(List.of())).isNull();
        assertThat(SuiteReport.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
        assertThat(SuiteReport.of("x", List.of()).summaryLine()).endsWith("median_delay_s=n/a");
    }
}
