package io.incidentanalyzer.job;

import static io.incidentanalyzer.testing.Fixtures.cpu;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.InputWatermarks;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.testing.Flink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline on in-memory streams at parallelism 2, no Kafka: the same input, in order or
 * shuffled within the allowed out-of-orderness, gives the same incident events.
 */
class IncidentPipelineTest {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static final JobConfig CONFIG =
            JobConfigLoader.parse(
                    """
environment: watermelon-prod
topics:
  metrics: {name: m}
  auth: {name: a}
  logs: {name: l}
  changes: {name: c}
  incidents: i
  deadLetter: d
watermarks: {maxOutOfOrderness: 30s}
services:
  database: {hosts: [db-main.internal]}
  token-verification: {dependsOn: [database]}
  public-api: {dependsOn: [database]}
detectors:
  dependencyDrift: {attributes: {db.host: database}}
  saturation:
    - {name: db, service: database, metric: cpu_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m}
    - {name: any, service: "*", metric: cpu_utilization, ceiling: 90, sustain: 2m, clearBelow: 75, clearAfter: 2m}
""",
                    "pipeline-test.yaml");

    /** Database saturated 60..300 s, verifier 90..330 s, 20 minutes of samples every 10 s. */
    private static List<Decoded> episode() {
        List<Decoded> in = new ArrayList<>();
        for (long s = 0; s <= 1200; s += 10) {
            in.add(Decoded.of(cpu("database", t(s), s >= 60 && s <= 300 ? 99 : 40)));
            in.add(Decoded.of(cpu("token-verification", t(s), s >= 90 && s <= 330 ? 96 : 30)));
            in.add(Decoded.of(cpu("api-gpt", t(s), 50)));
        }
        return in;
    }

    /** Shuffles within blocks of 9 records (30 s of event time), inside the 30 s bound. */
    private static List<Decoded> shuffledWithinBound(List<Decoded> in) {
        List<Decoded> out = new ArrayList<>();
        Random random = new Random(11);
        for (int i = 0; i < in.size(); i += 9) {
            List<Decoded> block = new ArrayList<>(in.subList(i, Math.min(i + 9, in.size())));
            Collections.shuffle(block, random);
            out.addAll(block);
        }
        return out;
    }

    private record Result(List<IncidentEvent> incidents, List<DeadLetter> deadLetters) {}

    /** An auth record that could not be decoded: every run has a dead letter to find. */
    private static final DeadLetter BROKEN =
            new DeadLetter(RejectReason.NOT_JSON, "not valid JSON", "a", 0, 7, "x", "utf-8");

    private static final List<Decoded> NO_LOGS = List.of(Decoded.of(cpu("x", t(0), 1)));

    private static Result run(List<Decoded> metrics) throws Exception {
        return run(metrics, List.of(Decoded.rejected(BROKEN)), NO_LOGS);
    }

    private static Result run(List<Decoded> metrics, List<Decoded> auth, List<Decoded> logs)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        IncidentPipeline.configure(env);
        IncidentPipeline.Outputs out =
                IncidentPipeline.build(
                        CONFIG,
                        new IncidentPipeline.Inputs(
                                input(env, metrics),
                                input(env, auth),
                                input(env, logs),
                                input(env, List.of(Decoded.of(cpu("y", t(0), 1))))));
        List<IncidentEvent> incidents = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<IncidentEvent> i = out.incidents().collectAsync();
                CloseableIterator<DeadLetter> d = out.deadLetters().collectAsync()) {
            env.execute("pipeline test");
            i.forEachRemaining(incidents::add);
            d.forEachRemaining(deadLetters::add);
        }
        return new Result(incidents, deadLetters);
    }

    private static DataStream<Decoded> input(StreamExecutionEnvironment env, List<Decoded> in) {
        return env.fromData(in, TypeInformation.of(Decoded.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(InputWatermarks.strategy(CONFIG.watermarks()));
    }

    @Test
    void sameInputInOrderOrShuffledGivesTheSameIncident() throws Exception {
        Result ordered = run(episode());
        Result shuffled = run(shuffledWithinBound(episode()));

        assertThat(ordered.incidents())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.SIGNAL_ADDED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.SIGNAL_CLEARED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        assertThat(ordered.incidents().get(0).openedAt()).isEqualTo(t(60));
        assertThat(shuffled.incidents()).isEqualTo(ordered.incidents());
    }

    /**
     * Health lines of two callers of the database once a minute for an hour; from minute 40 the
     * verifier reports the legacy host and writes timeouts, back on the main host at minute 50.
     */
    private static List<Decoded> logs() {
        List<Decoded> in = new ArrayList<>();
        for (long s = 0; s <= 3600; s += 60) {
            String host = s >= 2400 && s < 3000 ? "db-legacy.internal" : "db-main.internal";
            in.add(Decoded.of(health("token-verification", t(s), host)));
            in.add(Decoded.of(health("public-api", t(s + 1), "db-main.internal")));
        }
        for (long s = 2405; s < 2600; s += 10) {
            in.add(
                    Decoded.of(
                            new LogEvent(
                                    t(s),
                                    "token-verification",
                                    "ERROR",
                                    "upstream timeout calling database after 5000 ms",
                                    Map.of())));
        }
        in.sort(java.util.Comparator.comparingLong(Decoded::ts));
        return in;
    }

    private static LogEvent health(String service, long ts, String host) {
        return new LogEvent(ts, service, "INFO", "health report", Map.of("db.host", host));
    }

    @Test
    void logsRaiseDependencyDriftAndErrorPatternSignalsIntoOneIncident() throws Exception {
        Result r =
                run(
                        List.of(Decoded.of(cpu("api-gpt", t(0), 50))),
                        List.of(Decoded.rejected(BROKEN)),
                        logs());

        IncidentEvent opened = r.incidents().get(0);
        assertThat(opened.type()).isEqualTo(IncidentEventType.OPENED);
        assertThat(opened.openedAt()).isEqualTo(t(2400));
        assertThat(opened.cause().kind()).isEqualTo(SignalKind.DEPENDENCY_DRIFT);
        assertThat(opened.cause().service()).isEqualTo("token-verification");
        assertThat(r.incidents())
                .flatExtracting(IncidentEvent::activeSignals)
                .extracting(Signal::kind)
                .contains(SignalKind.ERROR_PATTERN);
        assertThat(r.incidents())
                .extracting(IncidentEvent::type)
                .endsWith(IncidentEventType.CLOSED);
    }

    @Test
    void missingTokensFromOneCallerBecomeAnIncident() throws Exception {
        // conversation-count sends 20 requests without a token every 10 s from 10 to 15 min;
        // the web app fails a verification now and then. Metrics stay healthy.
        List<Decoded> metrics = new ArrayList<>();
        for (long s = 0; s <= 1200; s += 10) {
            metrics.add(Decoded.of(cpu("database", t(s), 40)));
        }
        List<Decoded> auth = new ArrayList<>();
        for (long ms = 0; ms <= 1_200_000; ms += 500) {
            long s = ms / 1000;
            if (s >= 600 && s < 900)
                auth.add(Decoded.of(missingToken("conversation-count", t(0) + ms)));
            if (ms % 97_000 == 0) auth.add(Decoded.of(missingToken("web-app", t(0) + ms)));
        }

        Result r = run(metrics, auth, NO_LOGS);

        assertThat(r.incidents())
                .extracting(IncidentEvent::type)
                .containsExactly(
                        IncidentEventType.OPENED,
                        IncidentEventType.IDENTIFIED,
                        IncidentEventType.MONITORING,
                        IncidentEventType.CLOSED);
        IncidentEvent opened = r.incidents().get(0);
        assertThat(opened.cause().kind()).isEqualTo(SignalKind.AUTH_FAILURES);
        assertThat(opened.cause().service()).isEqualTo("conversation-count");
        assertThat(opened.openedAt()).isEqualTo(t(600));
    }

    private static AuthEvent missingToken(String caller, long ts) {
        return new AuthEvent(
                ts,
                "token-verification",
                AuthEventType.MISSING_TOKEN,
                null,
                null,
                null,
                null,
                null,
                caller,
                "rejected",
                "no bearer token");
    }

    @Test
    void inputsThatAreNotMetricsAndRejectsReachTheDeadLetters() throws Exception {
        Result r = run(episode());

        // The rejected auth record, and the metric samples sent on the logs and changes
        // inputs (the wrong stream for their decoder), all become dead letters.
        assertThat(r.deadLetters())
                .extracting(DeadLetter::reason)
                .containsExactlyInAnyOrder(
                        RejectReason.NOT_JSON, RejectReason.BAD_VALUE, RejectReason.BAD_VALUE);
    }
}
