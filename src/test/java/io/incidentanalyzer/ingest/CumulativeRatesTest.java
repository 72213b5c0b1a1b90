package io.incidentanalyzer.ingest;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.MetricSample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CumulativeRatesTest {

    static final long T0 = 1708072380000L;
    static final long START = (T0 - 3_600_000) * 1_000_000;

    static MetricSample total(long ts, double total, long start, String route) {
        Map<String, String> labels = new HashMap<>();
        labels.put("route", route);
        return CumulativeRates.mark(
                new MetricSample(ts, "web-app", "requests", total, labels), start);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, MetricSample, MetricSample>
            harness() throws Exception {
        // Not opened yet, so that a restore test can initialize it from a snapshot first.
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CumulativeRates()),
                new CumulativeRates.SeriesWithLabels(),
                Types.STRING);
    }

    private static void push(
            KeyedOneInputStreamOperatorTestHarness<String, MetricSample, MetricSample> h,
            MetricSample... samples)
            throws Exception {
        for (MetricSample s : samples) {
            h.processElement(new StreamRecord<>(s, s.ts()));
        }
    }

    @Test
    void turnsARunningTotalIntoARatePerSecondPerSeriesWithoutTheMark() throws Exception {
        try (var h = harness()) {
            h.open();
            push(
                    h,
                    total(T0, 1000, START, "/a"),
                    total(T0, 50, START, "/b"),
                    total(T0 + 10_000, 1250, START, "/a"),
                    total(T0 + 10_000, 60, START, "/b"));

            List<MetricSample> out = h.extractOutputValues();
            assertThat(out).extracting(MetricSample::value).containsExactly(25.0, 1.0);
            assertThat(out.get(0).labels()).isEqualTo(Map.of("route", "/a"));
            assertThat(out.get(0).metric()).isEqualTo("requests");
        }
    }

    @Test
    void aFallingTotalOrANewStartIsARestartCountedFromZero() throws Exception {
        try (var h = harness()) {
            h.open();
            push(
                    h,
                    total(T0, 1000, START, "/a"),
                    total(T0 + 10_000, 100, START, "/a"),
                    total(T0 + 20_000, 400, START + 1, "/a"));

            assertThat(h.extractOutputValues())
                    .extracting(MetricSample::value)
                    .containsExactly(10.0, 40.0);
        }
    }

    @Test
    void aPointNotAfterThePreviousIsDroppedNotTurnedIntoANegativeRate() throws Exception {
        try (var h = harness()) {
            h.open();
            push(h, total(T0, 1000, START, "/a"), total(T0, 900, START, "/a"));
            push(h, total(T0 - 5_000, 900, START, "/a"));

            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void thePreviousPointSurvivesASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            push(h, total(T0, 1000, START, "/a"));
            h.processWatermark(new Watermark(T0));
            snapshot = h.snapshot(1, T0);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            push(h, total(T0 + 10_000, 1100, START, "/a"));

            assertThat(h.extractOutputValues())
                    .extracting(MetricSample::value)
                    .containsExactly(10.0);
        }
    }

    @Test
    void theStateTypeIsAPojo() {
        assertSerializedAsPojoWithoutKryo(CumulativeRates.Point.class);
    }
}
