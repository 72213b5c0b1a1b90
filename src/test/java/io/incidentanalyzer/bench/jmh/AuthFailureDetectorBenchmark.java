package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.AuthFailureSettings;
import io.incidentanalyzer.detect.auth.AuthCallerState;
import io.incidentanalyzer.detect.auth.AuthEpisode;
import io.incidentanalyzer.detect.auth.AuthFailureDetector;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Signal;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
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
 * The auth-failure detector in Flink's operator harness: ns per failure event. One invocation is
 * one second of {@value #CALLERS} callers, {@value #PER_CALLER} MISSING_TOKEN events each, and a
 * watermark. {@code steady}: the same rate during the 10-minute warm-up (a warm baseline, no
 * episode). {@code spike}: a fifth of it during the warm-up, so that every caller has an open
 * episode whose sketches every bucket updates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuthFailureDetectorBenchmark {
    static final int CALLERS = 8;
    static final int PER_CALLER = 25;
    static final long T0 = 1_708_066_800_000L;

    @Param({"steady", "spike"})
    public String load;

    private KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> harness;
    private long second;

    static KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new AuthFailureDetector("bench", AuthFailureSettings.defaults())),
                AuthFailureDetector::callerKey,
                Types.STRING);
    }

    static void second(
            KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> h,
            long s,
            int perCaller)
            throws Exception {
        long t0 = T0 + s * 1000;
        for (int c = 0; c < CALLERS; c++) {
            for (int i = 0; i < perCaller; i++) {
                long ts = t0 + i * 1000L / perCaller;
                h.processElement(
                        new AuthEvent(
                                ts,
                                "token-verification",
                                AuthEventType.MISSING_TOKEN,
                                null,
                                null,
                                null,
                                null,
                                null,
                                "caller-" + c,
                                "rejected",
                                i % 10 == 0 ? "token expired" : "no bearer token"),
                        ts);
            }
        }
        h.processWatermark(t0 - 5000);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness = newHarness();
        harness.open();
        int warm = load.equals("steady") ? PER_CALLER : PER_CALLER / 5;
        for (second = 0; second < 600; second++) second(harness, second, warm);
        harness.getOutput().clear();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(CALLERS * PER_CALLER)
    public void second() throws Exception {
        second(harness, second++, PER_CALLER);
        harness.getOutput().clear();
    }

    /** Checkpointed bytes of one caller's state and of an open episode, for docs/benchmarks.md. */
    public static void main(String[] args) throws Exception {
        var h = newHarness();
        h.open();
        long s = 0;
        for (; s < 600; s++) second(h, s, PER_CALLER / 5);
        for (; s < 700; s++) second(h, s, PER_CALLER);
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey("caller-0");
        AuthCallerState state =
                backend.getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                AuthFailureDetector.stateDescriptor())
                        .value();
        AuthEpisode episode =
                backend.getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                AuthFailureDetector.episodesDescriptor())
                        .get("MISSING_TOKEN");
        System.out.printf(
                Locale.ROOT,
                "AuthCallerState %,d bytes, AuthEpisode %,d bytes (signals %d)%n",
                StateBytes.of(AuthCallerState.class, state),
                StateBytes.of(AuthEpisode.class, episode),
                h.extractOutputValues().size());
        h.close();
    }
}
