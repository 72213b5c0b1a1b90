package io.incidentanalyzer.detect;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.ErrorPatternSettings;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The error-pattern detector driven in event time. Defaults: 10 s buckets, 1 min window, 3 lines
 * per window at least, 30 min of service history before anything is new, clear after 2 min.
 */
class ErrorPatternDetectorTest {
    private static final String SERVICE = "chatbot-engine";
    private static final String ERROR_500 =
            "500 Internal Server Error: unhandled exception in request handler";

    private KeyedOneInputStreamOperatorTestHarness<String, LogEvent, Signal> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness(ErrorPatternSettings.defaults());
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, LogEvent, Signal> newHarness(
            ErrorPatternSettings settings) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new ErrorPatternDetector(ENV, settings)),
                LogEvent::service,
                Types.STRING);
    }

    /** The defaults with another bound on the templates (null: the default). */
    private static ErrorPatternSettings bounded(Integer maxTemplates, Duration forgetAfter) {
        return new ErrorPatternSettings(
                null,
                null,
                null,
                maxTemplates,
                forgetAfter,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    private static LogEvent line(long ts, String level, String message) {
        return new LogEvent(ts, SERVICE, level, message, Map.of());
    }

    private void send(LogEvent e) throws Exception {
        harness.processElement(e, e.ts());
    }

    private void send(long ts, String level, String message) throws Exception {
        send(line(ts, level, message));
    }

    /** One INFO health line a minute, from {@code fromSecond} to {@code toSecond}. */
    private void health(long fromSecond, long toSecond) throws Exception {
        for (long s = fromSecond; s <= toSecond; s += 60) send(t(s), "INFO", "health report");
    }

    /** {@code level} lines of {@code message} every {@code everySeconds}, within the range. */
    private void every(
            long everySeconds, long fromSecond, long toSecond, String level, String message)
            throws Exception {
        for (long s = fromSecond; s <= toSecond; s += everySeconds) send(t(s), level, message);
    }

    private List<Signal> signals() {
        return harness.extractOutputValues();
    }

    @Test
    void aNewErrorTemplateFiresOnceItRepeats() throws Exception {
        health(0, 2400); // 40 min of history: the service is warm
        send(t(2401), "ERROR", ERROR_500);
        send(t(2411), "ERROR", ERROR_500);
        harness.processWatermark(t(2411));
        assertThat(signals()).isEmpty(); // two lines: not yet a rate

        send(t(2421), "ERROR", ERROR_500);
        harness.processWatermark(t(2421));

        assertThat(signals())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.kind()).isEqualTo(SignalKind.ERROR_PATTERN);
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            assertThat(s.service()).isEqualTo(SERVICE);
                            assertThat(s.onset()).isEqualTo(t(2401));
                            assertThat(s.ts()).isEqualTo(t(2421));
                            assertThat(s.subject())
                                    .isEqualTo(
                                            "<*> Internal Server Error: unhandled exception in"
                                                    + " request handler");
                            assertThat(s.value()).isEqualTo(3.0);
                            assertThat(s.baseline()).isZero();
                            assertThat(s.id())
                                    .startsWith("error-pattern:" + ENV + ":" + SERVICE + "/t");
                            assertThat(s.evidence())
                                    .anySatisfy(e -> assertThat(e).startsWith("new template"))
                                    .anySatisfy(
                                            e -> assertThat(e).isEqualTo("example: " + ERROR_500));
                        });
    }

    @Test
    void aFreshlyStartedJobFlagsNothingAsNew() throws Exception {
        health(0, 600);
        every(10, 30, 900, "ERROR", ERROR_500); // from the start: nothing to compare with
        every(10, 1000, 1500, "WARN", "deadline exceeded");
        harness.processWatermark(t(1500));

        assertThat(signals()).isEmpty();
    }

    @Test
    void infoLinesAreMinedSoTheirShapeIsNotNewLater() throws Exception {
        health(0, 5400);
        every(10, 0, 2700, "INFO", "cache refreshed for tenant 17"); // INFO: never a signal
        every(10, 2710, 5400, "WARN", "cache refreshed for tenant 42"); // same rate, now WARN
        harness.processWatermark(t(5400));

        assertThat(signals()).isEmpty();
    }

    @Test
    void newInfoTemplatesNeverSignal() throws Exception {
        health(0, 2400);
        every(5, 2401, 2700, "INFO", "started version 7.3.0");
        harness.processWatermark(t(2700));

        assertThat(signals()).isEmpty();
    }

    @Test
    void aKnownTemplateSurgingFarAboveItsBaselineFires() throws Exception {
        health(0, 7800);
        // A WARN the service writes every 30 s, for two hours: known, with a baseline.
        for (long s = 0; s < 7200; s += 30) {
            send(t(s), "WARN", "slow query took " + (50 + s % 7) + " ms");
        }
        // Twice as often for ten minutes: within what such a sparse template does.
        for (long s = 7200; s < 7800; s += 15) {
            send(t(s), "WARN", "slow query took " + (60 + s % 7) + " ms");
        }
        harness.processWatermark(t(7800));
        assertThat(signals()).isEmpty();

        // Then one every 2 s: 30 a minute, fifteen times its usual rate.
        for (long s = 7800; s < 7920; s += 2) {
            send(t(s), "WARN", "slow query took 80" + (s % 10) + " ms");
        }
        harness.processWatermark(t(7920));

        assertThat(signals())
                .first()
                .satisfies(
                        s -> {
                            assertThat(s.state()).isEqualTo(SignalState.OPEN);
                            assertThat(s.subject())
                                    .isEqualTo("slow query took <*>"); // 80x ms: one value
                            assertThat(s.onset()).isBetween(t(7800), t(7860));
                            assertThat(s.baseline()).isBetween(1.0, 5.0); // 2 to 4 a minute
                            assertThat(s.value()).isGreaterThanOrEqualTo(3 * s.baseline());
                            assertThat(s.evidence())
                                    .anySatisfy(e -> assertThat(e).contains("surging"))
                                    .anySatisfy(e -> assertThat(e).contains("robust z-score"));
                        });
        assertThat(signals()).extracting(Signal::state).doesNotContain(SignalState.CLEAR);
    }

    @Test
    void staysQuietOnADayOfSteadyNoise() throws Exception {
        Random noise = new Random(42);
        for (long s = 0; s < 86_400; s += 10) {
            if (s % 60 == 0) send(t(s), "INFO", "health report");
            if (noise.nextDouble() < 1.0 / 6) { // about one a minute, Poisson-like
                send(
                        t(s + noise.nextInt(10)),
                        "WARN",
                        "slow query took "
                                + noise.nextInt(900)
                                + " ms on shard "
                                + noise.nextInt(8));
            }
            if (noise.nextDouble() < 0.01) {
                send(
                        t(s + noise.nextInt(10)),
                        "ERROR",
                        "deadline exceeded for request " + Long.toHexString(noise.nextLong()));
            }
        }
        harness.processWatermark(t(86_400));

        assertThat(signals()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1); // the service's templates
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void clearsOnceTheTemplateQuietsAndReleasesItsTimer() throws Exception {
        health(0, 2400);
        every(10, 2401, 2581, "ERROR", ERROR_500); // open at 2421; the last line at 2581
        harness.processWatermark(t(2700));
        // OPEN at 3 lines a minute, UPDATE when the window fills to 6.
        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.UPDATE);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(t(2581 + 120));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.UPDATE, SignalState.CLEAR);
        Signal clear = signals().get(2);
        assertThat(clear.ts()).isEqualTo(t(2581 + 120));
        assertThat(clear.id()).isEqualTo(signals().get(0).id());
        assertThat(clear.value()).isZero(); // nothing in the last minute
        assertThat(clear.evidence()).anySatisfy(e -> assertThat(e).contains("clear after 2m"));
        assertThat(harness.numEventTimeTimers()).isZero();
        // What stays is the service's vocabulary, bounded by maxTemplates: one entry.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void aTemplateIsNewOnlyOnceSoARateHoveringAtTheMinimumDoesNotFlap() throws Exception {
        health(0, 3600);
        every(20, 2401, 2461, "ERROR", ERROR_500); // 3 a minute: opens as new
        every(30, 2700, 2760, "ERROR", ERROR_500); // after the clear, back at 3 a minute
        harness.processWatermark(t(3600));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
    }

    @Test
    void aRateThatDoublesIsReportedAsAnUpdate() throws Exception {
        health(0, 2400);
        every(10, 2401, 2421, "ERROR", ERROR_500); // open at 3 lines a minute
        for (long s = 2430; s < 2490; s += 1) send(t(s), "ERROR", ERROR_500);
        harness.processWatermark(t(2490));

        assertThat(signals())
                .extracting(Signal::state)
                .startsWith(SignalState.OPEN, SignalState.UPDATE);
        assertThat(signals().get(1).peak()).isGreaterThanOrEqualTo(6.0);
    }

    @Test
    void pastTheBoundTheRarestTemplateIsDroppedAndAnOpenOneClears() throws Exception {
        harness.close();
        harness = newHarness(bounded(2, null));
        harness.open();
        health(0, 2400); // 41 lines: the busier template
        every(10, 2401, 2421, "ERROR", ERROR_500); // 3 lines: opens as new
        // A third template finds the book full: the 500 template, open but rarer, makes room.
        send(t(2430), "INFO", "alpha happened");
        send(t(2460), "INFO", "health report"); // the health template is still the same one
        harness.processWatermark(t(2460));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR);
        assertThat(signals().get(1).evidence())
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .contains("more than 2 templates")
                                        .contains("lowest recent rate"));
    }

    @Test
    void aTemplateNotSeenForForgetAfterIsDroppedAndCounted() throws Exception {
        harness.close();
        harness = newHarness(bounded(null, Duration.ofMinutes(20)));
        harness.open();
        health(0, 3720);
        every(10, 2401, 2421, "ERROR", ERROR_500); // opens as new, clears 2 minutes later
        // More than 20 minutes later the 500 template is forgotten: it is new again.
        every(10, 3700, 3720, "ERROR", ERROR_500);
        harness.processWatermark(t(3720));

        assertThat(signals())
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.CLEAR, SignalState.OPEN);
        assertThat(signals().get(2).id()).isNotEqualTo(signals().get(0).id());
        assertThat(signals().get(2).evidence().get(0)).startsWith("new template");
    }

    @Test
    void outOfOrderLinesGiveTheSameSignalsAsOrderedOnes() throws Exception {
        List<LogEvent> day = new ArrayList<>();
        for (long s = 0; s <= 3600; s += 60) day.add(line(t(s), "INFO", "health report"));
        for (long s = 2401; s <= 2700; s += 7)
            day.add(
                    line(
                            t(s),
                            "ERROR",
                            "upstream timeout calling api-gpt after " + (s % 3) + "000 ms"));
        for (LogEvent e : day) send(e);
        harness.processWatermark(t(3600));
        List<Signal> inOrder = new ArrayList<>(signals());

        try (var shuffled = newHarness(ErrorPatternSettings.defaults())) {
            shuffled.open();
            List<LogEvent> copy = new ArrayList<>(day);
            Collections.shuffle(copy, new Random(7));
            for (LogEvent e : copy) shuffled.processElement(e, e.ts());
            shuffled.processWatermark(t(3600));

            assertThat(inOrder)
                    .extracting(Signal::state)
                    .contains(SignalState.OPEN, SignalState.CLEAR);
            assertThat(shuffled.extractOutputValues()).isEqualTo(inOrder);
        }
    }

    @Test
    void restoredDetectorGivesTheSameSignalsAsAnUninterruptedOne() throws Exception {
        health(0, 3600);
        every(10, 2401, 2700, "ERROR", ERROR_500);
        harness.processWatermark(t(3600));
        List<Signal> uninterrupted = new ArrayList<>(signals());
        harness.close();

        harness = newHarness(ErrorPatternSettings.defaults());
        harness.open();
        health(0, 2460);
        every(10, 2401, 2461, "ERROR", ERROR_500);
        harness.processWatermark(t(2441)); // open; lines up to 2461 wait for the watermark
        OperatorSubtaskState snapshot = harness.snapshot(1L, t(2461));
        List<Signal> before = new ArrayList<>(signals());
        harness.close();

        harness = newHarness(ErrorPatternSettings.defaults());
        harness.initializeState(snapshot);
        harness.open();
        health(2520, 3600);
        every(10, 2471, 2700, "ERROR", ERROR_500);
        harness.processWatermark(t(3600));
        List<Signal> all = new ArrayList<>(before);
        all.addAll(signals());

        assertThat(uninterrupted)
                .extracting(Signal::state)
                .containsExactly(SignalState.OPEN, SignalState.UPDATE, SignalState.CLEAR);
        assertThat(all).isEqualTo(uninterrupted);
    }

    @Test
    void lateLineGoesToTheLateOutput() throws Exception {
        harness.processWatermark(t(100));
        send(t(50), "ERROR", ERROR_500);

        assertThat(signals()).isEmpty();
        assertThat(harness.getSideOutput(EventTimeOrderedFunction.LATE))
                .extracting(StreamRecord::getValue)
                .extracting(DeadLetter::reason)
                .containsExactly(RejectReason.LATE_EVENT);
    }
}
