package io.incidentanalyzer.testing;

import io.incidentanalyzer.config.SaturationRule;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;

/** Named building blocks so that tests read as scenarios: {@code cpu("database", t(3), 97)}. */
public final class Fixtures {
    /** The seed outage's morning, in UTC (08:20 in Amsterdam). */
    public static final Instant T0 = Instant.parse("2024-02-16T07:20:00Z");

    public static final String ENV = "watermelon-prod";

    /** The {@code topics:} section of a small job file, for tests that parse one. */
    public static final String TOPICS_YAML =
            """
            topics:
              metrics: {name: m}
              auth: {name: a}
              logs: {name: l}
              changes: {name: c}
              incidents: i
              deadLetter: d
            """;

    private Fixtures() {}

    /** Event time {@code seconds} after {@link #T0}, in epoch milliseconds. */
    public static long t(long seconds) {
        return T0.plusSeconds(seconds).toEpochMilli();
    }

    /** Event time {@code minutes} after {@link #T0}, in epoch milliseconds. */
    public static long minutes(double minutes) {
        return T0.toEpochMilli() + Math.round(minutes * 60_000);
    }

    public static MetricSample cpu(String service, long ts, double value) {
        return new MetricSample(ts, service, "cpu_utilization", value, new HashMap<>());
    }

    /** Database CPU: ceiling 95 for 60 s, clear at or below 80 for 120 s, no data after 5 min. */
    public static SaturationRule databaseCpuRule() {
        return new SaturationRule(
                "database-cpu",
                "database",
                "cpu_utilization",
                95.0,
                Duration.ofSeconds(60),
                80.0,
                Duration.ofSeconds(120),
                Duration.ofMinutes(5),
                Severity.CRITICAL);
    }

    /** A saturation signal of {@code service}'s CPU that began at {@code onset}. */
    public static Signal saturation(String service, SignalState state, long onset, long ts) {
        return new Signal(
                "saturation:" + ENV + ":" + service + "/cpu_utilization:" + onset,
                SignalKind.SATURATION,
                ENV,
                service,
                "cpu_utilization",
                state,
                ts,
                onset,
                ts,
                100.0,
                100.0,
                95.0,
                100.0 / 95.0,
                Severity.CRITICAL,
                new ArrayList<>(),
                state == SignalState.CLEAR ? ts : -1,
                Measured.metric("cpu_utilization"),
                null);
    }

    /**
     * A signal of any kind: {@code value} is its latest figure, {@code peak} its highest so far,
     * against {@code baseline}.
     */
    public static Signal signal(
            SignalKind kind,
            String service,
            String subject,
            SignalState state,
            long onset,
            long ts,
            double value,
            double peak,
            double baseline,
            Severity severity) {
        return new Signal(
                kind.name().toLowerCase(java.util.Locale.ROOT)
                        + ":"
                        + ENV
                        + ":"
                        + service
                        + "/"
                        + subject
                        + ":"
                        + onset,
                kind,
                ENV,
                service,
                subject,
                state,
                ts,
                onset,
                ts,
                peak,
                value,
                baseline,
                baseline == 0 ? 0 : peak / baseline,
                severity,
                new ArrayList<>(java.util.List.of(service + " " + subject + " evidence")),
                state == SignalState.CLEAR ? ts : -1,
                measured(kind, service, subject),
                null);
    }

    /**
     * What a signal of {@code kind} with this subject measured, as its detector would say it: the
     * metric, the token events (a subject ending in " (no caller)" names no caller), or the
     * dependency whose host drifted.
     */
    public static Measured measured(SignalKind kind, String service, String subject) {
        return switch (kind) {
            case SATURATION, BASELINE_SHIFT, BACKLOG_GROWTH -> Measured.metric(subject);
            case REFRESH_STORM -> Measured.authEvents(AuthEventType.REFRESH, null);
            case AUTH_FAILURES -> {
                boolean noCaller = subject.endsWith(NO_CALLER);
                String type =
                        noCaller
                                ? subject.substring(0, subject.length() - NO_CALLER.length())
                                : subject;
                yield Measured.authEvents(AuthEventType.valueOf(type), noCaller ? null : service);
            }
            case DEPENDENCY_DRIFT ->
                    Measured.dependencyHost(subject.replace(" host", ""), "unexpected.internal");
            case ERROR_PATTERN -> Measured.logTemplate();
        };
    }

    private static final String NO_CALLER = " (no caller)";

    /** A major latency shift: 900 ms against a usual 300 ms. */
    public static Signal latencyShift(String service, SignalState state, long onset, long ts) {
        return signal(
                SignalKind.BASELINE_SHIFT,
                service,
                "latency_p95_ms",
                state,
                onset,
                ts,
                900,
                900,
                300,
                Severity.MAJOR);
    }

    /**
     * A major shift of the p99 latency {@code caller} sees on its calls to {@code callee} (an edge
     * metric learned from traces): 2.4 s against a usual 0.3 s.
     */
    public static Signal slowCalls(String caller, String callee, long onset, long ts) {
        return signal(
                SignalKind.BASELINE_SHIFT,
                caller,
                "call.latency.p99{callee=" + callee + "}",
                SignalState.OPEN,
                onset,
                ts,
                2.4,
                2.4,
                0.3,
                Severity.MAJOR);
    }

    /** A minor shift of the request rate (the load metric) to {@code peak}. */
    public static Signal requestRate(
            String service, SignalState state, long onset, long ts, double peak, double baseline) {
        return signal(
                SignalKind.BASELINE_SHIFT,
                service,
                "request_rate",
                state,
                onset,
                ts,
                peak,
                peak,
                baseline,
                Severity.MINOR);
    }

    /**
     * The Kafka part of a job file for integration tests: read from the start, checkpoint every
     * second, six topics named {@code <prefix>.metrics} … {@code <prefix>.dead-letter}.
     */
    public static String kafkaYaml(String prefix) {
        return kafkaYaml(prefix, "startingOffsets: earliest, checkpointInterval: 1s", false);
    }

    /**
     * The same with these {@code kafka} settings, and with {@code alerts}, an alerts topic {@code
     * <prefix>.alerts}.
     */
    public static String kafkaYaml(String prefix, String kafkaSettings, boolean alerts) {
        return """
               kafka: {%2$s}
               # Resolve at the last clear: a streaming test's event time stops with its input.
               correlation: {quietPeriod: 0s}
               topics:
                 metrics: {name: %1$s.metrics}
                 auth: {name: %1$s.auth}
                 logs: {name: %1$s.logs}
                 changes: {name: %1$s.changes}
                 incidents: %1$s.incidents
                 deadLetter: %1$s.dead-letter
                 statusUpdates: %1$s.status-updates
                 reviews: %1$s.reviews
               """
                        .formatted(prefix, kafkaSettings)
                + (alerts ? "  alerts: %s.alerts%n".formatted(prefix) : "");
    }
}
