package io.incidentanalyzer.detect.auth;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.incidentanalyzer.config.RefreshStormSettings;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The episode life both auth detectors share, bucket by bucket: 10 s buckets, a 30 s sustain, a 60
 * s clear and a report every minute.
 */
class EpisodeMachineTest {
    private static final EpisodeMachine MACHINE =
            new EpisodeMachine(
                    SignalKind.REFRESH_STORM,
                    ENV,
                    new RefreshStormSettings(
                            Duration.ofSeconds(10),
                            null,
                            null,
                            null,
                            null,
                            null,
                            Duration.ofSeconds(30),
                            Duration.ofSeconds(60),
                            null,
                            null,
                            null,
                            Severity.CRITICAL,
                            Duration.ofMinutes(1),
                            null));

    private AuthEpisode episode;
    private final List<Signal> reports = new ArrayList<>();

    /** One bucket starting at {@code startS} with {@code n} events against an expected 10. */
    private void bucket(long startS, long n, boolean abnormal) {
        if (EpisodeMachine.breaks(episode, abnormal)) episode = null;
        if (episode == null && abnormal) episode = EpisodeMachine.start(t(startS));
        if (episode == null) return;
        EpisodeMachine.record(episode, t(startS + 10), n, 10, 8);
        Signal s =
                MACHINE.judge(
                        episode,
                        !abnormal,
                        t(startS),
                        t(startS + 10),
                        "token-verification",
                        "REFRESH",
                        Measured.authEvents(AuthEventType.REFRESH, null),
                        ep -> EpisodeMachine.Findings.of(new ArrayList<>(List.of("evidence"))));
        if (s != null) reports.add(s);
        if (s != null && s.state() == SignalState.CLEAR) episode = null;
    }

    @Test
    void aRunShorterThanTheSustainLeavesNoEpisode() {
        bucket(0, 50, true);
        bucket(10, 50, true);
        bucket(20, 10, false);

        assertThat(episode).isNull();
        assertThat(reports).isEmpty();
    }

    @Test
    void opensAfterTheSustainUpdatesOnNewPeaksAndEveryMinuteThenClears() {
        for (long s = 0; s < 30; s += 10) bucket(s, 50, true);
        bucket(30, 70, true); // 1.4 × the reported peak
        for (long s = 40; s < 100; s += 10) bucket(s, 60, true);
        for (long s = 100; s < 160; s += 10) bucket(s, 10, false);

        assertThat(reports)
                .extracting(Signal::state, Signal::ts)
                .containsExactly(
                        tuple(SignalState.OPEN, t(30)),
                        tuple(SignalState.UPDATE, t(40)),
                        tuple(SignalState.UPDATE, t(100)),
                        tuple(SignalState.CLEAR, t(160)));
        Signal clear = reports.get(3);
        assertThat(clear.id())
                .isEqualTo("refresh-storm:" + ENV + ":token-verification/REFRESH:" + t(0));
        assertThat(clear.recoveredAt()).isEqualTo(t(100));
        assertThat(clear.peak()).as("70 per 10 s").isEqualTo(7.0);
        assertThat(clear.evidence())
                .containsExactly("evidence", "calm since 2024-02-16T07:21:40Z (clear after 1m)");
        assertThat(episode).isNull();
    }

    @Test
    void stateTypesAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(AuthEpisode.class);
        assertSerializedAsPojoWithoutKryo(AuthCallerState.class);
        assertSerializedAsPojoWithoutKryo(RefreshStormState.class);
    }
}
