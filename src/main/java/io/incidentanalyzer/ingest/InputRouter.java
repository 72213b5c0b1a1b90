package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.Span;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits one input's decoded envelopes into its typed event stream and the {@link #REJECTED} side
 * output, counting both: {@code eventsIn} and {@code rejects} per reason, under the group {@code
 * stream=<name>}. Every reason's counter exists from the start, so a dashboard shows a zero rather
 * than a gap.
 */
public final class InputRouter<T> extends ProcessFunction<Decoded, T>
        implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> REJECTED = new OutputTag<>("rejected") {};

    /**
     * The event stream read; null for the external-alerts input, whose events are signals, and the
     * traces input, whose events are spans.
     */
    private final StreamKind kind;

    private final boolean spans;

    private final Class<T> type;

    private transient Counter eventsIn;
    private transient Map<RejectReason, Counter> rejects;

    private InputRouter(StreamKind kind, Class<T> type) {
        this.kind = kind;
        this.type = type;
        this.spans = type == Span.class;
    }

    public static InputRouter<MetricSample> metrics() {
        return new InputRouter<>(StreamKind.METRICS, MetricSample.class);
    }

    public static InputRouter<AuthEvent> auth() {
        return new InputRouter<>(StreamKind.AUTH, AuthEvent.class);
    }

    public static InputRouter<LogEvent> logs() {
        return new InputRouter<>(StreamKind.LOGS, LogEvent.class);
    }

    public static InputRouter<ChangeEvent> changes() {
        return new InputRouter<>(StreamKind.CHANGES, ChangeEvent.class);
    }

    /**
     * The optional external-alerts input: signals read from a team's alerts, outside the four event
     * streams.
     */
    public static InputRouter<Signal> externalAlerts() {
        return new InputRouter<>(null, Signal.class);
    }

    /** The optional traces input: spans, outside the four event streams. */
    public static InputRouter<Span> traces() {
        return new InputRouter<>(null, Span.class);
    }

    /**
     * The stream's name in metrics, operator names and uids: metrics, auth, logs, changes,
     * external-alerts, traces.
     */
    public String stream() {
        if (kind == null) return spans ? "traces" : "external-alerts";
        return kind.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("stream", stream());
        eventsIn = group.counter("eventsIn");
        rejects = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            if (r == RejectReason.LATE_EVENT) continue; // counted where lateness is seen
            rejects.put(r, group.addGroup("reason", r.name()).counter("rejects"));
        }
    }

    @Override
    public void processElement(Decoded d, Context ctx, Collector<T> out) {
        if (d.isRejected()) {
            rejects.get(d.rejected().reason()).inc();
            ctx.output(REJECTED, d.rejected());
            return;
        }
        Object event =
                kind == null
                        ? spans ? d.span() : d.signal()
                        : switch (kind) {
                            case METRICS -> d.metric();
                            case AUTH -> d.auth();
                            case LOGS -> d.log();
                            case CHANGES -> d.change();
                        };
        if (event == null) {
            // A decoder for another stream was configured for this topic.
            rejects.get(RejectReason.BAD_VALUE).inc();
            ctx.output(
                    REJECTED,
                    new DeadLetter(
                            RejectReason.BAD_VALUE,
                            "decoded record is not a " + stream() + " event",
                            stream(),
                            -1,
                            -1,
                            d.toString(),
                            "utf-8"));
            return;
        }
        eventsIn.inc();
        out.collect(type.cast(event));
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
