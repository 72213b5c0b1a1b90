package io.incidentanalyzer.draft;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.StatusPageIncident;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Adds the drafts to each incident event (keyed by incident id). The events of one incident come
 * from the one correlator instance of its environment, in order, so no reordering is needed; the
 * drafts depend on the events only, never on processing time. The state goes when the incident
 * closes.
 */
public class IncidentDrafter extends KeyedProcessFunction<String, IncidentEvent, IncidentEvent> {
    private static final long serialVersionUID = 1L;

    /**
     * The Statuspage document, at each lifecycle step and whenever the drafts gained an
     * intermediate update.
     */
    public static final OutputTag<StatusPageIncident> STATUS_UPDATES =
            new OutputTag<>("status-updates") {};

    private final Drafter drafter;
    private transient ValueState<DraftState> state;

    public IncidentDrafter(JobConfig config) {
        this.drafter = new Drafter(config);
    }

    @Override
    public void open(OpenContext openContext) {
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("drafts", DraftState.class));
    }

    @Override
    public void processElement(IncidentEvent e, Context ctx, Collector<IncidentEvent> out)
            throws Exception {
        DraftState st = state.value();
        if (st == null) st = new DraftState();
        drafter.update(st, e);
        IncidentEvent drafted = e.withDrafts(drafter.render(st, e));
        out.collect(drafted);
        boolean step =
                switch (e.type()) {
                    case OPENED, IDENTIFIED, MONITORING, REOPENED, CLOSED -> true;
                    default -> false;
                };
        int updates = drafted.drafts().statusUpdates().size();
        if (step || updates > st.updatesSent) ctx.output(STATUS_UPDATES, StatusPage.of(drafted));
        st.updatesSent = updates;
        if (e.type() == IncidentEventType.CLOSED) {
            state.clear();
        } else {
            state.update(st);
        }
    }
}
