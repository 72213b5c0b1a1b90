package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.BaselineConfig;
import io.incidentanalyzer.config.BaselineShiftRule;
import io.incidentanalyzer.config.BaselineShiftSettings;
import io.incidentanalyzer.detect.BaselineShiftDetector;
import io.incidentanalyzer.detect.BaselineShiftState;
import io.incidentanalyzer.detect.MetricDetector;
import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Param;

/**
 * The baseline-shift detector on {@value MetricDetectorBenchmark#SERIES} latency series with the
 * job's default baseline (seasonal, 24 slots): {@code steady} series are scored and learned every
 * sample; {@code shifted} ones hold an open signal (scored, not learned).
 */
public class BaselineShiftDetectorBenchmark extends MetricDetectorBenchmark {
    @Param({"steady", "shifted"})
    public String load;

    private final SplittableRandom noise = new SplittableRandom(1);

    static BaselineShiftSettings settings() {
        BaselineShiftRule rule =
                new BaselineShiftRule(
                        "latency",
                        "*",
                        "latency_p95_ms",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        return new BaselineShiftSettings(
                new BaselineConfig(null, null, null, null, null, null, null, null, null, null),
                null,
                List.of(rule),
                null,
                null);
    }

    @Override
    protected MetricDetector detector() {
        return new BaselineShiftDetector("bench", settings());
    }

    @Override
    protected String metric() {
        return "latency_p95_ms";
    }

    @Override
    protected double value(int i, long step) {
        // 60 warm-up intervals at 100 ms, then either more of the same or 5 times that.
        double level = load.equals("shifted") && step > 60 ? 500 : 100;
        return level * (1 + 0.02 * noise.nextDouble());
    }

    /** Checkpointed bytes of one series' state once warm, printed for docs/benchmarks.md. */
    public static void main(String[] args) {
        Baseline baseline = new Baseline(BaselineSettings.from(settings().baseline()));
        BaselineShiftState st = new BaselineShiftState();
        for (int i = 0; i < 10_000; i++) {
            baseline.update(st.baseline, START + i * 10_000L, 100 + i % 7);
        }
        System.out.println(
                "BaselineShiftState bytes (seasonal, warm): "
                        + StateBytes.of(BaselineShiftState.class, st));
    }
}
