package io.incidentanalyzer.stream;

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
 * A subclass may instead handle some late elements ({@link #handlesBehindWatermark}): they wait for
 * the next instant the watermark has not passed and are handled there, before that instant's own
 * elements, in the order of {@link #eventTime} and then {@link #tieBreak()} (counted as {@code
 * handledBehindWatermark}).
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
    private transient MapState<Long, List<IN>> behind;
    private transient Counter lateEvents;
    private transient Counter handledBehind;

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

    /**
     * Puts the elements released at one instant in {@link #tieBreak()} order. A subclass may sort
     * faster, with the same result: elements {@link #tieBreak()} finds equal must then be alike in
     * everything {@link #onOrdered} reads.
     */
    protected void sortDue(List<IN> due) {
        due.sort(tieBreak());
    }

    /** A short description of a late element for its dead letter. */
    protected abstract String describe(IN element);

    /**
     * Whether an element the watermark has already passed is still handled, at the next instant,
     * instead of being dead-lettered; only for elements that are never wrong to accept (the
     * pipeline's own signals at the correlator). False unless overridden.
     */
    protected boolean handlesBehindWatermark(IN element) {
        return false;
    }

    /** An element's own event time: the order of elements handled behind the watermark. */
    protected long eventTime(IN element) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " handles elements behind the watermark: say when");
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        pending =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "pending",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(inputType))));
        behind =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "behind-watermark",
                                        Types.LONG,
                                        Types.LIST(TypeInformation.of(inputType))));
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        handledBehind = getRuntimeContext().getMetricGroup().counter("handledBehindWatermark");
    }

    @Override
    public final void processElement(IN value, Context ctx, Collector<OUT> out) throws Exception {
        long ts = ctx.timestamp();
        long watermark = ctx.timerService().currentWatermark();
        // After the final watermark no timer fires again: nothing can be handled any more.
        if (ts <= watermark && watermark < Long.MAX_VALUE && handlesBehindWatermark(value)) {
            handledBehind.inc();
            buffer(behind, watermark + 1, value, ctx);
            return;
        }
        if (ts <= watermark) {
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
        buffer(
                pending,
                Math.floorDiv(ts + granularityMs - 1, granularityMs) * granularityMs,
                value,
                ctx);
    }

    /** Keeps {@code value} in {@code buffer} until the timer at {@code due}. */
    private void buffer(MapState<Long, List<IN>> buffer, long due, IN value, Context ctx)
            throws Exception {
        List<IN> atDue = buffer.get(due);
        if (atDue == null) {
            atDue = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(due);
        }
        atDue.add(value);
        buffer.put(due, atDue);
    }

    @Override
    public final void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out)
            throws Exception {
        List<IN> overdue = behind.get(timestamp);
        if (overdue != null) {
            behind.remove(timestamp);
            overdue.sort(Comparator.comparingLong(this::eventTime).thenComparing(tieBreak()));
            for (IN element : overdue) {
                onOrdered(element, ctx, out);
            }
        }
        List<IN> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            sortDue(due);
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
        if (!pending.contains(timestamp) && !behind.contains(timestamp)) {
            ctx.timerService().deleteEventTimeTimer(timestamp);
        }
    }
}
