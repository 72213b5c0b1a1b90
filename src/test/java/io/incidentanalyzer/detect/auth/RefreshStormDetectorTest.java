package io.incidentanalyzer.detect.auth;

import static io.incidentanalyzer.detect.auth.AuthTraffic.TOKEN_SERVICE;
import static io.incidentanalyzer.detect.auth.AuthTraffic.play;
import static io.incidentanalyzer.detect.auth.AuthTraffic.shuffledWithin;
import static io.incidentanalyzer.detect.auth.AuthTraffic.traffic;
import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.RefreshStormSettings;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The refresh-storm detector driven in event time. The normal traffic is 1,800 sessions that
 * refresh once per 14 minutes (about 21 refreshes per 10 s bucket); the storm is 100 sessions of a
 * new web version refreshing every 10 s from minute 40 (100 more per bucket).
 */
class RefreshStormDetectorTest {
    private static final long LAG_MS = 5_000;
    private static final long STORM_S = 40 * 60;
    private static final long STORM_END_S = 50 * 60;

    private KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new RefreshStormDetector(ENV, RefreshStormSettings.defaults())),
                AuthEvent::service,
                Types.STRING);
    }

    /** Normal sessions for an hour; the storm when {@code storm}. */
    private static List<AuthEvent> hour(boolean storm) {
        AuthTraffic traffic =
                traffic()
                        .sessions(1080, "web", "2024.02.09", 0, 3600)
                        .sessions(720, "ios", "3.14.2", 0, 3600);
        if (storm) traffic.looping(100, "web", "2024.02.16", STORM_S, STORM_END_S, 10);
        return traffic.events();
    }

    private List<Signal> signals() {
        return harness.extractOutputValues();
    }

    @Test
    void firesWhenOneVersionRefreshesInALoop() throws Exception {
        play(harness, hour(true), LAG_MS, t(STORM_S + 60));

        Signal open = signals().get(0);
        assertThat(open.kind()).isEqualTo(SignalKind.REFRESH_STORM);
        assertThat(open.state()).isEqualTo(SignalState.OPEN);
        assertThat(open.service()).isEqualTo(TOKEN_SERVICE);
        assertThat(open.onset()).isEqualTo(t(STORM_S));
        assertThat(open.ts())
                .as("three stormy buckets: the 30 s sustain")
                .isEqualTo(t(STORM_S + 30));
        assertThat(open.id())
                .isEqualTo("refresh-storm:" + ENV + ":" + TOKEN_SERVICE + "/REFRESH:" + t(STORM_S));
        assertThat(open.baseline()).as("1,800 sessions / 840 s").isBetween(2.0, 2.3);
        assertThat(open.value()).as("the loop's 10/s on top").isBetween(12.0, 12.3);
        assertThat(open.evidence())
                .anySatisfy(e -> assertThat(e).startsWith("clientVersion 2024.02.16: 100% of the"))
                .anySatisfy(e -> assertThat(e).startsWith("clientId web: 100% of the"))
                .anySatisfy(e -> assertThat(e).startsWith("userId: no value carries 10%"));
        assertThat(activeSessions(open)).as("1,800 + 100 looping").isBetween(1805L, 1995L);
    }

    /** The active-session estimate in the evidence ("… for about 1,903 active sessions …"). */
    private static long activeSessions(Signal s) {
        for (String e : s.evidence()) {
            var m =
                    java.util.regex.Pattern.compile("for about ([0-9,]+) active sessions")
                            .matcher(e);
            if (m.find()) return Long.parseLong(m.group(1).replace(",", ""));
        }
        throw new AssertionError("no active-session count in " + s.evidence());
    }

    @Test
    void clearsOnceRefreshesAreBackToTheBaselineAndReleasesTheEpisode() throws Exception {
        play(harness, hour(true), LAG_MS, t(3600));

        assertThat(signals())
                .extracting(Signal::state)
                .startsWith(SignalState.OPEN)
                .endsWith(SignalState.CLEAR)
                .containsOnlyOnce(SignalState.OPEN, SignalState.CLEAR);
        Signal clear = signals().get(signals().size() - 1);
        assertThat(clear.ts())
                .as("calm from 50:00, clear after 60 s")
                .isEqualTo(t(STORM_END_S + 60));
        assertThat(clear.id()).isEqualTo(signals().get(0).id());
        assertThat(clear.evidence())
                .anySatisfy(e -> assertThat(e).startsWith("calm since"))
                .anySatisfy(e -> assertThat(e).contains("clientVersion 2024.02.16"));
        // Only the service's fixed-size state is left: no episode, no buffered events, no timers.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void refreshesThatRiseWithTheSessionsAreNoStorm() throws Exception {
        // 1,800 more sessions log in over 10 minutes: 14 minutes later the refreshes more than
        // double against the baseline, but each session still refreshes once per lifetime.
        List<AuthEvent> events =
                traffic()
                        .sessions(1080, "web", "2024.02.09", 0, 4800)
                        .sessions(720, "ios", "3.14.2", 0, 4800)
                        .logins(1800, "web", "2024.02.09", 2400, 600, 4800)
                        .events();
        play(harness, events, LAG_MS, t(4800));

        assertThat(signals()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        // The rise is far above the baseline: only the lifetime bound keeps it quiet. Were the
        // tokens to live 2 h, the same refreshes would be 4 per session and lifetime: a storm.
        RefreshStormSettings twoHours =
                new RefreshStormSettings(
                        null,
                        java.time.Duration.ofHours(2),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        try (var longTokens =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new RefreshStormDetector(ENV, twoHours)),
                        AuthEvent::service,
                        Types.STRING)) {
            longTokens.open();
            play(longTokens, events, LAG_MS, t(4800));
            assertThat(longTokens.extractOutputValues())
                    .extracting(Signal::state)
                    .contains(SignalState.OPEN);
        }
    }

    /**
     * Sessions of 30 minutes with the 15-minute tokens: of the sessions seen in the last lifetime a
     * third have logged out by now. From minute 40 one client's release refreshes every 200 s
     * instead of every 14 minutes: 48 refreshes per 10 s instead of 20, a loop far milder than a
     * refresh every 10 s.
     */
    private static List<AuthEvent> churningHour(boolean mildLoop) {
        return traffic()
                .churning(1080, "web", "2024.02.09", 0, 3600, 1800)
                .churning(
                        720,
                        "ios",
                        "3.15.0",
                        0,
                        3600,
                        1800,
                        mildLoop ? STORM_S : Long.MAX_VALUE,
                        200)
                .events();
    }

    @Test
    void aMildLoopOpensAStormAgainstTheSessionsLiveNowNotAllSeenInALifetime() throws Exception {
        play(harness, churningHour(true), LAG_MS, t(3600));

        assertThat(signals()).as("a storm opens").isNotEmpty();
        Signal open = signals().get(0);
        assertThat(open.state()).isEqualTo(SignalState.OPEN);
        assertThat(open.onset()).isEqualTo(t(STORM_S));
        assertThat(open.value()).as("48 refreshes per 10 s").isEqualTo(4.8);
        assertThat(activeSessions(open))
                .as(
                        "the 1,800 sessions logged in, not the 2,700 seen in the last lifetime"
                                + " (a difference of two sketches of about 2.3% error each)")
                .isBetween(1650L, 1950L);
        assertThat(open.evidence())
                .anySatisfy(e -> assertThat(e).startsWith("clientVersion 3.15.0: 100% of the"));
    }

    @Test
    void churningSessionsWithoutALoopAreNoStorm() throws Exception {
        play(harness, churningHour(false), LAG_MS, t(3600));

        assertThat(signals()).isEmpty();
    }

    @Test
    void quietOnNormalTrafficWithChurn() throws Exception {
        List<AuthEvent> events =
                traffic()
                        .sessions(1080, "web", "2024.02.09", 0, 7200)
                        .sessions(720, "ios", "3.14.2", 0, 7200)
                        .logins(300, "android", "3.14.0", 600, 3000, 7200)
                        .events();
        play(harness, events, LAG_MS, t(7200));

        assertThat(signals()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aServiceThatFallsSilentWhileStormyClearsAfterTheNoDataLimit() throws Exception {
        List<AuthEvent> events = new ArrayList<>();
        for (AuthEvent e : hour(true)) {
            if (e.ts() < t(STORM_S + 120)) events.add(e); // the log stops two minutes in
        }
        play(harness, events, LAG_MS, t(STORM_S + 120 + 299));
        assertThat(signals()).extracting(Signal::state).doesNotContain(SignalState.CLEAR);

        harness.processWatermark(t(STORM_S + 120 + 300));

        Signal clear = signals().get(signals().size() - 1);
        assertThat(clear.state()).isEqualTo(SignalState.CLEAR);
        assertThat(clear.evidence()).anySatisfy(e -> assertThat(e).startsWith("no token events"));
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void restoredMidStormGivesTheSameSignals() throws Exception {
        List<AuthEvent> events = hour(true);
        play(harness, events, LAG_MS, t(3600));
        List<Signal> uninterrupted = new ArrayList<>(signals());

        long cut = t(STORM_S + 45); // open, heavy hitters and buffered events in flight
        try (var first = newHarness()) {
            first.open();
            List<AuthEvent> before = events.stream().filter(e -> e.ts() < cut).toList();
            List<AuthEvent> after = events.stream().filter(e -> e.ts() >= cut).toList();
            play(first, before, LAG_MS, Long.MIN_VALUE);
            OperatorSubtaskState snapshot = first.snapshot(1L, cut);
            List<Signal> out = new ArrayList<>(first.extractOutputValues());
            try (var restored = newHarness()) {
                restored.initializeState(snapshot);
                restored.open();
                play(restored, after, LAG_MS, t(3600));
                out.addAll(restored.extractOutputValues());
            }
            assertThat(out.get(0).state()).isEqualTo(SignalState.OPEN);
            assertThat(out).isEqualTo(uninterrupted);
        }
    }

    @Test
    void shuffledWithinTheWatermarkLagGivesTheSameSignals() throws Exception {
        List<AuthEvent> events = hour(true);
        play(harness, events, LAG_MS, t(3600));
        List<Signal> ordered = new ArrayList<>(signals());

        try (var shuffled = newHarness()) {
            shuffled.open();
            play(shuffled, shuffledWithin(events, 2_000, 3), LAG_MS, t(3600));
            assertThat(ordered).isNotEmpty();
            assertThat(shuffled.extractOutputValues()).isEqualTo(ordered);
        }
    }
}
