package io.incidentanalyzer.ingest.format;

import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.model.RejectReason;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Which label, tag or attribute names a record's service: the topic's {@code serviceFrom} keys
 * tried in order, then its fixed {@code service}. A record with neither is rejected, with a detail
 * that says which keys were looked for, so the operator can fix the job file.
 */
public final class ServiceNames implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> keys;
    private final String fallback;

    /**
     * @param keys the keys to try, in order
     * @param fallback the service when none is present; null rejects such a record
     */
    public ServiceNames(List<String> keys, String fallback) {
        this.keys = List.copyOf(keys);
        this.fallback = fallback;
    }

    public List<String> keys() {
        return keys;
    }

    /** The service named by {@code labels}, or the fallback. */
    public String of(Map<String, String> labels) throws Reject {
        for (String key : keys) {
            String v = labels.get(key);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        if (fallback != null) {
            return fallback;
        }
        throw new Reject(
                RejectReason.MISSING_FIELD,
                "no service: none of the labels "
                        + keys
                        + " is present; name others in the topic's serviceFrom, or a fixed"
                        + " service");
    }
}
