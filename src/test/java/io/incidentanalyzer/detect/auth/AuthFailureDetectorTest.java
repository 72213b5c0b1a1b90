package io.incidentanalyzer.detect.auth;

import static io.incidentanalyzer.detect.auth.AuthTraffic.TOKEN_SERVICE;
import static io.incidentanalyzer.detect.auth.AuthTraffic.play;
import static io.incidentanalyzer.detect.auth.AuthTraffic.shuffledWithin;
import static io.incidentanalyzer.detect.auth.AuthTraffic.traffic;
import static io.incidentanalyzer.model.AuthEventType.MISSING_TOKEN;
import static io.incidentanalyzer.model.AuthEventType.VERIFY_ERROR;
import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.AuthFailureSettings;
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

/** The auth-failure detector driven in event time: failures per caller, watermarks, no waiting. */
class AuthFailureDetectorTest {
    private static final long LAG_MS = 5_000;
    private static final String NO_TOKEN = "no bearer token";

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
                        new AuthFailureDetector(ENV, AuthFailureSettings.defaults())),
                AuthFailureDetector::callerKey,
                Types.STRING);
    }

    /**
     * Sporadic expired tokens from web-app all along; conversation-count sends no token from minute
     * 30 to 40, 30 requests per 10 s.
     */
    private static List<AuthEvent> missingTokens() {
        return traffic()
                .randomFailures(VERIFY_ERROR, "web-app", 0.2, 0, 3600, 1)
                .randomFailures(VERIFY_ERROR, "conversation-count", 0.1, 0, 1800, 2)
                .failures(MISSING_TOKEN, "conversation-count", 30, 1800, 2400, NO_TOKEN)
                .events();
    }

    private List<Signal> signals() {
        return harness.extractOutputValues();
    }

    /** The signals that open or clear, without the periodic UPDATEs in between. */
    private static List<Signal> changes(List<Signal> signals) {
        return signals.stream().filter(s -> s.state() != SignalState.UPDATE).toList();
    }

    @Test
    void firesOnRequestsWithoutATokenFromOneCaller() throws Exception {
        play(harness, missingTokens(), LAG_MS, t(3700));

        Signal open = signals().get(0);
        assertThat(open.kind()).isEqualTo(SignalKind.AUTH_FAILURES);
        assertThat(open.state()).isEqualTo(SignalState.OPEN);
        assertThat(open.service()).isEqualTo("conversation-count");
        assertThat(open.subject()).isEqualTo("MISSING_TOKEN");
        assertThat(open.onset()).isEqualTo(t(1800));
        assertThat(open.ts()).as("two spiking buckets: the 20 s sustain").isEqualTo(t(1820));
        assertThat(open.value()).isEqualTo(3.0);
        assertThat(open.evidence())
                .anySatisfy(
                        e -> assertThat(e).startsWith("30 MISSING_TOKEN from conversation-count"))
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .isEqualTo("callee 'token-verification' 100% (≥ 60 of 60)"))
                .anySatisfy(e -> assertThat(e).startsWith("top errors 'no bearer token' 100%"));
        assertThat(signals()) // the web-app's sporadic errors are no spike
                .extracting(Signal::service)
                .containsOnly("conversation-count");
    }

    @Test
    void clearsWhenTheFailuresStopAndReleasesTheEpisode() throws Exception {
        play(harness, missingTokens(), LAG_MS, t(3700));

        assertThat(changes(signals()))
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        // While open it reports its current rate every minute (reportEvery), calm or not.
        List<Signal> updates =
                signals().stream().filter(s -> s.state() == SignalState.UPDATE).toList();
        assertThat(updates)
                .extracting(Signal::ts)
                .containsExactly(
                        t(1880), t(1940), t(2000), t(2060), t(2120), t(2180), t(2240), t(2300),
                        t(2360), t(2420));
        assertThat(updates.get(0).value()).isEqualTo(3.0);
        assertThat(updates.get(updates.size() - 1).value()).as("calm since 40:00").isZero();
        Signal clear = changes(signals()).get(1);
        assertThat(clear.ts())
                .as("silence from 40:00 is calm; clear after 60 s")
                .isEqualTo(t(2460));
        assertThat(clear.id()).isEqualTo(signals().get(0).id());
        // What stays is one fixed-size state per caller seen, with its forget timer; no episode.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        // Two days without a failure from either caller: both are forgotten.
        harness.processWatermark(t(3600) + AuthFailureSettings.DEFAULT_FORGET_AFTER.toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(signals()).hasSize(12);
    }

    @Test
    void aCallerThatFailsAgainBeforeForgetAfterKeepsItsBaseline() throws Exception {
        play(harness, missingTokens(), LAG_MS, t(3700));
        long day = 86_400;
        AuthEvent later =
                new AuthEvent(
                        t(3600 + day),
                        "token-verification",
                        VERIFY_ERROR,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "web-app",
                        "rejected",
                        "token expired");
        harness.processElement(later, later.ts());
        harness.processWatermark(t(3600 + 2 * day) - 1000);

        assertThat(harness.numKeyedStateEntries())
                .as("web-app failed a day later: kept; conversation-count: quiet two days, gone")
                .isEqualTo(1);
        harness.processWatermark(t(3600 + 3 * day) + 20_000);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aFewFailuresPerBucketAreNoIncident() throws Exception {
        // 0 → 3 per bucket is a huge ratio on a zero baseline but below the minimum count.
        List<AuthEvent> events =
                traffic().failures(MISSING_TOKEN, "public-api", 3, 600, 3600, NO_TOKEN).events();
        play(harness, events, LAG_MS, t(3700));

        assertThat(signals()).isEmpty();
    }

    @Test
    void quietOnSporadicVerificationErrors() throws Exception {
        List<AuthEvent> events =
                traffic()
                        .randomFailures(VERIFY_ERROR, "web-app", 0.5, 0, 7200, 5)
                        .randomFailures(VERIFY_ERROR, "api-gpt", 0.5, 0, 7200, 6)
                        .randomFailures(MISSING_TOKEN, "public-api", 0.2, 0, 7200, 7)
                        .events();
        play(harness, events, LAG_MS, t(7300));

        assertThat(signals()).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("one forget timer per caller").isEqualTo(3);
    }

    @Test
    void aSteadyFailureRateIsItsOwnBaselineAndOnlyARiseAboveItFires() throws Exception {
        // api-gpt always fails 20 verifications per 10 s; from minute 60 it fails 100.
        List<AuthEvent> events =
                traffic()
                        .failures(VERIFY_ERROR, "api-gpt", 20, 0, 3600, "token expired")
                        .failures(VERIFY_ERROR, "api-gpt", 100, 3600, 3900, "timeout after 5000 ms")
                        .events();
        play(harness, events, LAG_MS, t(3900));

        // Judged against zero while young, the steady rate opens a signal at the start; once the
        // baseline is warm it is the normal, and the signal clears.
        assertThat(changes(signals()))
                .extracting(Signal::state)
                .startsWith(SignalState.OPEN, SignalState.CLEAR);
        Signal rise = changes(signals()).get(2);
        assertThat(rise.state()).isEqualTo(SignalState.OPEN);
        assertThat(rise.onset()).isEqualTo(t(3600));
        assertThat(rise.baseline()).isEqualTo(2.0);
        assertThat(rise.evidence())
                .anySatisfy(e -> assertThat(e).contains("5.0× the baseline of 2.0/s"))
                .anySatisfy(e -> assertThat(e).startsWith("top errors 'timeout after 5000 ms'"));
    }

    @Test
    void eventsWithoutACallerAreCountedUnderTheServiceThatLoggedThem() throws Exception {
        List<AuthEvent> events =
                traffic().failures(MISSING_TOKEN, null, 25, 600, 700, NO_TOKEN).events();
        play(harness, events, LAG_MS, t(800));

        Signal open = signals().get(0);
        assertThat(open.service()).isEqualTo(TOKEN_SERVICE);
        assertThat(open.subject()).isEqualTo("MISSING_TOKEN (no caller)");
        assertThat(open.evidence())
                .anySatisfy(e -> assertThat(e).startsWith("the events name no caller"));
    }

    @Test
    void aLateEventGoesToTheLateOutputEvenInsideAnOpenGranule() throws Exception {
        harness.processWatermark(t(100) + 400); // inside the granule that ends at t(101)
        harness.processElement(
                AuthTraffic.event(t(100) + 300, MISSING_TOKEN, "web", "1", "x", "a", NO_TOKEN),
                t(100) + 300);
        harness.processElement(
                AuthTraffic.event(t(100) + 500, MISSING_TOKEN, "web", "1", "y", "a", NO_TOKEN),
                t(100) + 500);

        assertThat(harness.getSideOutput(io.incidentanalyzer.stream.EventTimeOrderedFunction.LATE))
                .hasSize(1)
                .allSatisfy(
                        r -> assertThat(r.getValue().detail()).contains("behind the watermark"));
        assertThat(harness.numEventTimeTimers()).as("the in-time event waits").isEqualTo(1);
    }

    @Test
    void restoredMidEpisodeGivesTheSameSignals() throws Exception {
        List<AuthEvent> events = missingTokens();
        play(harness, events, LAG_MS, t(3700));
        List<Signal> uninterrupted = new ArrayList<>(signals());

        long cut = t(1835);
        try (var first = newHarness()) {
            first.open();
            play(first, events.stream().filter(e -> e.ts() < cut).toList(), LAG_MS, Long.MIN_VALUE);
            OperatorSubtaskState snapshot = first.snapshot(1L, cut);
            List<Signal> out = new ArrayList<>(first.extractOutputValues());
            try (var restored = newHarness()) {
                restored.initializeState(snapshot);
                restored.open();
                play(
                        restored,
                        events.stream().filter(e -> e.ts() >= cut).toList(),
                        LAG_MS,
                        t(3700));
                out.addAll(restored.extractOutputValues());
            }
            assertThat(changes(out)).hasSize(2);
            assertThat(out).isEqualTo(uninterrupted);
        }
    }

    @Test
    void shuffledWithinTheWatermarkLagGivesTheSameSignals() throws Exception {
        List<AuthEvent> events = missingTokens();
        play(harness, events, LAG_MS, t(3700));
        List<Signal> ordered = new ArrayList<>(signals());

        try (var shuffled = newHarness()) {
            shuffled.open();
            play(shuffled, shuffledWithin(events, 2_000, 9), LAG_MS, t(3700));
            assertThat(changes(ordered)).hasSize(2);
            assertThat(shuffled.extractOutputValues()).isEqualTo(ordered);
        }
    }
}
