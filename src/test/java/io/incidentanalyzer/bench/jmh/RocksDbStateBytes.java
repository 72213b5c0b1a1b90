package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.detect.BaselineShiftDetector;
import io.incidentanalyzer.model.MetricSample;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Checkpointed bytes per series of the baseline-shift detector after 30, 60 and 120 samples, heap
 * against RocksDB (full, non-incremental snapshots), in the operator harness: docs/benchmarks.md
 * ("Memory for 10,000 services × 10 metrics") uses it to show that RocksDB's checkpoint size
 * follows its uncompacted files, not the live state. Not a test; run its main.
 */
public final class RocksDbStateBytes {
    private RocksDbStateBytes() {}

    public static void main(String[] a) throws Exception {
        for (String backend : new String[] {"hashmap", "rocksdb"}) {
            for (int steps : new int[] {30, 60, 120}) {
                var h =
                        new KeyedOneInputStreamOperatorTestHarness<
                                String, MetricSample, io.incidentanalyzer.model.Signal>(
                                new KeyedProcessOperator<>(
                                        new BaselineShiftDetector(
                                                "bench",
                                                BaselineShiftDetectorBenchmark.settings())),
                                MetricSample::seriesKey,
                                Types.STRING);
                h.setStateBackend(
                        backend.equals("rocksdb")
                                ? new EmbeddedRocksDBStateBackend(false)
                                : new HashMapStateBackend());
                h.open();
                long ts = 1_700_000_000_000L;
                java.util.SplittableRandom r = new java.util.SplittableRandom(1);
                for (int s = 0; s < steps; s++) {
                    ts += 10_000;
                    for (int i = 0; i < 100; i++)
                        h.processElement(
                                new MetricSample(
                                        ts,
                                        "svc-" + i,
                                        "latency_p95_ms",
                                        100 * (1 + 0.02 * r.nextDouble()),
                                        Map.of()),
                                ts);
                    h.processWatermark(ts);
                }
                OperatorSubtaskState st = h.snapshot(1, ts);
                long size =
                        st.getManagedKeyedState().stream().mapToLong(x -> x.getStateSize()).sum();
                System.out.println(backend + " steps=" + steps + " bytes per series=" + size / 100);
                h.close();
            }
        }
    }
}
