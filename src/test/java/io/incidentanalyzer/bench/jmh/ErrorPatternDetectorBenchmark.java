package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.ErrorPatternSettings;
import io.incidentanalyzer.detect.ErrorPatternDetector;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.Signal;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The error-pattern detector in Flink's operator harness (heap state, event-time timers): ns per
 * log line, mining included. {@value #SERVICES} services; one invocation is one 10 s bucket with
 * {@value #LINES_PER_SERVICE} lines per service and a watermark. {@code known}: the lines come from
 * 20 message shapes with varying numbers, hosts and ids (the steady state: every line joins a
 * template); {@code novel}: a quarter of the lines are shapes never seen before, so templates are
 * created all the time and, once the book is full, one is dropped for each.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ErrorPatternDetectorBenchmark {
    static final int SERVICES = 100;
    static final int LINES_PER_SERVICE = 10;

    private static final String[] SHAPES = {
        "upstream timeout calling token-verification after %d ms",
        "deadline exceeded",
        "500 Internal Server Error: unhandled exception in request handler id=%d",
        "401 Unauthorized: request without bearer token",
        "connected to database host db-%d.internal",
        "health report",
        "slow query took %d ms on shard %d",
        "cache refreshed for tenant %d",
        "request %d completed in %d ms",
        "retrying call to payments attempt %d of 5",
        "user session %d expired",
        "GET /api/v1/conversations/%d returned 404",
        "circuit breaker open for openai after %d failures",
        "queue depth %d above soft limit",
        "token refresh for client web version 2024.02.%d",
        "failed to parse webhook payload: unexpected token at offset %d",
        "scheduled job cleanup finished removed %d rows",
        "connection pool exhausted waiting %d ms for a connection",
        "config reloaded from /etc/app/conf.d/%d.yaml",
        "worker %d started",
    };

    @Param({"known", "novel"})
    public String lines;

    /**
     * Messages made up front, so that formatting them is not measured; enough that a novel shape
     * comes back to its service only after far more than a full book of other novel shapes.
     */
    static final int MESSAGES = 1_000_000;

    private KeyedOneInputStreamOperatorTestHarness<String, LogEvent, Signal> harness;
    private String[] messages;
    private String[] services;
    private long ts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new ErrorPatternDetector("bench", ErrorPatternSettings.defaults())),
                        LogEvent::service,
                        Types.STRING);
        harness.open();
        // The messages cycle; a novel one comes back to its service after 2 500 other novel
        // ones, long after its template was dropped (the book holds 1000), so it is novel again.
        messages = new String[MESSAGES];
        for (int n = 0; n < MESSAGES; n++) messages[n] = message(n);
        services = new String[SERVICES];
        for (int s = 0; s < SERVICES; s++) services[s] = "svc-" + s;
        ts = 1_700_000_000_000L;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    private String message(long n) {
        return message(lines, n);
    }

    /** Line {@code n} of the {@code known} or {@code novel} stream (see the class doc). */
    static String message(String lines, long n) {
        if (lines.equals("novel") && n % 4 == 0) {
            // A shape of its own: a leading word of letters that no other line has.
            StringBuilder word = new StringBuilder("event");
            for (long k = n; k > 0; k /= 26) word.append((char) ('a' + k % 26));
            return word.append(" happened once").toString();
        }
        String shape = SHAPES[(int) (n % SHAPES.length)];
        return String.format(shape, n % 997, n % 13);
    }

    @Benchmark
    @OperationsPerInvocation(SERVICES * LINES_PER_SERVICE)
    public void bucket() throws Exception {
        ts += 10_000;
        for (int l = 0; l < LINES_PER_SERVICE; l++) {
            for (int s = 0; s < SERVICES; s++) {
                long at = ts + l * 1000 + s;
                String level = l % 3 == 0 ? "ERROR" : "INFO";
                LogEvent e = new LogEvent(at, services[s], level, messages[next], Map.of());
                next = next + 1 == MESSAGES ? 0 : next + 1;
                harness.processElement(e, at);
            }
        }
        harness.processWatermark(ts + 10_000);
        harness.getOutput().clear();
    }

    /** Checkpointed bytes of one service's templates: {@link TemplateMinerBenchmark#main}. */
    public static void main(String[] args) {
        TemplateMinerBenchmark.main(args);
    }
}
