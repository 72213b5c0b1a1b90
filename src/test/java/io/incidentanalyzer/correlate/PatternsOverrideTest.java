package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static io.incidentanalyzer.testing.Fixtures.latencyShift;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ChangeEffect;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * A job file's {@code patterns:} changes how causes are named: each test runs the same signals with
 * the defaults and with one override, and the answers differ.
 */
class PatternsOverrideTest {

    /** Two services that share nothing, so only the patterns can tell them apart. */
    private static JobConfig job(String patterns) {
        return JobConfigLoader.parse(
                "environment: prod\n"
                        + TOPICS_YAML
                        + """
                          services:
                            queue-worker: {}
                            store: {}
                            front: {dependsOn: [queue-worker]}
                          """
                        + patterns,
                "jobs/test.yaml");
    }

    private static CauseAnalysis analysis(JobConfig job) {
        return new CauseAnalysis(
                DependencyGraph.of(job.dependsOn()),
                job.externalServices(),
                job.correlation(),
                job.patterns());
    }

    private static String name(RootCause c) {
        return c.kind() + "@" + c.service();
    }

    private static Signal backlog(String service, long onsetS) {
        return signal(
                SignalKind.BACKLOG_GROWTH,
                service,
                "queue_depth",
                OPEN,
                t(onsetS),
                t(onsetS + 40),
                800,
                800,
                100,
                Severity.CRITICAL);
    }

    @Test
    void aKnownChainGivenInTheJobFileDecidesBetweenTwoEqualCandidates() {
        // Same onset, same severity, no path between them: by default saturation starts the known
        // chain that the backlog follows; the job file's chain says the opposite.
        List<Signal> signals =
                List.of(saturation("store", OPEN, t(0), t(60)), backlog("queue-worker", 0));

        RootCause byDefault = analysis(job("")).analyze(signals, List.of()).top();
        RootCause byChain =
                analysis(job("patterns:\n  chains: [[backlog_growth, saturation]]\n"))
                        .analyze(signals, List.of())
                        .top();

        assertThat(name(byDefault)).isEqualTo("RESOURCE_SATURATION@store");
        assertThat(name(byChain)).isEqualTo("SERVICE_SLOWDOWN@queue-worker");
        assertThat(byChain.evidence()).anyMatch(e -> e.contains("starts the known chain"));
    }

    @Test
    void aSelfNamingSignalGivenInTheJobFileBecomesAContributingCause() {
        // The store saturates an hour later: a later finding, never the root cause.
        List<Signal> signals =
                List.of(
                        latencyShift("front", OPEN, t(0), t(20)),
                        saturation("store", OPEN, t(3600), t(3660)));

        CauseAnalysis.Result byDefault = analysis(job("")).analyze(signals, List.of());
        CauseAnalysis.Result custom =
                analysis(
                                job(
                                        """
                                        patterns:
                                          selfNaming:
                                            - {signal: saturation, cause: resource_saturation}
                                        """))
                        .analyze(signals, List.of());

        assertThat(byDefault.contributing()).isEmpty();
        assertThat(custom.contributing())
                .extracting(PatternsOverrideTest::name)
                .containsExactly("RESOURCE_SATURATION@store");
        assertThat(name(custom.top())).isEqualTo(name(byDefault.top()));
    }

    @Test
    void causesIdentifiedAtOnceAreTheJobFilesList() {
        CauseAnalysis byDefault = analysis(job(""));
        CauseAnalysis custom = analysis(job("patterns:\n  identifiedAtOnce: [service_slowdown]\n"));

        assertThat(byDefault.selfEvident(CauseKind.BAD_DEPLOY)).isTrue();
        assertThat(byDefault.selfEvident(CauseKind.SERVICE_SLOWDOWN)).isFalse();
        assertThat(custom.selfEvident(CauseKind.BAD_DEPLOY)).isFalse();
        assertThat(custom.selfEvident(CauseKind.SERVICE_SLOWDOWN)).isTrue();
    }

    @Test
    void aDeployLateAfterTheOnsetCountsWhenTheJobFileAllowsIt() {
        // Deployed 90 s after the first signal: beyond the default minute of clock skew.
        List<Signal> signals = List.of(latencyShift("front", OPEN, t(0), t(20)));
        List<ChangeEvent> deploy =
                List.of(new ChangeEvent(t(90), "front", ChangeKind.DEPLOY, "7.1", null));

        RootCause byDefault = analysis(job("")).analyze(signals, deploy).top();
        RootCause lenient =
                analysis(job("patterns:\n  thresholds: {deployAfterOnset: 2m}\n"))
                        .analyze(signals, deploy)
                        .top();

        assertThat(byDefault.kind()).isEqualTo(CauseKind.SERVICE_SLOWDOWN);
        assertThat(lenient.kind()).isEqualTo(CauseKind.BAD_DEPLOY);
    }

    @Test
    void severityScoresAreTheRankersMagnitude() {
        Signal minor =
                signal(
                        SignalKind.BASELINE_SHIFT,
                        "front",
                        "request_rate",
                        OPEN,
                        t(0),
                        t(30),
                        9,
                        9,
                        1,
                        Severity.MINOR);

        assertThat(analysis(job("")).score(minor)).isEqualTo(0.5);
        assertThat(
                        analysis(job("patterns:\n  thresholds: {severityScores: {minor: 0.2}}\n"))
                                .score(minor))
                .isEqualTo(0.2);
    }

    private static Signal storm(SignalState state, long ts, double value) {
        return signal(
                SignalKind.REFRESH_STORM,
                "store",
                "REFRESH",
                state,
                t(0),
                ts,
                value,
                Math.max(value, 100),
                13,
                Severity.CRITICAL);
    }

    /** A storm of 100 a bucket, a rollback, 104 a bucket after it: the rollback's verdict. */
    private static ChangeEffect.Verdict rollbackVerdict(JobConfig job) throws Exception {
        try (var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, CorrelatorInput, IncidentEvent>(
                        new KeyedProcessOperator<>(IncidentCorrelator.of(job)),
                        in -> "prod",
                        Types.STRING)) {
            harness.open();
            Signal open = storm(SignalState.OPEN, t(30), 100);
            harness.processElement(CorrelatorInput.of(open), open.ts());
            ChangeEvent rollback =
                    new ChangeEvent(t(60), "store", ChangeKind.ROLLBACK, "6.9", null);
            harness.processElement(CorrelatorInput.of(rollback), rollback.ts());
            Signal later = storm(SignalState.UPDATE, t(120), 104);
            harness.processElement(CorrelatorInput.of(later), later.ts());
            harness.processWatermark(t(300));
            return harness.extractOutputValues().stream()
                    .filter(e -> e.type() == IncidentEventType.CHANGE_EFFECT)
                    .flatMap(e -> e.changeEffects().stream())
                    .findFirst()
                    .orElseThrow()
                    .verdict();
        }
    }

    @Test
    void theCorrelatorJudgesAChangesEffectWithTheJobFilesCutOffs() throws Exception {
        assertThat(rollbackVerdict(job(""))).isEqualTo(ChangeEffect.Verdict.NO_EFFECT);
        assertThat(rollbackVerdict(job("patterns:\n  thresholds: {worseAt: 0.03}\n")))
                .isEqualTo(ChangeEffect.Verdict.WORSE);
    }
}
