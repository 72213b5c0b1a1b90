package io.incidentanalyzer.cli;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.HeavyHitter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's lines: each signal kind opens in its own words, in the job's clock and zone. */
class IncidentPrinterTest {
    private final JobConfig config = JobConfigLoader.load(Path.of("jobs/watermelon.yaml"));
    private final IncidentPrinter printer = new IncidentPrinter(config);

    private static Signal signal(
            SignalKind kind,
            String service,
            String subject,
            double peak,
            double baseline,
            List<String> evidence) {
        return new Signal(
                kind + ":" + ENV + ":" + service + "/" + subject + ":" + t(0),
                kind,
                ENV,
                service,
                subject,
                SignalState.OPEN,
                t(30),
                t(0),
                t(20),
                peak,
                peak,
                baseline,
                baseline == 0 ? 0 : peak / baseline,
                Severity.MAJOR,
                evidence,
                -1,
                Fixtures.measured(kind, service, subject),
                null);
    }

    private String opened(Signal s) {
        return printer.format(
                new IncidentEvent(
                        "watermelon-prod-20240216T072000Z",
                        ENV,
                        IncidentEventType.OPENED,
                        s.ts(),
                        IncidentStatus.INVESTIGATING,
                        s.onset(),
                        null,
                        "title",
                        s,
                        List.of(s),
                        List.of(),
                        List.of(),
                        List.of(),
                        null));
    }

    @Test
    void eachKindOpensInItsOwnWordsInTheJobsLocalClock() {
        // Fixtures.T0 is 07:20 UTC: 8:20 AM in Amsterdam.
        assertThat(
                        opened(
                                signal(
                                        SignalKind.SATURATION,
                                        "database",
                                        "cpu_utilization",
                                        100,
                                        95,
                                        List.of())))
                .contains("Fri 8:20:30 AM  OPENED")
                .contains(
                        "Database cpu_utilization at or above 95 since Fri 8:20:00 AM (peak 100)");
        assertThat(
                        opened(
                                signal(
                                        SignalKind.BASELINE_SHIFT,
                                        "api-gpt",
                                        "latency_p95_ms",
                                        4200,
                                        900,
                                        List.of())))
                .contains("API-GPT server latency_p95_ms above its usual 900 since Fri 8:20:00 AM");
        assertThat(
                        opened(
                                signal(
                                        SignalKind.REFRESH_STORM,
                                        "token-verification",
                                        "REFRESH",
                                        89,
                                        13.4,
                                        List.of())))
                .contains("Token verification server token-refresh storm since Fri 8:20:00 AM")
                .contains("usually 13.4");
        assertThat(
                        opened(
                                signal(
                                        SignalKind.DEPENDENCY_DRIFT,
                                        "token-verification",
                                        "database host",
                                        1,
                                        0,
                                        List.of(
                                                "token-verification reports database host x",
                                                "expected db-main.internal"))))
                .contains(
                        "Token verification server uses an unexpected database host since Fri"
                                + " 8:20:00 AM (expected db-main.internal)")
                .doesNotContain("at or above");
    }

    @Test
    void causesAndChangeEffectsReadAsSentences() {
        Signal storm =
                signal(
                        SignalKind.REFRESH_STORM,
                        "token-verification",
                        "REFRESH",
                        89,
                        13.4,
                        List.of());
        RootCause top =
                new RootCause(
                        CauseKind.TOKEN_REFRESH_STORM,
                        "token-verification",
                        0.8,
                        t(0),
                        List.of(
                                "890 refreshes in the 10s to 07:20:30Z",
                                "clientVersion: no value carries 10% of the excess"),
                        List.of(storm.id()),
                        new HeavyHitter("clientVersion", "2024.02.16", 0.93, 1_464, 1_489));
        ChangeEvent off =
                new ChangeEvent(
                        t(60), "token-verification", ChangeKind.FEATURE_FLAG, null, "Refresh off");
        ChangeEffect effect =
                new ChangeEffect(
                        off,
                        storm.id(),
                        storm.kind(),
                        storm.service(),
                        storm.measured(),
                        top,
                        89,
                        0,
                        -1,
                        ChangeEffect.Verdict.CLEARED,
                        true,
                        t(60));

        String identified = printer.format(event(IncidentEventType.IDENTIFIED, storm, top, effect));
        String measured =
                printer.format(event(IncidentEventType.CHANGE_EFFECT, storm, top, effect));

        assertThat(identified)
                .contains("IDENTIFIED")
                .contains(
                        "identified: token-refresh storm on Token verification server since Fri"
                                + " 8:20:00 AM (confidence 0.80): clientVersion 2024.02.16: 93% of"
                                + " the excess refreshes (≥ 1,464 of 1,489)");
        assertThat(measured)
                .contains("CHANGE_EFFECT")
                .endsWith(
                        "Refresh off at 8:21 AM: refresh rate \u2212100%; the token refresh storm"
                                + " on token-verification cleared at once (turning point)");
    }

    private static IncidentEvent event(
            IncidentEventType type, Signal cause, RootCause top, ChangeEffect effect) {
        return new IncidentEvent(
                "watermelon-prod-20240216T072000Z",
                ENV,
                type,
                cause.ts(),
                IncidentStatus.IDENTIFIED,
                cause.onset(),
                null,
                "title",
                cause,
                List.of(cause),
                List.of(top),
                List.of(),
                List.of(effect),
                null);
    }
}
