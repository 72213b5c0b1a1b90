package io.incidentanalyzer.detect;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.RejectReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Base of the keyed, stateful steps (detectors, correlator): hands each key's elements to {@link
 * #onOrdered} in event-time order, whatever order they arrived in. Elements wait in keyed state
 * until the watermark passes their timestamp; one timer per distinct timestamp releases them. This
 * is what makes a run deterministic: the same input, shuffled within the allowed out-of-orderness,
 * gives the same output. Elements with the same timestamp are ordered by {@link #tieBreak()}.
 *
 * <p>An element that arrives after the watermark passed its timestamp is late: it goes to the
 * {@link #LATE} side output (and from there to the dead-letter topic) with a counter, never
 * silently dropped. The buffer holds at most the elements of one out-of-orderness interval per key.
 *
 * <p>A busy key pays for one timer per distinct millisecond. A subclass may buffer by a coarser
 * {@code granularityMs} instead: elements then wait until the watermark passes the end of their
 * granule ({@code ts} rounded up), one timer per granule, and are released in {@link #tieBreak()}
 * order, which must then order by the element's own event time first; {@code ctx.timestamp()} in
 * {@link #onOrdered} is the granule's end, not the element's time.
 */
public abstract class EventTimeOrderedFunction<IN, OUT>
        extends KeyedProcessFunction<String, IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** Late elements, as dead letters. */
    public static final OutputTag<DeadLetter> LATE = new OutputTag<>("late-events") {};

    private final Class<IN> inputType;
    private final long granularityMs;
    private transient MapState<Long, List<IN>> pending;
    private transient Counter lateEvents;

    protected EventTimeOrderedFunction(Class<IN> inputType) {
        this(inputType, 1);
    }

    /** Buffers by granules of {@code granularityMs} of event time (see the class comment). */
    protected EventTimeOrderedFunction(Class<IN> inputType, long granularityMs) {
        if (granularityMs < 1) throw new IllegalArgumentException("granularity below 1 ms");
        this.inputType = inputType;
        this.granularityMs = granularityMs;
    }

    /** Orders elements that share a timestamp, so that their order never depends on arrival. */
    protected abstract Comparator<IN> tieBreak();

    /**
     * Handles one element, called in event-time order; {@code ctx.timestamp()} is its time (with a
     * granularity: the end of its granule).
     */
    protected abstract void onOrdered(IN element, OnTimerContext ctx, Collector<OUT> out)
            throws Exception;

    /**
     * Called for every timer after the elements of that timestamp have been handled, including
     * timers a subclass registered itself.
     */
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<OUT> out)
            throws Exception {}

    /** A short description of a late element for its dead letter. */
    protected abstract String describe(IN element);

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(inputType))));
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
    }

    @Override
    public final void processElement(IN value, Context ctx, Collector<OUT> out) throws Exception {
        long ts = ctx.timestamp();
        if (ts <= ctx.timerService().currentWatermark()) {
            lateEvents.inc();
            ctx.output(
                    LATE,
                    new DeadLetter(
                            RejectReason.LATE_EVENT,
                            "event time "
                                    + java.time.Instant.ofEpochMilli(ts)
                                    + " is behind the watermark "
                                    + java.time.Instant.ofEpochMilli(
                                            ctx.timerService().currentWatermark())
                                    + "; raise watermarks.maxOutOfOrderness if this is normal",
                            getClass().getSimpleName(),
                            -1,
                            -1,
                            describe(value),
                            "utf-8"));
            return;
        }
        long due = Math.floorDiv(ts + granularityMs - 1, granularityMs) * granularityMs;
        List<IN> atDue = pending.get(due);
        if (atDue == null) {
            atDue = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(due);
        }
        atDue.add(value);
        pending.put(due, atDue);
    }

    @Override
    public final void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out)
            throws Exception {
        List<IN> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            due.sort(tieBreak());
            for (IN element : due) {
                onOrdered(element, ctx, out);
            }
        }
        onTick(timestamp, ctx, out);
    }

    /**
     * Deletes a timer the subclass registered, unless elements wait for the same instant: Flink
     * keeps one timer per key and timestamp, so deleting it would strand them.
     */
    protected void deleteOwnTimer(OnTimerContext ctx, long timestamp) throws Exception {
        if (!pending.contains(timestamp)) {
            ctx.timerService().deleteEventTimeTimer(timestamp);
        }
    }
}
