package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.format.FormatFields.finite;
import static io.incidentanalyzer.ingest.format.FormatFields.present;
import static io.incidentanalyzer.ingest.format.FormatFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.MetricSample;
import java.util.Map;

/**
 * Decodes what prometheus-kafka-adapter writes for one remote-write sample, in its JSON and its
 * identical avro-json serialization: {@code {"timestamp": RFC 3339, "value": "0.5", "name": "up",
 * "labels": {"__name__": "up", "job": ..., ...}}}. The metric is {@code name} (or the {@code
 * __name__} label), the service comes from the labels ({@link ServiceNames}), and the other labels
 * stay labels. A value of NaN (Prometheus's staleness marker) or ±Inf is a BAD_VALUE dead letter:
 * counted per reason and kept, never analysed as a number.
 */
public final class PrometheusAdapterDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    /** The label that names the metric in Prometheus; the adapter copies it into {@code name}. */
    static final String NAME_LABEL = "__name__";

    private final ServiceNames services;

    public PrometheusAdapterDecoder(ServiceNames services, int maxRecordBytes) {
        super(StreamKind.METRICS, maxRecordBytes);
        this.services = services;
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        JsonNode r = jsonObject(value);
        present(r, "timestamp");
        present(r, "value");
        Map<String, String> labels = FormatFields.stringMap(r, "labels");
        String metric = r.hasNonNull("name") ? text(r, "name") : labels.get(NAME_LABEL);
        if (metric == null || metric.isBlank()) {
            throw Reject.missing("name");
        }
        long ts = timestamp(present(r, "timestamp"));
        double v = finite(present(r, "value"), "value");
        String service = services.of(labels);
        labels.remove(NAME_LABEL);
        out.add(new MetricSample(ts, service, metric, v, labels));
    }

    /** The adapter writes RFC 3339 text; an integer is taken as epoch milliseconds. */
    private static long timestamp(JsonNode ts) throws Reject {
        if (ts.isTextual()) {
            return EventTimes.iso(ts.textValue(), "timestamp");
        }
        return EventTimes.epoch(
                FormatFields.integer(ts, "timestamp"),
                java.util.concurrent.TimeUnit.MILLISECONDS,
                "timestamp");
    }
}
