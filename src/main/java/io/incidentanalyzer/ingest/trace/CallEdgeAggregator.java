package io.incidentanalyzer.ingest.trace;

import io.incidentanalyzer.model.CallEdge;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.EdgeMetrics;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.ServiceEdge;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the calls of one edge (caller → callee, the key) into metric samples of the caller per
 * event-time bucket of {@link #BUCKET}: {@link EdgeMetrics#RATE}, {@link EdgeMetrics#FAILED_SHARE}
 * and the latency quantiles p50, p90, p99 in seconds, each named with the callee ({@link
 * EdgeMetrics#name}). A bucket is emitted when the watermark passes its end, dated at its end; a
 * bucket without calls emits nothing. The metric detectors read these like any other sample.
 *
 * <p>The edge itself is the learned service graph: the first time one of its buckets is emitted it
 * goes to {@link #LEARNED} once, marked declared or not against the job file's {@code dependsOn};
 * an undeclared one is logged. A call whose bucket was already emitted is late: a dead letter on
 * {@link EventTimeOrderedFunction#LATE}, never folded into another bucket.
 *
 * <p>Latency quantiles come from a log-scale histogram (buckets 5 % apart, the value read at a
 * bucket's geometric middle, so within 2.5 %), which bounds the state of a busy edge to a few
 * hundred counters per open bucket; the state of a bucket is removed when it is emitted.
 */
public final class CallEdgeAggregator extends KeyedProcessFunction<String, CallEdge, MetricSample> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CallEdgeAggregator.class);

    /** The time bucket of the edge metrics. */
    public static final Duration BUCKET = Duration.ofSeconds(30);

    /** Edges as they are first seen, against the job file's graph. */
    public static final OutputTag<ServiceEdge> LEARNED = new OutputTag<>("learned-edges") {};

    static final double[] QUANTILES = {0.5, 0.9, 0.99};
    private static final double GROWTH = 1.05;
    private static final double LOG_GROWTH = Math.log(GROWTH);
    private static final double MIN_MS = 0.001;

    /** caller → callees, as the job file declares them. */
    private final TreeMap<String, TreeSet<String>> declared = new TreeMap<>();

    private transient MapState<Long, EdgeBucket> buckets;
    private transient ValueState<Boolean> seen;
    private transient Counter learned;
    private transient Counter undeclared;
    private transient Counter lateCalls;

    /** The calls of one edge in one bucket. A Flink POJO. */
    public static final class EdgeBucket {
        public String caller;
        public String callee;
        public long calls;
        public long errors;

        /** Histogram bucket index → calls; see the class comment. */
        public Map<Integer, Long> latency = new HashMap<>();

        public EdgeBucket() {}
    }

    /**
     * @param dependsOn the job file's graph, each service's callees
     */
    public CallEdgeAggregator(Map<String, ? extends Collection<String>> dependsOn) {
        dependsOn.forEach((caller, callees) -> declared.put(caller, new TreeSet<>(callees)));
    }

    @Override
    public void open(OpenContext openContext) {
        buckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "edge-buckets",
                                        Types.LONG,
                                        TypeInformation.of(EdgeBucket.class)));
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("edge-seen", Types.BOOLEAN));
        learned = getRuntimeContext().getMetricGroup().counter("edgesLearned");
        undeclared = getRuntimeContext().getMetricGroup().counter("edgesUndeclared");
        lateCalls = getRuntimeContext().getMetricGroup().counter("lateCalls");
    }

    @Override
    public void processElement(CallEdge call, Context ctx, Collector<MetricSample> out)
            throws Exception {
        long size = BUCKET.toMillis();
        long start = Math.floorDiv(call.ts(), size) * size;
        long end = start + size;
        if (end <= ctx.timerService().currentWatermark()) {
            lateCalls.inc();
            ctx.output(
                    EventTimeOrderedFunction.LATE,
                    new DeadLetter(
                            RejectReason.LATE_EVENT,
                            "call " + call.edge() + " after its bucket was emitted",
                            "traces",
                            -1,
                            -1,
                            call.toString(),
                            "utf-8"));
            return;
        }
        EdgeBucket b = buckets.get(start);
        if (b == null) {
            b = new EdgeBucket();
            b.caller = call.caller();
            b.callee = call.callee();
            ctx.timerService().registerEventTimeTimer(end);
        }
        b.calls++;
        if (call.error()) b.errors++;
        b.latency.merge(index(call.durationMs()), 1L, Long::sum);
        buckets.put(start, b);
    }

    @Override
    public void onTimer(long end, OnTimerContext ctx, Collector<MetricSample> out)
            throws Exception {
        long start = end - BUCKET.toMillis();
        EdgeBucket b = buckets.get(start);
        if (b == null) return;
        buckets.remove(start);
        for (MetricSample s : samples(b, end)) {
            out.collect(s);
        }
        if (seen.value() == null) {
            seen.update(true);
            boolean isDeclared =
                    declared.getOrDefault(b.caller, new TreeSet<>()).contains(b.callee);
            learned.inc();
            if (!isDeclared) {
                undeclared.inc();
                LOG.info(
                        "Traces show calls {} -> {}, an edge the job file's dependsOn does not"
                                + " name",
                        b.caller,
                        b.callee);
            }
            ctx.output(LEARNED, new ServiceEdge(b.caller, b.callee, end, isDeclared));
        }
    }

    /** The samples of one bucket, dated at its end. */
    static List<MetricSample> samples(EdgeBucket b, long end) {
        double seconds = BUCKET.toMillis() / 1000.0;
        List<MetricSample> out = new java.util.ArrayList<>();
        out.add(sample(b, end, EdgeMetrics.RATE, b.calls / seconds));
        out.add(sample(b, end, EdgeMetrics.FAILED_SHARE, (double) b.errors / b.calls));
        TreeMap<Integer, Long> sorted = new TreeMap<>(b.latency);
        for (double q : QUANTILES) {
            out.add(
                    sample(
                            b,
                            end,
                            EdgeMetrics.LATENCY + ".p" + Math.round(q * 100),
                            quantileMs(sorted, b.calls, q) / 1000.0));
        }
        return out;
    }

    private static MetricSample sample(EdgeBucket b, long end, String base, double value) {
        Map<String, String> labels = new HashMap<>();
        labels.put("callee", b.callee);
        return new MetricSample(end, b.caller, EdgeMetrics.name(base, b.callee), value, labels);
    }

    /** The histogram bucket of a duration: the first whose upper bound holds it. */
    static int index(double ms) {
        double v = Double.isNaN(ms) ? MIN_MS : Math.max(MIN_MS, ms);
        return (int) Math.ceil(Math.log(v / MIN_MS) / LOG_GROWTH);
    }

    /** The {@code q} quantile, read at the geometric middle of the histogram bucket holding it. */
    static double quantileMs(TreeMap<Integer, Long> histogram, long total, double q) {
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        int at = 0;
        for (Map.Entry<Integer, Long> e : histogram.entrySet()) {
            seen += e.getValue();
            at = e.getKey();
            if (seen >= rank) break;
        }
        return at == 0 ? MIN_MS : MIN_MS * Math.pow(GROWTH, at - 0.5);
    }
}
