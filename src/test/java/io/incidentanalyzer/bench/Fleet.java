package io.incidentanalyzer.bench;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.MetricSample;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The synthetic fleet of {@link MemoryBenchmark}: {@code services} services of ten metrics each,
 * every series sampled once per interval with healthy noise around its own level, and the job file
 * that watches them with the metric detectors' generic rules (every service, no named ones). Seven
 * of the ten metrics are watched (three by saturation rules, three by baseline-shift rules, one by
 * the backlog rule); in-flight requests, disk and threads are read, routed and dropped, as
 * unwatched metrics of a real exporter are.
 */
final class Fleet {
    static final String[] METRICS = {
        "request_rate",
        "latency_p95_ms",
        "error_ratio",
        "cpu_utilization",
        "memory_utilization",
        "connection_pool_utilization",
        "queue_depth",
        "in_flight",
        "disk_utilization",
        "thread_count"
    };

    /** Metrics of {@link #METRICS} that a detector rule of {@link #jobYaml} watches. */
    static final int WATCHED = 7;

    /** 2026-01-05T00:00Z, a Monday: the fleet's first sample. */
    static final long T0 = 1_767_571_200_000L;

    private Fleet() {}

    static String service(int i) {
        return String.format(java.util.Locale.ROOT, "svc-%05d", i);
    }

    /**
     * The job file: every service listed with up to two dependencies on lower-numbered services (a
     * service graph of the fleet's size, as a deployment would configure it), and the metric
     * detectors' rules, all with {@code service: "*"}.
     */
    static String jobYaml(int services) {
        StringBuilder graph = new StringBuilder();
        for (int i = 0; i < services; i++) {
            graph.append("  ").append(service(i)).append(":");
            if (i == 0) {
                graph.append(" {}\n");
                continue;
            }
            int a = (int) (mix(i, 1) % i);
            int b = (int) (mix(i, 2) % i);
            graph.append(" {dependsOn: [").append(service(a));
            if (b != a) graph.append(", ").append(service(b));
            graph.append("]}\n");
        }
        return """
environment: fleet
kafka: {groupId: memory-bench, startingOffsets: earliest, delivery: exactly-once, checkpointInterval: 10s}
topics:
  metrics: {name: fleet.metrics, format: native-json}
  auth: {name: fleet.auth, format: native-json}
  logs: {name: fleet.logs, format: native-json}
  changes: {name: fleet.changes, format: native-json}
  incidents: fleet.incidents
  deadLetter: fleet.dead-letter
watermarks: {maxOutOfOrderness: 5s, idleTimeout: 30s}
services:
%s
detectors:
  saturation:
    - {name: service-cpu, service: "*", metric: cpu_utilization, ceiling: 90, sustain: 2m, clearBelow: 75, clearAfter: 2m, severity: major}
    - {name: service-connections, service: "*", metric: connection_pool_utilization, ceiling: 95, sustain: 60s, clearBelow: 80, clearAfter: 2m}
    - {name: service-memory, service: "*", metric: memory_utilization, ceiling: 92, sustain: 2m, clearBelow: 85, clearAfter: 5m}
  baselineShift:
    baseline: {}
    rules:
      - {name: latency, metric: latency_p95_ms, direction: up, minDeviation: 6, minChange: 0.2, minDelta: 2, sustain: 20s, relearnAfter: 1d}
      - {name: errors, metric: error_ratio, direction: up, minDeviation: 6, minChange: 1.0, minDelta: 0.01, sustain: 30s, relearnAfter: 1d}
      - {name: traffic, metric: request_rate, direction: both, minDeviation: 6, minChange: 0.3, sustain: 30s, severity: minor}
  backlog:
    - {name: queue, metric: queue_depth, interval: 10s, intervals: 4, minGrowth: 50, minDepth: 100}
"""
                .formatted(graph);
    }

    static JobConfig config(int services) {
        return JobConfigLoader.parse(jobYaml(services), "fleet-" + services + ".yaml");
    }

    /**
     * The value of metric {@code m} of service {@code s} at event time {@code ts} (step {@code
     * step} of the series): the series' own level, a daily swing for load-driven metrics and
     * triangular noise, deterministic in its arguments. Far from every rule's threshold.
     */
    static double value(int s, int m, long ts, long step) {
        double level = 0.2 + 0.8 * unit(mix(s, 100 + m));
        double noise = unit(mix(s * 16L + m, step)) + unit(mix(s * 16L + m, ~step)) - 1;
        double day = 1 + 0.3 * Math.sin(2 * Math.PI * ((ts - T0) % 86_400_000L) / 86_400_000.0);
        return switch (m) {
            case 0 -> Math.max(0, 500 * level * day * (1 + 0.05 * noise)); // requests/s
            case 1 -> 20 + 180 * level * (1 + 0.1 * day * noise); // ms
            case 2 -> 0.002 * level * (1 + 0.5 * noise); // share of failures
            case 3 -> 15 + 40 * level * day + 3 * noise; // %
            case 4 -> 40 + 30 * level + 1 * noise; // %
            case 5 -> 10 + 40 * level + 5 * noise; // %
            case 6 -> Math.max(0, Math.round(10 * level + 5 * noise)); // messages
            case 7 -> Math.max(0, 50 * level * day * (1 + 0.2 * noise));
            case 8 -> 30 + 40 * level + 0.01 * step / 360.0; // %, a slow fill
            default -> Math.round(100 + 200 * level + 5 * noise);
        };
    }

    /** SplitMix64's finalizer of two longs: a cheap, well-spread hash. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    private static double unit(long h) {
        return (h >>> 11) * 0x1.0p-52;
    }

    /**
     * Index {@code i} of the generator's sequence as a decoded sample: step {@code i / series},
     * then every series of the fleet in turn, so the samples come in event-time order, one per
     * series and interval, as the simulator writes them.
     */
    static final class Samples implements GeneratorFunction<Long, Decoded> {
        private static final long serialVersionUID = 1L;
        private final int services;
        private final long intervalMs;
        private transient String[] names;

        Samples(int services, long intervalMs) {
            this.services = services;
            this.intervalMs = intervalMs;
        }

        @Override
        public void open(SourceReaderContext context) {
            names = new String[services];
            for (int i = 0; i < services; i++) names[i] = service(i);
        }

        @Override
        public Decoded map(Long index) {
            long i = index;
            long series = (long) services * METRICS.length;
            long step = i / series;
            int k = (int) (i % series);
            int s = k / METRICS.length;
            int m = k % METRICS.length;
            long ts = T0 + step * intervalMs;
            MemoryBenchmark.Gate.generated = i + 1;
            return Decoded.of(
                    new MetricSample(ts, names[s], METRICS[m], value(s, m, ts, step), Map.of()));
        }
    }
}
