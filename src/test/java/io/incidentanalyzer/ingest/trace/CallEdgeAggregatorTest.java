package io.incidentanalyzer.ingest.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.incidentanalyzer.model.CallEdge;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.ServiceEdge;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CallEdgeAggregatorTest {

    /** A bucket boundary. */
    static final long T0 = 1708072380000L;

    static final long BUCKET = CallEdgeAggregator.BUCKET.toMillis();

    private static KeyedOneInputStreamOperatorTestHarness<String, CallEdge, MetricSample> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CallEdgeAggregator(Map.of("frontend", List.of("checkout")))),
                (KeySelector<CallEdge, String>) CallEdge::edge,
                Types.STRING);
    }

    private static CallEdge call(String caller, String callee, long ts, double ms, boolean error) {
        return new CallEdge(ts, caller, callee, ms, error);
    }

    private static void push(
            KeyedOneInputStreamOperatorTestHarness<String, CallEdge, MetricSample> h,
            CallEdge... calls)
            throws Exception {
        for (CallEdge c : calls) h.processElement(new StreamRecord<>(c, c.ts()));
    }

    private static Map<String, Double> byMetric(List<MetricSample> samples) {
        Map<String, Double> out = new TreeMap<>();
        for (MetricSample s : samples) out.put(s.metric(), s.value());
        return out;
    }

    @Test
    void aBucketsCallsBecomeTheCallersEdgeMetricsAtTheBucketsEnd() throws Exception {
        try (var h = harness()) {
            h.open();
            for (int i = 0; i < 100; i++) {
                // 1 … 100 ms; every tenth call fails.
                push(h, call("frontend", "checkout", T0 + i * 100, i + 1, i % 10 == 0));
            }
            h.processWatermark(new Watermark(T0 + BUCKET - 1));
            assertThat(h.extractOutputValues()).as("not before the bucket ends").isEmpty();

            h.processWatermark(new Watermark(T0 + BUCKET));
            List<MetricSample> out = h.extractOutputValues();
            assertThat(out)
                    .allSatisfy(
                            s -> {
                                assertThat(s.service()).isEqualTo("frontend");
                                assertThat(s.ts()).isEqualTo(T0 + BUCKET);
                                assertThat(s.labels()).containsEntry("callee", "checkout");
                            });
            Map<String, Double> m = byMetric(out);
            assertThat(m)
                    .containsOnlyKeys(
                            "call.rate{callee=checkout}",
                            "call.error.ratio{callee=checkout}",
                            "call.latency.p50{callee=checkout}",
                            "call.latency.p90{callee=checkout}",
                            "call.latency.p99{callee=checkout}");
            assertThat(m.get("call.rate{callee=checkout}")).isEqualTo(100.0 / (BUCKET / 1000.0));
            assertThat(m.get("call.error.ratio{callee=checkout}")).isEqualTo(0.1);
            assertThat(m.get("call.latency.p50{callee=checkout}"))
                    .isCloseTo(0.050, within(0.050 * 0.03));
            assertThat(m.get("call.latency.p99{callee=checkout}"))
                    .isCloseTo(0.099, within(0.099 * 0.03));

            assertThat(h.numKeyedStateEntries())
                    .as("only the edge's seen mark is left")
                    .isEqualTo(1);
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anEdgeIsLearnedOnceAndMarkedAgainstTheDeclaredGraph() throws Exception {
        try (var h = harness()) {
            h.open();
            push(
                    h,
                    call("frontend", "checkout", T0, 5, false),
                    call("frontend", "cart", T0, 5, false));
            h.processWatermark(new Watermark(T0 + BUCKET));
            push(h, call("frontend", "cart", T0 + BUCKET, 5, false));
            h.processWatermark(new Watermark(T0 + 2 * BUCKET));

            assertThat(h.getSideOutput(CallEdgeAggregator.LEARNED))
                    .extracting(StreamRecord::getValue)
                    .containsExactlyInAnyOrder(
                            new ServiceEdge("frontend", "checkout", T0 + BUCKET, true),
                            new ServiceEdge("frontend", "cart", T0 + BUCKET, false));
        }
    }

    @Test
    void aCallWhoseBucketWasEmittedIsALateDeadLetterNotAnotherBucketsCall() throws Exception {
        try (var h = harness()) {
            h.open();
            push(h, call("frontend", "checkout", T0, 5, false));
            h.processWatermark(new Watermark(T0 + BUCKET));
            h.extractOutputValues();
            push(h, call("frontend", "checkout", T0 + BUCKET - 1, 5, false));
            h.processWatermark(new Watermark(T0 + 2 * BUCKET));

            assertThat(h.getSideOutput(EventTimeOrderedFunction.LATE))
                    .extracting(StreamRecord::getValue)
                    .extracting(DeadLetter::reason)
                    .containsExactly(RejectReason.LATE_EVENT);
        }
    }

    @Test
    void quantilesAreWithinTheHistogramsResolution() {
        TreeMap<Integer, Long> histogram = new TreeMap<>();
        for (double ms : new double[] {0.2, 3, 17, 250, 4000}) {
            histogram.merge(CallEdgeAggregator.index(ms), 1L, Long::sum);
        }
        assertThat(CallEdgeAggregator.quantileMs(histogram, 5, 0.5))
                .isCloseTo(17, within(17 * 0.026));
        assertThat(CallEdgeAggregator.quantileMs(histogram, 5, 0.99))
                .isCloseTo(4000, within(4000 * 0.026));
        assertThat(CallEdgeAggregator.quantileMs(histogram, 5, 0.01))
                .isCloseTo(0.2, within(0.2 * 0.026));
    }
}
