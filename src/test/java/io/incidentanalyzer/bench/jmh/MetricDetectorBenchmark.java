package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.detect.MetricDetector;
import io.incidentanalyzer.model.MetricSample;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A metric detector in Flink's operator harness (heap state, event-time timers, the event-time
 * ordering buffer): ns per sample. One invocation is one 10 s interval of {@value #SERIES} series,
 * then a watermark, so every sample goes through the ordering buffer and its timer as in the job.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public abstract class MetricDetectorBenchmark {
    static final int SERIES = 1000;
    static final long START = 1_700_000_000_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> harness;
    private String[] services;
    private long ts;
    private long step;

    /** The detector under test, watching {@link #metric()} of every service. */
    protected abstract MetricDetector detector();

    protected abstract String metric();

    /** The value of series {@code i} in interval {@code step}. */
    protected abstract double value(int i, long step);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(detector()),
                        MetricSample::seriesKey,
                        Types.STRING);
        harness.open();
        services = new String[SERIES];
        for (int i = 0; i < SERIES; i++) services[i] = "svc-" + i;
        ts = START;
        step = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void interval() throws Exception {
        ts += 10_000;
        step++;
        String metric = metric();
        for (int i = 0; i < SERIES; i++) {
            harness.processElement(
                    new MetricSample(ts, services[i], metric, value(i, step), Map.of()), ts);
        }
        harness.processWatermark(ts);
        harness.getOutput().clear();
    }
}
