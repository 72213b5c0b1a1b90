package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.MetricSample;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed step after decoding that turns running totals (OTLP cumulative sums, and the count and
 * sum of cumulative histograms) into per-second rates. A decoder sees one record and keeps no
 * state, so it only marks such a sample ({@link #mark}, a reserved label holding the series' start
 * time); this step, keyed by the series with its labels, keeps the previous point and emits {@code
 * (total - previous) / seconds between them} under the same metric name, the mark removed.
 *
 * <p>A series' first point gives no rate (there is nothing to subtract). A total that falls, or a
 * new start time, is a restart: the increase is the new total, as Prometheus's rate() counts it. A
 * point not after the previous one is dropped and counted ({@code cumulativeOutOfOrder}). Only
 * formats that can mark samples put this step in the pipeline.
 *
 * <p>State: one point per series. A series that stops keeps its point until the TTL (a day of
 * processing time) removes it: a leak bounded by the number of series seen in a day.
 */
public final class CumulativeRates
        extends KeyedProcessFunction<String, MetricSample, MetricSample> {
    private static final long serialVersionUID = 1L;

    /** The reserved label of a running total; its value is the start time in Unix nanoseconds. */
    public static final String START_LABEL = "__cumulative_start_unix_nano";

    /** The previous point of one series. */
    public record Point(long ts, long start, double total) {}

    private transient ValueState<Point> last;
    private transient Counter outOfOrder;
    private transient Counter restarts;

    /** {@code s} marked as a running total that started at {@code startUnixNano} (0: unknown). */
    public static MetricSample mark(MetricSample s, long startUnixNano) {
        Map<String, String> labels = new HashMap<>(s.labels());
        labels.put(START_LABEL, Long.toString(startUnixNano));
        return new MetricSample(s.ts(), s.service(), s.metric(), s.value(), labels);
    }

    public static boolean isMarked(MetricSample s) {
        return s.labels().containsKey(START_LABEL);
    }

    public static ValueStateDescriptor<Point> descriptor() {
        ValueStateDescriptor<Point> d = new ValueStateDescriptor<>("cumulative-last", Point.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(1)).build());
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        last = getRuntimeContext().getState(descriptor());
        outOfOrder = getRuntimeContext().getMetricGroup().counter("cumulativeOutOfOrder");
        restarts = getRuntimeContext().getMetricGroup().counter("cumulativeRestarts");
    }

    @Override
    public void processElement(MetricSample s, Context ctx, Collector<MetricSample> out)
            throws Exception {
        Map<String, String> labels = new HashMap<>(s.labels());
        long start = parse(labels.remove(START_LABEL));
        Point prev = last.value();
        if (prev != null && s.ts() <= prev.ts()) {
            outOfOrder.inc();
            return;
        }
        last.update(new Point(s.ts(), start, s.value()));
        if (prev == null) {
            return;
        }
        double increase = s.value() - prev.total();
        long from = prev.ts();
        boolean restarted =
                increase < 0 || (start != 0 && prev.start() != 0 && start != prev.start());
        if (restarted) {
            restarts.inc();
            increase = s.value();
            long startMs = start / 1_000_000;
            if (startMs > from && startMs < s.ts()) {
                from = startMs;
            }
        }
        double seconds = (s.ts() - from) / 1000.0;
        out.collect(new MetricSample(s.ts(), s.service(), s.metric(), increase / seconds, labels));
    }

    private static long parse(String start) {
        if (start == null) return 0;
        try {
            return Long.parseLong(start);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Keys a running total by its series and all its labels but the mark. */
    public static final class SeriesWithLabels implements KeySelector<MetricSample, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(MetricSample s) {
            TreeMap<String, String> sorted = new TreeMap<>(s.labels());
            sorted.remove(START_LABEL);
            return s.seriesKey() + sorted;
        }
    }

    /** Keeps the marked samples (or, negated, the others). */
    public static final class Marked implements FilterFunction<MetricSample> {
        private static final long serialVersionUID = 1L;
        private final boolean marked;

        public Marked(boolean marked) {
            this.marked = marked;
        }

        @Override
        public boolean filter(MetricSample s) {
            return isMarked(s) == marked;
        }
    }
}
