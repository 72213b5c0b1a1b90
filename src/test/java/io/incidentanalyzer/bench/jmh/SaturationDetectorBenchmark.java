package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.SaturationRule;
import io.incidentanalyzer.detect.MetricDetector;
import io.incidentanalyzer.detect.SaturationDetector;
import io.incidentanalyzer.detect.SaturationEpisode;
import io.incidentanalyzer.model.Severity;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Param;

/**
 * The saturation detector on {@value MetricDetectorBenchmark#SERIES} CPU series: {@code healthy}
 * ones (no state kept) or series held at the ceiling (an open episode per key).
 */
public class SaturationDetectorBenchmark extends MetricDetectorBenchmark {
    @Param({"healthy", "saturated"})
    public String load;

    @Override
    protected MetricDetector detector() {
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
        return new SaturationDetector("bench", List.of(rule));
    }

    @Override
    protected String metric() {
        return "cpu_utilization";
    }

    @Override
    protected double value(int i, long step) {
        return load.equals("healthy") ? 40 : 99;
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
