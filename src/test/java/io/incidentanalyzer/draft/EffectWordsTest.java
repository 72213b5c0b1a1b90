package io.incidentanalyzer.draft;

import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.SignalKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A change's effect in words, from its facts alone, in the job's zone and clock. */
class EffectWordsTest {
    private static final JobConfig JOB =
            JobConfigLoader.parse(
                    """
                    environment: prod
                    timeZone: Europe/Amsterdam
                    clock: 12h
                    """
                            + TOPICS_YAML
                            + """
                              services:
                                auth: {}
                              """,
                    "jobs/test.yaml");

    private static final RootCause STORM =
            new RootCause(
                    CauseKind.TOKEN_REFRESH_STORM, "auth", 0.8, t(0), List.of(), List.of("s"));

    private final EffectWords words = new EffectWords(JOB);

    private static ChangeEffect onStorm(
            ChangeEvent c,
            double before,
            double after,
            ChangeEffect.Verdict verdict,
            boolean turning,
            long measuredAt) {
        return new ChangeEffect(
                c,
                "s",
                SignalKind.REFRESH_STORM,
                "auth",
                Measured.authEvents(AuthEventType.REFRESH, null),
                STORM,
                before,
                after,
                after / before - 1,
                verdict,
                turning,
                measuredAt);
    }

    @Test
    void aChangeThatDidNothingSaysByHowMuchWithinTheWindow() {
        ChangeEvent rollback =
                new ChangeEvent(t(60), "web", ChangeKind.ROLLBACK, "2024.02.15", "Rollback");
        assertThat(
                        words.sentence(
                                onStorm(
                                        rollback,
                                        100,
                                        104,
                                        ChangeEffect.Verdict.NO_EFFECT,
                                        false,
                                        t(120))))
                .isEqualTo("Rollback at 8:21 AM: refresh rate unchanged (+4% within 2 min)");
    }

    @Test
    void theTurningPointSaysWhatClearedAndWhen() {
        ChangeEvent off =
                new ChangeEvent(t(300), "auth", ChangeKind.FEATURE_FLAG, null, "Refresh off");
        ChangeEffect effect = onStorm(off, 100, 0, ChangeEffect.Verdict.CLEARED, true, t(360));
        assertThat(words.sentence(effect))
                .isEqualTo(
                        "Refresh off at 8:25 AM: refresh rate \u2212100%; the token refresh"
                                + " storm on auth cleared within 1 min (turning point)");
        assertThat(words.body(effect))
                .as("the drafts' body: no head, no turning point")
                .isEqualTo(
                        "refresh rate \u2212100%; the token refresh storm on auth cleared within"
                                + " 1 min");
    }

    @Test
    void aChangeWithNothingOpenToMeasureSaysSo() {
        ChangeEvent deploy = new ChangeEvent(t(120), "web", ChangeKind.DEPLOY, "2024.02.17", null);
        ChangeEffect none = ChangeEffect.notMeasured(deploy);
        assertThat(words.sentence(none))
                .startsWith("web deploy 2024.02.17 at 8:22 AM: no signal of its causes");
    }
}
