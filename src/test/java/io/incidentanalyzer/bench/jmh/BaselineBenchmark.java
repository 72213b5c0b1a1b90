package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.detect.baseline.Baseline;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.baseline.Score;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baseline core alone: ns per {@link Baseline#update} of one series sampled every 10 s (the
 * job's metric interval), with the default seasonal setting or seasonality off. The state is warmed
 * with three days of samples first, so seasonal slots are in use.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BaselineBenchmark {
    static final long STEP_MS = 10_000;
    static final int WARM_SAMPLES = 3 * 24 * 360;

    @Param({"seasonal", "flat"})
    public String setting;

    private Baseline baseline;
    private BaselineState state;
    private double[] values;
    private int next;
    private long ts;

    static BaselineSettings settings(String name) {
        BaselineSettings d = BaselineSettings.DEFAULTS;
        return name.equals("flat")
                ? new BaselineSettings(
                        d.halfLife(),
                        d.warmup(),
                        Duration.ZERO,
                        d.seasonBins(),
                        d.seasonMinPeriods(),
                        d.relativeFloor(),
                        d.tailMemory(),
                        d.shiftConfirm())
                : d;
    }

    /** A daily shape with noise and a spike now and then. */
    static double[] series(int n) {
        Random rng = new Random(42);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double hour = (i * STEP_MS / 3_600_000.0) % 24;
            double spike = rng.nextInt(5000) == 0 ? 200 : 0;
            v[i] =
                    250
                            - 150 * Math.cos(2 * Math.PI * (hour - 3) / 24)
                            + 5 * rng.nextGaussian()
                            + spike;
        }
        return v;
    }

    static BaselineState warmed(Baseline baseline, double[] values, long t0) {
        BaselineState s = new BaselineState();
        for (int i = 0; i < WARM_SAMPLES; i++)
            baseline.update(s, t0 + i * STEP_MS, values[i % values.length]);
        return s;
    }

    @Setup(Level.Trial)
    public void setUp() {
        baseline = new Baseline(settings(setting));
        values = series(1 << 16);
        ts = 1_700_000_000_000L;
        state = warmed(baseline, values, ts);
        ts += WARM_SAMPLES * STEP_MS;
    }

    @Benchmark
    public Score update() {
        ts += STEP_MS;
        double v = values[next];
        next = (next + 1) & (values.length - 1);
        return baseline.update(state, ts, v);
    }

    /** Checkpointed bytes of one warmed series' state, printed for docs/benchmarks.md. */
    public static void main(String[] args) {
        for (String name : new String[] {"seasonal", "flat"}) {
            BaselineState s =
                    warmed(new Baseline(settings(name)), series(1 << 16), 1_700_000_000_000L);
            System.out.println(
                    "BaselineState bytes ("
                            + name
                            + "): "
                            + StateBytes.of(BaselineState.class, s)
                            + " checkpointed, "
                            + s.approximateBytes()
                            + " on the heap");
        }
    }
}
