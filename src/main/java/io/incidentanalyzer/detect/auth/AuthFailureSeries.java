package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.detect.baseline.BaselineState;
import io.incidentanalyzer.detect.sketch.SpaceSaving;

/**
 * One failure type (MISSING_TOKEN or VERIFY_ERROR) of one caller: its baseline of failures per
 * bucket, the bucket's count, and the bucket's error texts and callees (Space-Saving, folded into
 * an episode when the bucket belongs to one). A mutable Flink POJO.
 */
public class AuthFailureSeries {
    public BaselineState baseline;
    public long count;
    public SpaceSaving errors;
    public SpaceSaving callees;

    public AuthFailureSeries() {}

    AuthFailureSeries(int topErrors) {
        baseline = new BaselineState();
        errors = new SpaceSaving(topErrors);
        callees = new SpaceSaving(topErrors);
    }
}
