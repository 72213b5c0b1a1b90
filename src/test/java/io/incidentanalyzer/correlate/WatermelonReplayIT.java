package io.incidentanalyzer.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.draft.EffectWords;
import io.incidentanalyzer.evaluate.ScenarioScore;
import io.incidentanalyzer.evaluate.ScenarioScoring;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.ComponentImpact;
import io.incidentanalyzer.model.ComponentWindow;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.model.TimelineEntry;
import io.incidentanalyzer.replay.Replay;
import io.incidentanalyzer.replay.ReplayResult;
import io.incidentanalyzer.simulate.DirectorySink;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.Simulator;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
    private static EffectWords effectWords;
    private static io.incidentanalyzer.config.JobConfig jobConfig;

    @BeforeAll
    static void replay(@TempDir Path dir) throws Exception {
        ScenarioLoader.Loaded scenario =
                ScenarioLoader.load(Path.of("jobs/scenarios/watermelon-2024-02-16.yaml"));
        try (DirectorySink sink = new DirectorySink(dir)) {
            truth = new Simulator(scenario, scenario.scenario().seed()).run(sink);
        }
        ReplayResult result = Replay.run(scenario.job(), dir, 2, null);
        effectWords = new EffectWords(scenario.job());
        jobConfig = scenario.job();
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
        assertThat(effectWords.sentence(rollback)).contains("at 8:45 AM: refresh rate unchanged");

        assertThat(effects.stream().filter(ChangeEffect::turningPoint))
                .singleElement()
                .satisfies(
                        off -> {
                            assertThat(off.change().kind()).isEqualTo(ChangeKind.FEATURE_FLAG);
                            assertThat(off.change().description())
                                    .isEqualTo("Token refresh disabled");
                            assertThat(off.verdict()).isEqualTo(ChangeEffect.Verdict.CLEARED);
                            assertThat(off.relativeChange()).isLessThanOrEqualTo(-0.9);
                            assertThat(effectWords.sentence(off))
                                    .contains("at 9:00 AM: refresh rate −");
                        });
    }

    // ------------------------------------------------------------ drafts (issue 6)

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    /** Event time of a local time in Amsterdam on 16 (or 17) February 2024. */
    private static long local(int day, int hour, int minute) {
        return ZonedDateTime.of(2024, 2, day, hour, minute, 0, 0, AMSTERDAM)
                .toInstant()
                .toEpochMilli();
    }

    /** The entry closest to {@code at} among those whose text contains every word given. */
    private static TimelineEntry closest(long at, String... words) {
        return last().drafts().timeline().stream()
                .filter(t -> java.util.Arrays.stream(words).allMatch(t.text()::contains))
                .min(java.util.Comparator.comparingLong(t -> Math.abs(t.ts() - at)))
                .orElseThrow(() -> new AssertionError("no entry with " + List.of(words)));
    }

    @Test
    void theTimelineHasAnEntryWithinTwoMinutesOfEachSeedEventTheStreamsShow() {
        // The seed's timeline (../shared/seeds/), in Amsterdam time, and what shows each event.
        record Seed(String event, long at, String[] words) {}
        List<Seed> seed =
                List.of(
                        new Seed(
                                "8:30 outage detected",
                                local(16, 8, 30),
                                new String[] {"requests failing"}),
                        new Seed(
                                "8:30 database CPU at 100%",
                                local(16, 8, 30),
                                new String[] {"CPU utilization at 100%", "Database"}),
                        new Seed(
                                "8:30 API-GPT overloaded",
                                local(16, 8, 30),
                                new String[] {"slow responses from", "API-GPT server"}),
                        new Seed(
                                "8:30 token verification overloaded",
                                local(16, 8, 30),
                                new String[] {"Token verification server"}),
                        new Seed("8:45 rollback", local(16, 8, 45), new String[] {"Rolled back"}),
                        new Seed(
                                "9:00 refresh disabled",
                                local(16, 9, 0),
                                new String[] {"Token refresh disabled", "turning point"}),
                        new Seed(
                                "6:00 PM database host corrected",
                                local(16, 18, 0),
                                new String[] {"Database host", "drift", "cleared"}),
                        new Seed(
                                "6:30 PM tokens not sent",
                                local(16, 18, 30),
                                new String[] {"requests sent without a token"}),
                        new Seed(
                                "Sat 10:00 AM fully up",
                                local(17, 10, 0),
                                new String[] {"App Engine is operational again"}));
        for (Seed s : seed) {
            TimelineEntry t = closest(s.at(), s.words());
            assertThat(Math.abs(t.ts() - s.at()))
                    .as(s.event() + ": " + t.time() + " " + t.text())
                    .isLessThanOrEqualTo(120_000);
        }
        // "Most functionalities restored": the scenario recovers at 7:43 PM, not the seed's 7:30.
        long restored = truth.outages().get(0).components().get(0).to().toEpochMilli();
        assertThat(
                        Math.abs(
                                closest(restored, "operational again", "still affected").ts()
                                        - restored))
                .isLessThanOrEqualTo(120_000);
        assertThat(last().drafts().timeline())
                .extracting(TimelineEntry::day)
                .containsSubsequence("Friday 16 February 2024", "Saturday 17 February 2024");
        assertThat(closest(local(16, 8, 45), "Rolled back").time()).isEqualTo("8:45 AM");
    }

    @Test
    void theRootCauseParagraphNamesTheStormTheVerificationOverloadAndTheDatabaseWithFigures() {
        String pm = last().drafts().postmortem();
        String rca = pm.substring(pm.indexOf("## Root Cause Analysis"), pm.indexOf("## Impact"));
        assertThat(rca)
                .containsPattern(
                        "token-refresh storm on the Token verification server: up to [0-9,.]+"
                                + " refreshes a second against [0-9.]+ usually \\([0-9.]+×\\)")
                .contains("clientVersion 2024.02.16")
                .containsPattern(
                        "The refreshes overloaded the Token verification server: .*latency p95"
                                + " \\(ms\\)"
                                + " up to [0-9,]+ against [0-9.]+ usually")
                .containsPattern("Token verifications failed for .+, up to [0-9.]+ a second")
                .containsPattern("The Database CPU utilization reached 100% from 8:2[0-9] AM");
        assertThat(pm)
                .contains("## Incident Timeline", "## Impact", "## Actions Taken")
                .contains("## Preventive Measures (suggested)");
    }

    @Test
    void theCommittedExamplePostmortemIsWhatTheAnalyzerDraftsToday() throws Exception {
        String example =
                java.nio.file.Files.readString(Path.of("docs/examples/watermelon-postmortem.md"));
        String drafted = example.substring(example.indexOf("\n---\n\n") + "\n---\n\n".length());
        assertThat(drafted)
                .as(
                        "regenerate with the commands at the top of"
                                + " docs/examples/watermelon-postmortem.md")
                .isEqualTo(last().drafts().postmortem());
    }

    @Test
    void theFourStatusUpdatesComeInOrderAndComponentWindowsMatchTheGroundTruth() {
        List<StatusUpdate> updates =
                last().drafts().statusUpdates().stream().filter(u -> !u.update()).toList();
        assertThat(updates)
                .extracting(StatusUpdate::status)
                .containsExactly(
                        IncidentStatus.INVESTIGATING,
                        IncidentStatus.IDENTIFIED,
                        IncidentStatus.MONITORING,
                        IncidentStatus.RESOLVED);
        assertThat(updates).extracting(StatusUpdate::ts).isSorted();
        assertThat(updates.get(2).body()).contains("clear your cache and log in again");

        List<ComponentImpact> drafted = last().drafts().components();
        List<GroundTruth.Component> expected = truth.outages().get(0).components();
        assertThat(drafted)
                .extracting(ComponentImpact::name)
                .containsExactlyElementsOf(
                        expected.stream().map(GroundTruth.Component::name).toList());
        for (GroundTruth.Component c : expected) {
            ComponentImpact d =
                    drafted.stream()
                            .filter(x -> x.name().equals(c.name()))
                            .findFirst()
                            .orElseThrow();
            ComponentWindow first = d.windows().get(0);
            ComponentWindow lastWindow = d.windows().get(d.windows().size() - 1);
            assertThat(d.worst()).as(c.name()).isEqualTo(c.state());
            assertThat(Math.abs(first.from() - c.from().toEpochMilli()))
                    .as(c.name() + " from")
                    .isLessThanOrEqualTo(120_000);
            assertThat(lastWindow.to()).as(c.name() + " to").isNotNull();
            assertThat(Math.abs(lastWindow.to() - c.to().toEpochMilli()))
                    .as(c.name() + " to")
                    .isLessThanOrEqualTo(120_000);
        }
    }

    // ------------------------------------------------------------ public voice (issue 16)

    @Test
    void thePublicTitleNamesComponentsOnly() {
        String title = last().drafts().publicTitle();
        assertThat(title).startsWith("Outage of ").isNotEqualTo(last().title());
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (io.incidentanalyzer.config.ComponentConfig c : jobConfig.components()) {
            shown.add(c.name());
            shown.add(c.group());
        }
        assertThat(title.substring("Outage of ".length()).split(", | and "))
                .as(title)
                .allSatisfy(name -> assertThat(shown).contains(name));
        assertThat(io.incidentanalyzer.draft.StatusPage.of(last()).name()).isEqualTo(title);
    }

    @Test
    void fridaysTimelineTakesAtMostFifteenLines() {
        List<TimelineEntry> friday =
                last().drafts().timeline().stream()
                        .filter(t -> t.day().equals("Friday 16 February 2024"))
                        .toList();
        assertThat(friday)
                .as(String.join("\n", friday.stream().map(t -> t.time() + " " + t.text()).toList()))
                .hasSizeLessThanOrEqualTo(15);
    }

    @Test
    void noDraftQuotesAnIsoInstant() {
        java.util.regex.Pattern iso = java.util.regex.Pattern.compile("T..:..:..Z");
        for (IncidentEvent e : events) {
            StringBuilder all = new StringBuilder(e.drafts().postmortem());
            e.drafts().timeline().forEach(t -> all.append('\n').append(t.text()));
            e.drafts().statusUpdates().forEach(u -> all.append('\n').append(u.body()));
            all.append('\n').append(e.drafts().publicTitle());
            assertThat(iso.matcher(all).find())
                    .as(e.type() + " at " + e.ts() + ":\n" + all)
                    .isFalse();
        }
    }

    @Test
    void anIntermediateUpdateSaysOnlyTheCountIsStillFailingAfterTheRestRecovered() {
        long restored = truth.outages().get(0).components().get(0).to().toEpochMilli();
        long hold = jobConfig.patterns().thresholds().updateHold().toMillis();
        List<StatusUpdate> intermediate =
                last().drafts().statusUpdates().stream().filter(StatusUpdate::update).toList();
        assertThat(intermediate)
                .as("updates while the incident stays Identified")
                .anySatisfy(
                        u -> {
                            assertThat(u.status()).isEqualTo(IncidentStatus.IDENTIFIED);
                            assertThat(u.body())
                                    .startsWith("Everything is running again except App Engine.");
                            assertThat(Math.abs(u.ts() - (restored + hold)))
                                    .isLessThanOrEqualTo(120_000);
                        });
    }
}
