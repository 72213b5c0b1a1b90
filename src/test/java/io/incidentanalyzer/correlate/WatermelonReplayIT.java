package io.incidentanalyzer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.evaluate.ScenarioScore;
import io.incidentanalyzer.evaluate.ScenarioScoring;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.replay.Replay;
import io.incidentanalyzer.replay.ReplayResult;
import io.incidentanalyzer.simulate.DirectorySink;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.Simulator;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's outage end to end: the Watermelon scenario (30 hours, five million records) simulated
 * with its own seed and replayed through the job of {@code jobs/watermelon.yaml}, then held to
 * issue 5's targets in event time.
 */
class WatermelonReplayIT {
    private static GroundTruth truth;
    private static List<IncidentEvent> events;
    private static ScenarioScore score;

    @BeforeAll
    static void replay(@TempDir Path dir) throws Exception {
        ScenarioLoader.Loaded scenario =
                ScenarioLoader.load(Path.of("jobs/scenarios/watermelon-2024-02-16.yaml"));
        try (DirectorySink sink = new DirectorySink(dir)) {
            truth = new Simulator(scenario, scenario.scenario().seed()).run(sink);
        }
        ReplayResult result = Replay.run(scenario.job(), dir, 2, null);
        events = result.incidents();
        score = ScenarioScoring.score(truth, events, result.eventsRead());
    }

    private static ScenarioScore.FaultScore fault(String id) {
        return score.faults().stream().filter(f -> f.id().equals(id)).findFirst().orElseThrow();
    }

    private static IncidentEvent last() {
        return events.get(events.size() - 1);
    }

    @Test
    void oneIncidentWhoseRootCauseIsTheStormWithinTwoMinutesOfItsOnset() {
        assertThat(events).extracting(IncidentEvent::incidentId).containsOnly(last().incidentId());
        assertThat(score.falseIncidents()).isEmpty();

        assertThat(fault("refresh-storm").namedSeconds()).isNotNull().isLessThanOrEqualTo(120.0);
        IncidentEvent identified =
                events.stream()
                        .filter(e -> e.type() == IncidentEventType.IDENTIFIED)
                        .findFirst()
                        .orElseThrow();
        long onset = truth.fault("refresh-storm").onset().toEpochMilli();
        assertThat(identified.ts() - onset).isLessThanOrEqualTo(120_000);

        RootCause top = last().topCause();
        assertThat(top.kind()).isEqualTo(CauseKind.TOKEN_REFRESH_STORM);
        assertThat(top.service()).isEqualTo("token-verification");
        assertThat(top.evidence())
                .as("the offending client version is the top heavy hitter")
                .anyMatch(e -> e.startsWith("clientVersion 2024.02.16: "));
        assertThat(events)
                .as("the storm is never displaced by the symptoms that follow")
                .noneMatch(e -> e.type() == IncidentEventType.ROOT_CAUSE_CHANGED);
    }

    @Test
    void theWrongHostAndTheMissingTokensAreContributingWithinAMinute() {
        assertThat(fault("wrong-db-host").named()).isTrue();
        assertThat(fault("wrong-db-host").namedSeconds()).isBetween(0.0, 60.0);
        assertThat(fault("count-missing-token").named()).isTrue();
        assertThat(fault("count-missing-token").namedSeconds()).isBetween(0.0, 60.0);
        assertThat(last().contributingCauses())
                .extracting(c -> c.kind() + "@" + c.service())
                .containsExactly(
                        "DEPENDENCY_DRIFT@token-verification", "MISSING_TOKEN@conversation-count");
    }

    @Test
    void theRollbackDidNothingAndSwitchingRefreshOffWasTheTurningPoint() {
        List<ChangeEffect> effects = last().changeEffects();
        ChangeEffect rollback =
                effects.stream()
                        .filter(e -> e.change().kind() == ChangeKind.ROLLBACK)
                        .findFirst()
                        .orElseThrow();
        assertThat(rollback.verdict()).isEqualTo(ChangeEffect.Verdict.NO_EFFECT);
        assertThat(rollback.cause().kind()).isEqualTo(CauseKind.TOKEN_REFRESH_STORM);
        assertThat(rollback.text()).contains("at 8:45 AM: refresh rate unchanged");

        assertThat(effects.stream().filter(ChangeEffect::turningPoint))
                .singleElement()
                .satisfies(
                        off -> {
                            assertThat(off.change().kind()).isEqualTo(ChangeKind.FEATURE_FLAG);
                            assertThat(off.change().description())
                                    .isEqualTo("Token refresh disabled");
                            assertThat(off.verdict()).isEqualTo(ChangeEffect.Verdict.CLEARED);
                            assertThat(off.relativeChange()).isLessThanOrEqualTo(-0.9);
                            assertThat(off.text()).contains("at 9:00 AM: refresh rate −");
                        });
    }
}
