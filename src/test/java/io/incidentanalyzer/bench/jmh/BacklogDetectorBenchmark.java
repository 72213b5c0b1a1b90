package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.BacklogRule;
import io.incidentanalyzer.detect.BacklogDetector;
import io.incidentanalyzer.detect.BacklogState;
import io.incidentanalyzer.detect.MetricDetector;
import java.util.List;
import org.openjdk.jmh.annotations.Param;

/**
 * The backlog detector on {@value MetricDetectorBenchmark#SERIES} queue-depth series with the
 * default rule (10 s intervals, 4 steps): {@code flat} queues, or {@code growing} ones that hold an
 * open signal.
 */
public class BacklogDetectorBenchmark extends MetricDetectorBenchmark {
    @Param({"flat", "growing"})
    public String load;

    static BacklogRule rule() {
        return new BacklogRule(
                "queue", "*", "queue_depth", null, null, 50.0, 100.0, null, null, null);
    }

    @Override
    protected MetricDetector detector() {
        return new BacklogDetector("bench", List.of(rule()));
    }

    @Override
    protected String metric() {
        return "queue_depth";
    }

    @Override
    protected double value(int i, long step) {
        return load.equals("growing") ? 100 * step : 20 + (step % 3);
    }

    /** Checkpointed bytes of one series' state, printed for docs/benchmarks.md. */
    public static void main(String[] args) {
        BacklogState st = new BacklogState();
        st.steps = new double[rule().intervals() + 1];
        st.filled = st.steps.length;
        System.out.println("BacklogState bytes: " + StateBytes.of(BacklogState.class, st));
    }
}
