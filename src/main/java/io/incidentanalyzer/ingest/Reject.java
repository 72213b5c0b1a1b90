package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.RejectReason;

/**
 * A rejection on its way out of a decoder's field helpers. Checked, so that no helper can forget to
 * turn it into a dead letter; stackless, because it is ordinary control flow for bad input.
 */
public final class Reject extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public Reject(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }

    public static Reject badValue(String detail) {
        return new Reject(RejectReason.BAD_VALUE, detail);
    }

    public static Reject badTimestamp(String detail) {
        return new Reject(RejectReason.BAD_TIMESTAMP, detail);
    }

    public static Reject missing(String field) {
        return new Reject(RejectReason.MISSING_FIELD, "missing required field '" + field + "'");
    }
}
