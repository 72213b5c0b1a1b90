package io.incidentanalyzer.draft;

import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static io.incidentanalyzer.testing.Fixtures.signal;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentState;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The drafts take outage cut-offs, metric words and advice from the job file's patterns. */
class PatternsWordsTest {

    private static JobConfig job(String patterns) {
        return JobConfigLoader.parse(
                "environment: prod\n"
                        + TOPICS_YAML
                        + """
                          services:
                            front: {}
                          """
                        + patterns,
                "jobs/test.yaml");
    }

    private static SignalNote errors(double peak) {
        return SignalNote.of(
                signal(
                        SignalKind.BASELINE_SHIFT,
                        "front",
                        "error_ratio",
                        SignalState.OPEN,
                        t(0),
                        t(30),
                        peak,
                        peak,
                        0.001,
                        Severity.MAJOR));
    }

    @Test
    void outageCutOffsComeFromTheJobFile() {
        Drafter byDefault = new Drafter(job(""));
        Drafter strict =
                new Drafter(
                        job(
                                "patterns:\n"
                                        + "  thresholds: {majorOutageAt: 0.3, partialOutageAt:"
                                        + " 0.2}\n"));

        assertThat(byDefault.impact(errors(0.35))).isEqualTo(ComponentState.PARTIAL_OUTAGE);
        assertThat(strict.impact(errors(0.35))).isEqualTo(ComponentState.MAJOR_OUTAGE);
        assertThat(byDefault.impact(errors(0.1))).isEqualTo(ComponentState.PARTIAL_OUTAGE);
        assertThat(strict.impact(errors(0.1))).isEqualTo(ComponentState.DEGRADED_PERFORMANCE);
    }

    @Test
    void metricNamesAndUnitsComeFromTheJobFile() {
        Words byDefault = new Words(job(""));
        Words custom =
                new Words(
                        job(
                                """
                                patterns:
                                  metrics:
                                    names: {cpu_utilization: processor load}
                                    units: {queue_depth: " jobs"}
                                """));

        assertThat(byDefault.metric("cpu_utilization")).isEqualTo("CPU utilization");
        assertThat(custom.metric("cpu_utilization")).isEqualTo("processor load");
        assertThat(byDefault.unit("cpu_utilization")).isEqualTo("%");
        assertThat(byDefault.unit("queue_depth")).isEmpty();
        assertThat(custom.unit("queue_depth")).isEqualTo(" jobs");
    }

    @Test
    void statusAdviceIsTheJobFilesSentencePerCauseKind() {
        String custom = "Orders placed during the incident will be processed.";
        Words byDefault = new Words(job(""));
        Words withAdvice =
                new Words(job("patterns:\n  statusAdvice: {traffic_surge: " + custom + "}\n"));

        String plain =
                byDefault.statusBody(
                        IncidentStatus.MONITORING,
                        IncidentEventType.MONITORING,
                        Map.of(),
                        Set.of(CauseKind.TRAFFIC_SURGE));
        String advised =
                withAdvice.statusBody(
                        IncidentStatus.MONITORING,
                        IncidentEventType.MONITORING,
                        Map.of(),
                        Set.of(CauseKind.TRAFFIC_SURGE));
        String both =
                byDefault.statusBody(
                        IncidentStatus.MONITORING,
                        IncidentEventType.MONITORING,
                        Map.of(),
                        Set.of(CauseKind.TOKEN_REFRESH_STORM, CauseKind.MISSING_TOKEN));

        assertThat(plain).doesNotContain(custom);
        assertThat(advised).endsWith(custom);
        // Two kinds with the same advice say it once.
        assertThat(both.split("clear your cache", -1)).hasSize(2);
    }
}
