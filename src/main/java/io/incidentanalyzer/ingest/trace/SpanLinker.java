package io.incidentanalyzer.ingest.trace;

import io.incidentanalyzer.ingest.InputRouter;
import io.incidentanalyzer.model.CallEdge;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Span;
import java.time.Duration;
import java.util.Map;
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

/**
 * Pairs a trace's spans into calls between services, keyed by trace id: a span whose parent was
 * recorded by another service is a call from the parent's service to its own (the caller's CLIENT
 * span and the callee's SERVER span, or any two spans across a service boundary), and a CLIENT or
 * PRODUCER span naming its {@code peer.service} is a call to that peer (a datastore or a vendor
 * that records no spans). A call counted through {@code peer.service} is not counted again when the
 * peer's own span arrives.
 *
 * <p>A pair is emitted when its second span arrives, whichever that is, dated at the later of the
 * two spans' ends, so the output does not depend on arrival order. The trace's spans are kept until
 * the watermark passes {@link #LINGER} after the latest of them (one event-time timer per trace,
 * moved forward as spans come), then cleared: a span arriving later than that starts over and its
 * parent is no longer found (counted as {@code spansWithoutParent} only when the parent is never
 * seen; such a span is simply no call). A trace holding more than {@link #MAX_SPANS} spans keeps no
 * more: the rest are dead letters.
 */
public final class SpanLinker extends KeyedProcessFunction<String, Span, CallEdge> {
    private static final long serialVersionUID = 1L;

    /** How long after a trace's latest span its spans wait for their partners. */
    public static final Duration LINGER = Duration.ofMinutes(2);

    /** Spans kept per trace; bounds the state and the scan each span costs. */
    public static final int MAX_SPANS = 2000;

    private transient MapState<String, Span> spans;
    private transient ValueState<Long> cleanup;
    private transient ValueState<Integer> count;
    private transient Counter calls;
    private transient Counter overLimit;

    @Override
    public void open(OpenContext openContext) {
        spans =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "trace-spans",
                                        Types.STRING,
                                        TypeInformation.of(Span.class)));
        cleanup =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("trace-cleanup", Types.LONG));
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("trace-size", Types.INT));
        calls = getRuntimeContext().getMetricGroup().counter("callsLinked");
        overLimit = getRuntimeContext().getMetricGroup().counter("spansOverTraceLimit");
    }

    @Override
    public void processElement(Span x, Context ctx, Collector<CallEdge> out) throws Exception {
        if (spans.contains(x.spanId())) {
            return; // the same span again (an at-least-once producer): counted once
        }
        int n = count.value() == null ? 0 : count.value();
        if (n >= MAX_SPANS) {
            overLimit.inc();
            ctx.output(
                    InputRouter.REJECTED,
                    new DeadLetter(
                            RejectReason.BAD_VALUE,
                            "trace " + x.traceId() + " holds over " + MAX_SPANS + " spans",
                            "traces",
                            -1,
                            -1,
                            x.toString(),
                            "utf-8"));
            return;
        }
        if (x.callsPeer() && !x.peer().equals(x.service())) {
            emit(out, new CallEdge(x.ts(), x.service(), x.peer(), x.durationMs(), x.error()));
        }
        Span parent = x.parentSpanId().isEmpty() ? null : spans.get(x.parentSpanId());
        if (parent != null) {
            pair(parent, x, out);
        }
        for (Map.Entry<String, Span> e : spans.entries()) {
            Span child = e.getValue();
            if (child.parentSpanId().equals(x.spanId())) {
                pair(x, child, out);
            }
        }
        spans.put(x.spanId(), x);
        count.update(n + 1);

        long at = ctx.timestamp() + LINGER.toMillis();
        Long current = cleanup.value();
        if (current == null || at > current) {
            if (current != null) ctx.timerService().deleteEventTimeTimer(current);
            ctx.timerService().registerEventTimeTimer(at);
            cleanup.update(at);
        }
    }

    /** The call from {@code parent}'s service to {@code child}'s, if they differ. */
    private void pair(Span parent, Span child, Collector<CallEdge> out) {
        if (parent.service().equals(child.service()) || parent.callsPeer()) {
            return;
        }
        long ts = Math.max(parent.ts(), child.ts());
        // The caller's own span times the call as the caller saw it, network included.
        CallEdge call =
                parent.callerSide()
                        ? new CallEdge(
                                ts,
                                parent.service(),
                                child.service(),
                                parent.durationMs(),
                                parent.error() || child.error())
                        : new CallEdge(
                                ts,
                                parent.service(),
                                child.service(),
                                child.durationMs(),
                                child.error());
        emit(out, call);
    }

    private void emit(Collector<CallEdge> out, CallEdge call) {
        calls.inc();
        out.collect(call);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CallEdge> out)
            throws Exception {
        Long current = cleanup.value();
        if (current != null && current == timestamp) {
            spans.clear();
            cleanup.clear();
            count.clear();
        }
    }
}
