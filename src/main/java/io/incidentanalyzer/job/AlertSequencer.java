package io.incidentanalyzer.job;

import io.incidentanalyzer.model.IncidentAlert;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Numbers each incident's events in the order the drafter emits them (keyed by incident id), for
 * the alerts topic. The count is checkpointed with the pipeline, so after a restore the replayed
 * events get the numbers they had before and their keys repeat exactly: at-least-once delivery with
 * idempotent keys.
 */
final class AlertSequencer extends KeyedProcessFunction<String, IncidentEvent, IncidentAlert> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<Integer> next;

    @Override
    public void open(OpenContext openContext) {
        next = getRuntimeContext().getState(new ValueStateDescriptor<>("next", Types.INT));
    }

    @Override
    public void processElement(IncidentEvent e, Context ctx, Collector<IncidentAlert> out)
            throws Exception {
        Integer n = next.value();
        int sequence = n == null ? 0 : n;
        out.collect(new IncidentAlert(e.incidentId(), sequence, e));
        if (e.type() == IncidentEventType.CLOSED) {
            // CLOSED is an incident's last event: a later incident has another id.
            next.clear();
        } else {
            next.update(sequence + 1);
        }
    }
}
