package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.SaturationRule;
import io.incidentanalyzer.detect.SaturationDetector;
import io.incidentanalyzer.detect.SaturationEpisode;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import java.time.Duration;
import java.util.List;
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
 * The saturation detector in Flink's operator harness (heap state, event-time timers): ns per
 * sample, with the series {@code healthy} (no state kept) or held at the ceiling (an open episode
 * per key). One invocation is one 10 s interval of {@value #SERIES} series and a watermark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SaturationDetectorBenchmark {
    static final int SERIES = 1000;

    @Param({"healthy", "saturated"})
    public String load;

    private KeyedOneInputStreamOperatorTestHarness<String, MetricSample, Signal> harness;
    private MetricSample[] interval;
    private long ts;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SaturationRule rule =
                new SaturationRule(
                        "cpu",
                        "*",
                        "cpu_utilization",
                        95.0,
                        Duration.ofSeconds(60),
                        80.0,
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(5),
                        Severity.MAJOR);
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new SaturationDetector("bench", List.of(rule))),
                        MetricSample::seriesKey,
                        Types.STRING);
        harness.open();
        double value = load.equals("healthy") ? 40 : 99;
        interval = new MetricSample[SERIES];
        for (int i = 0; i < SERIES; i++) {
            interval[i] = new MetricSample(0, "svc-" + i, "cpu_utilization", value, Map.of());
        }
        ts = 1_700_000_000_000L;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void interval() throws Exception {
        ts += 10_000;
        for (MetricSample s : interval) {
            harness.processElement(
                    new MetricSample(ts, s.service(), s.metric(), s.value(), s.labels()), ts);
        }
        harness.processWatermark(ts);
        harness.getOutput().clear();
    }

    /** Checkpointed bytes of one key's episode, printed for docs/benchmarks.md. */
    public static void main(String[] args) {
        SaturationEpisode e = new SaturationEpisode();
        e.service = "token-verification";
        e.metric = "cpu_utilization";
        e.signalId = "saturation:watermelon-prod:token-verification/cpu_utilization:1708068360000";
        System.out.println("SaturationEpisode bytes: " + StateBytes.of(SaturationEpisode.class, e));
    }
}
