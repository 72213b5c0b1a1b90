package io.incidentanalyzer.draft;

import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static io.incidentanalyzer.testing.Fixtures.latencyShift;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.Drafts;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.model.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The drafts of a small incident, with the clock and zone of the job file. */
class DrafterTest {

    private static JobConfig job(String zone, String clock) {
        return job(zone, clock, "");
    }

    /** Two components on a web app and its database; {@code extra} YAML appended. */
    private static JobConfig job(String zone, String clock, String extra) {
        return JobConfigLoader.parse(
                "environment: watermelon-prod\ntimeZone: %s\nclock: %s\n".formatted(zone, clock)
                        + TOPICS_YAML
                        + """
                          services:
                            database: {displayName: Database}
                            web-app: {displayName: Web app, dependsOn: [database]}
                          components:
                            - {name: Conversations, group: Apps, services: [web-app]}
                            - {name: Storage, group: Platform, services: [database]}
                          """
                        + extra,
                "jobs/test.yaml");
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static Signal errors(SignalState state, long onset, long ts, double peak) {
        return signal(
                SignalKind.BASELINE_SHIFT,
                "web-app",
                "error_ratio",
                state,
                onset,
                ts,
                peak,
                peak,
                0.001,
                Severity.MAJOR);
    }

    private static IncidentEvent event(
            IncidentEventType type,
            IncidentStatus status,
            long ts,
            Signal cause,
            List<Signal> active) {
        RootCause top =
                new RootCause(
                        CauseKind.SERVICE_SLOWDOWN,
                        "web-app",
                        0.8,
                        cause.onset(),
                        List.of("web-app error_ratio evidence"),
                        List.of(cause.id()));
        return new IncidentEvent(
                "watermelon-prod-x",
                "watermelon-prod",
                type,
                ts,
                status,
                cause.onset(),
                type == IncidentEventType.CLOSED ? ts : null,
                "web-app error_ratio far from its baseline",
                cause,
                active,
                List.of(top),
                List.of(),
                List.of(),
                null);
    }

    /**
     * An incident of one signal: failing requests from {@code onset}, identified, recovered at
     * {@code recovered}, resolved {@code quiet} later; the drafts after each event.
     */
    private static List<Drafts> incident(JobConfig job, long onset, long recovered, long quiet) {
        Signal open = errors(SignalState.OPEN, onset, onset + 30_000, 0.6);
        Signal clear = errors(SignalState.CLEAR, onset, recovered, 0.6);
        long o = open.ts();
        List<IncidentEvent> events =
                List.of(
                        event(
                                IncidentEventType.OPENED,
                                IncidentStatus.INVESTIGATING,
                                o,
                                open,
                                List.of(open)),
                        event(
                                IncidentEventType.IDENTIFIED,
                                IncidentStatus.IDENTIFIED,
                                o,
                                open,
                                List.of(open)),
                        event(
                                IncidentEventType.MONITORING,
                                IncidentStatus.MONITORING,
                                recovered,
                                clear,
                                List.of()),
                        // The CLOSED event's cause is the clear that began the quiet period.
                        event(
                                IncidentEventType.CLOSED,
                                IncidentStatus.RESOLVED,
                                recovered + quiet,
                                clear,
                                List.of()));
        Drafter drafter = new Drafter(job);
        DraftState st = new DraftState();
        List<Drafts> out = new ArrayList<>();
        for (IncidentEvent e : events) {
            drafter.update(st, e);
            out.add(drafter.render(st, e));
        }
        return out;
    }

    @Test
    void aDaylightSavingChangeInsideTheIncidentKeepsLocalTimesAndRealDurations() {
        // 31 March 2024 in Amsterdam: 2:00 AM does not exist, clocks go from 1:59 to 3:00.
        List<Drafts> drafts =
                incident(
                        job("Europe/Amsterdam", "12h"),
                        at("2024-03-31T00:30:00Z"),
                        at("2024-03-31T01:30:00Z"),
                        15 * 60_000);
        Drafts last = drafts.get(drafts.size() - 1);

        assertThat(last.timeline())
                .extracting(TimelineEntry::time, TimelineEntry::text)
                .contains(
                        org.assertj.core.groups.Tuple.tuple(
                                "1:30 AM",
                                "System outage detected: Web app failing 60% of requests"),
                        org.assertj.core.groups.Tuple.tuple(
                                "3:30 AM", "Conversations is operational again."));
        assertThat(last.timeline())
                .extracting(TimelineEntry::day)
                .containsOnly("Sunday 31 March 2024");
        assertThat(last.postmortem())
                .as("one real hour, though the wall clock moved two")
                .contains(
                        "| Conversations | Major outage | Sunday 31 March 2024, 1:30 AM | Sunday 31"
                                + " March 2024, 3:30 AM | 1 h |");
        assertThat(last.components())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.worst()).isEqualTo(ComponentState.MAJOR_OUTAGE);
                            assertThat(c.state()).isEqualTo(ComponentState.OPERATIONAL);
                        });
    }

    @Test
    void aZoneOutsideEuropeWithA24HourClockMovesEntriesToTheLocalDay() {
        // 23:50 in Tokyo on Friday is 14:50 UTC; the recovery falls on Saturday there.
        List<Drafts> drafts =
                incident(
                        job("Asia/Tokyo", "24h"),
                        at("2024-02-16T14:50:00Z"),
                        at("2024-02-16T15:20:00Z"),
                        15 * 60_000);
        Drafts last = drafts.get(drafts.size() - 1);

        assertThat(last.timeline())
                .extracting(TimelineEntry::day, TimelineEntry::time)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("Friday 16 February 2024", "23:50"),
                        org.assertj.core.groups.Tuple.tuple("Saturday 17 February 2024", "00:20"),
                        org.assertj.core.groups.Tuple.tuple("Saturday 17 February 2024", "00:35"));
        assertThat(Markdown.timeline(last.timeline()))
                .startsWith("### Friday 16 February 2024\n\n- 23:50: System outage detected")
                .contains(
                        "\n### Saturday 17 February 2024\n\n- 00:20: Conversations is operational");
    }

    @Test
    void statusUpdatesComeOnePerStepInOrderWithTheComponentsTheyChange() {
        List<Drafts> drafts =
                incident(
                        job("Europe/Amsterdam", "12h"),
                        at("2024-02-16T07:26:00Z"),
                        at("2024-02-16T09:00:00Z"),
                        15 * 60_000);

        assertThat(drafts).extracting(d -> d.statusUpdates().size()).containsExactly(1, 2, 3, 4);
        List<StatusUpdate> updates = drafts.get(3).statusUpdates();
        assertThat(updates)
                .extracting(StatusUpdate::status)
                .containsExactly(
                        IncidentStatus.INVESTIGATING,
                        IncidentStatus.IDENTIFIED,
                        IncidentStatus.MONITORING,
                        IncidentStatus.RESOLVED);
        assertThat(updates).extracting(StatusUpdate::ts).isSorted();
        assertThat(updates.get(0).body())
                .isEqualTo(
                        "We are currently investigating this incident. Conversations is not"
                                + " working.");
        assertThat(updates.get(0).affectedComponents())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.name()).isEqualTo("Conversations");
                            assertThat(c.oldStatus()).isEqualTo(ComponentState.OPERATIONAL);
                            assertThat(c.newStatus()).isEqualTo(ComponentState.MAJOR_OUTAGE);
                        });
        assertThat(updates.get(1).body())
                .as("public text names components, never the service")
                .isEqualTo(
                        "We have identified the issue and are working on a solution."
                                + " Conversations is not working.");
        assertThat(updates.get(2).body())
                .isEqualTo(
                        "We've implemented a fix and are currently monitoring the situation."
                                + " Everything is running again.")
                .as("no token cause, so no advice to log in again")
                .doesNotContain("cache");
        assertThat(updates.get(3).body()).isEqualTo("This incident has been resolved.");
    }

    @Test
    void theSameEventsGiveTheSameDrafts() {
        JobConfig job = job("Europe/Amsterdam", "12h");
        long onset = at("2024-02-16T07:26:00Z");
        assertThat(incident(job, onset, onset + 3_600_000, 900_000))
                .isEqualTo(incident(job, onset, onset + 3_600_000, 900_000));
        assertThat(latencyShift("web-app", SignalState.OPEN, onset, onset).recoveredAt())
                .isEqualTo(-1);
    }

    @Test
    void aRevisedRootCauseKeepsWhatWasSaidBeforeIt() {
        JobConfig job = job("Europe/Amsterdam", "12h");
        long onset = at("2024-02-16T07:26:00Z");
        Signal slow = errors(SignalState.OPEN, onset, onset + 30_000, 0.6);
        IncidentEvent identified =
                event(
                        IncidentEventType.IDENTIFIED,
                        IncidentStatus.IDENTIFIED,
                        onset + 30_000,
                        slow,
                        List.of(slow));
        RootCause database =
                new RootCause(
                        CauseKind.RESOURCE_SATURATION,
                        "database",
                        0.9,
                        onset,
                        List.of("database cpu_utilization at or above 95"),
                        List.of(slow.id()));
        IncidentEvent revised =
                new IncidentEvent(
                        identified.incidentId(),
                        identified.environment(),
                        IncidentEventType.ROOT_CAUSE_CHANGED,
                        onset + 90_000,
                        IncidentStatus.IDENTIFIED,
                        onset,
                        null,
                        identified.title(),
                        slow,
                        List.of(slow),
                        List.of(database),
                        List.of(),
                        List.of(),
                        null);
        Drafter drafter = new Drafter(job);
        DraftState st = new DraftState();
        drafter.update(st, identified);
        drafter.update(st, revised);
        Drafts d = drafter.render(st, revised);

        assertThat(d.timeline())
                .extracting(TimelineEntry::text)
                .contains(
                        "Identified the cause: slowdown on Web app (Web app failing 60% of"
                                + " requests)",
                        "Root cause revised: saturation under its own load on Database (Web app"
                                + " failing 60% of requests)");
        assertThat(d.statusUpdates())
                .singleElement()
                .satisfies(
                        u ->
                                assertThat(u.body())
                                        .startsWith(
                                                "We have identified the issue and are working on"
                                                        + " a solution."));
    }

    private static Signal storageCpu(SignalState state, long onset, long ts) {
        return signal(
                SignalKind.SATURATION,
                "database",
                "cpu_utilization",
                state,
                onset,
                ts,
                100,
                100,
                95,
                Severity.CRITICAL);
    }

    /**
     * Storage recovers 30 min in while Conversations keeps failing: the events after that are
     * signal updates, the incident stays Identified. Returns the drafts after each event.
     */
    private static List<Drafts> storageRecoversFirst(JobConfig job, long onset, long lastEvent) {
        return storageRecoversFirst(job, onset, lastEvent, null);
    }

    /** As above; the last event adds {@code added} (null: it only reports the failing one). */
    private static List<Drafts> storageRecoversFirst(
            JobConfig job, long onset, long lastEvent, Signal added) {
        Drafter drafter = new Drafter(job);
        DraftState st = new DraftState();
        List<Drafts> out = new ArrayList<>();
        for (IncidentEvent e : storageRecoversFirstEvents(onset, lastEvent, added)) {
            drafter.update(st, e);
            out.add(drafter.render(st, e));
        }
        return out;
    }

    private static List<IncidentEvent> storageRecoversFirstEvents(
            long onset, long lastEvent, Signal added) {
        Signal cpu = storageCpu(SignalState.OPEN, onset, onset + 60_000);
        Signal failing = errors(SignalState.OPEN, onset, onset + 30_000, 0.6);
        Signal cpuClear = storageCpu(SignalState.CLEAR, onset, onset + 30 * 60_000);
        List<IncidentEvent> events =
                List.of(
                        event(
                                IncidentEventType.OPENED,
                                IncidentStatus.INVESTIGATING,
                                onset + 30_000,
                                failing,
                                List.of(failing)),
                        event(
                                IncidentEventType.IDENTIFIED,
                                IncidentStatus.IDENTIFIED,
                                onset + 60_000,
                                cpu,
                                List.of(failing, cpu)),
                        event(
                                IncidentEventType.SIGNAL_CLEARED,
                                IncidentStatus.IDENTIFIED,
                                onset + 30 * 60_000,
                                cpuClear,
                                List.of(failing)),
                        event(
                                IncidentEventType.SIGNAL_ADDED,
                                IncidentStatus.IDENTIFIED,
                                lastEvent,
                                added == null ? failing : added,
                                added == null ? List.of(failing) : List.of(failing, added)));
        return events;
    }

    @Test
    void theStatusTopicGetsADocumentAtEachStepAndWhenAnIntermediateUpdateAppears()
            throws Exception {
        long onset = at("2024-02-16T07:26:00Z");
        try (var harness =
                org.apache.flink.streaming.util.ProcessFunctionTestHarnesses
                        .forKeyedProcessFunction(
                                new IncidentDrafter(job("Europe/Amsterdam", "12h")),
                                IncidentEvent::incidentId,
                                org.apache.flink.api.common.typeinfo.Types.STRING)) {
            List<Integer> documents = new ArrayList<>();
            for (IncidentEvent e : storageRecoversFirstEvents(onset, onset + 40 * 60_000, null)) {
                harness.processElement(e, e.ts());
                var pages = harness.getSideOutput(IncidentDrafter.STATUS_UPDATES);
                documents.add(pages == null ? 0 : pages.size());
            }
            assertThat(documents)
                    .as("opened, identified, a clear without news, the event after the hold")
                    .containsExactly(1, 2, 2, 3);
            var last =
                    new ArrayList<>(harness.getSideOutput(IncidentDrafter.STATUS_UPDATES))
                            .get(2)
                            .getValue();
            assertThat(last.name()).isEqualTo("Outage of Apps");
            assertThat(last.incidentUpdates().get(0).body())
                    .startsWith("Everything is running again except Conversations.");
        }
    }

    @Test
    void aRecoveryThatLastsTheHoldWhileIdentifiedDraftsAnIntermediateUpdate() {
        long onset = at("2024-02-16T07:26:00Z");
        List<Drafts> drafts =
                storageRecoversFirst(job("Europe/Amsterdam", "12h"), onset, onset + 40 * 60_000);

        assertThat(drafts.get(2).statusUpdates())
                .as("at the recovery itself it has not lasted yet")
                .noneMatch(StatusUpdate::update);
        List<StatusUpdate> updates = drafts.get(3).statusUpdates();
        assertThat(updates)
                .extracting(StatusUpdate::status, StatusUpdate::update)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(IncidentStatus.INVESTIGATING, false),
                        org.assertj.core.groups.Tuple.tuple(IncidentStatus.IDENTIFIED, false),
                        org.assertj.core.groups.Tuple.tuple(IncidentStatus.IDENTIFIED, true));
        StatusUpdate update = updates.get(2);
        assertThat(update.ts())
                .as("the recovery plus the default 5 min hold")
                .isEqualTo(onset + 35 * 60_000);
        assertThat(update.body())
                .isEqualTo(
                        "Everything is running again except Conversations. We are continuing to"
                                + " work on a solution.");
        assertThat(update.affectedComponents())
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.name()).isEqualTo("Storage");
                            assertThat(c.oldStatus())
                                    .isEqualTo(ComponentState.DEGRADED_PERFORMANCE);
                            assertThat(c.newStatus()).isEqualTo(ComponentState.OPERATIONAL);
                        });
    }

    @Test
    void theHoldIsTheJobFilesSetting() {
        long onset = at("2024-02-16T07:26:00Z");
        JobConfig longHold =
                job("Europe/Amsterdam", "12h", "patterns:\n  thresholds: {updateHold: 15m}\n");
        assertThat(
                        storageRecoversFirst(longHold, onset, onset + 40 * 60_000)
                                .get(3)
                                .statusUpdates())
                .as("10 min after the recovery, a 15 min hold has not passed")
                .noneMatch(StatusUpdate::update);
        assertThat(
                        storageRecoversFirst(longHold, onset, onset + 45 * 60_000)
                                .get(3)
                                .statusUpdates())
                .filteredOn(StatusUpdate::update)
                .singleElement()
                .extracting(StatusUpdate::ts)
                .isEqualTo(onset + 45 * 60_000);
    }

    @Test
    void thePublicTitleNamesTheAffectedComponentsByTheirWorstStateNeverAService() {
        long onset = at("2024-02-16T07:26:00Z");
        List<Drafts> drafts =
                storageRecoversFirst(job("Europe/Amsterdam", "12h"), onset, onset + 40 * 60_000);
        assertThat(drafts.get(3).publicTitle())
                .as("Conversations fails (major outage); Storage was only slower")
                .isEqualTo("Outage of Apps");
        assertThat(drafts.get(3).postmortem()).startsWith("# Postmortem: Outage of Apps\n");
    }

    @Test
    void anIntermediateUpdateForAWorseningNamesOnlyWhatGotWorse() {
        JobConfig job = job("Europe/Amsterdam", "12h");
        long onset = at("2024-02-16T07:26:00Z");
        List<Drafts> before = storageRecoversFirst(job, onset, onset + 40 * 60_000);
        // Storage's CPU saturates again 50 min in, while Conversations still fails.
        Signal again = storageCpu(SignalState.OPEN, onset + 50 * 60_000, onset + 51 * 60_000);
        Drafts d = storageRecoversFirst(job, onset, onset + 60 * 60_000, again).get(3);
        assertThat(d.statusUpdates())
                .filteredOn(StatusUpdate::update)
                .extracting(StatusUpdate::ts, StatusUpdate::body)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                onset + 35 * 60_000, before.get(3).statusUpdates().get(2).body()),
                        org.assertj.core.groups.Tuple.tuple(
                                onset + 55 * 60_000,
                                "We are continuing to work on a solution. Storage is slower than"
                                        + " usual."));
    }
}
