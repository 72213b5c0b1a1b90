package io.incidentanalyzer.detect;

import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.util.Comparator;

/**
 * Base of the detectors keyed by metric series (saturation, baseline shift, backlog growth): what
 * they share about ordering and describing samples.
 */
public abstract class MetricDetector extends EventTimeOrderedFunction<MetricSample, Signal> {
    private static final long serialVersionUID = 1L;

    /**
     * Two samples of one series at one instant: the higher value counts last, so the outcome does
     * not depend on arrival order.
     */
    private static final Comparator<MetricSample> BY_VALUE =
            Comparator.comparingDouble(MetricSample::value);

    protected MetricDetector() {
        super(MetricSample.class);
    }

    @Override
    protected final Comparator<MetricSample> tieBreak() {
        return BY_VALUE;
    }

    @Override
    protected final String describe(MetricSample s) {
        return s.toString();
    }
}
