package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.format.FormatFields.finite;
import static io.incidentanalyzer.ingest.format.FormatFields.present;
import static io.incidentanalyzer.ingest.format.FormatFields.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.StreamingFields.Fields;
import io.incidentanalyzer.ingest.format.StreamingFields.TreePath;
import io.incidentanalyzer.model.MetricSample;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decodes what prometheus-kafka-adapter writes for one remote-write sample, in its JSON and its
 * identical avro-json serialization: {@code {"timestamp": RFC 3339, "value": "0.5", "name": "up",
 * "labels": {"__name__": "up", "job": ..., ...}}}. The metric is {@code name} (or the {@code
 * __name__} label), the service comes from the labels ({@link ServiceNames}), and the other labels
 * stay labels. A value of NaN (Prometheus's staleness marker) or ±Inf is a BAD_VALUE dead letter:
 * counted per reason and kept, never analysed as a number.
 *
 * <p>Two paths: a record in the common shapes is read by the streaming fast path ({@link
 * StreamingFields}, no tree); every other record goes through the tree path, the reference for what
 * the fast path may accept ({@code StreamingFastPathTest} compares both).
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
        MetricSample fast = readStreaming(value);
        if (fast != null) {
            out.add(fast);
        } else {
            readTree(value, out);
        }
    }

    private static final Fields FIELDS = new Fields("timestamp", "value", "name", "labels");

    /**
     * The fast path: the sample read with the streaming parser in the adapter's field order, or
     * null when the tree path must decide (anything {@link StreamingFields} leaves to it). The one
     * rejection it gives, a sample without a service, is the tree's: every field the tree reads
     * before it was read and accepted.
     */
    MetricSample readStreaming(byte[] value) throws Reject {
        try (JsonParser p = StreamingFields.object(value)) {
            long ts = 0;
            double v = 0;
            String name = null;
            Map<String, String> labels = null;
            int seen = 0;
            for (int f = FIELDS.next(p, -1); f != Fields.END; f = FIELDS.next(p, f)) {
                JsonToken t = p.nextToken();
                seen = StreamingFields.once(seen, f);
                switch (f) {
                    case 0 ->
                            ts =
                                    t == JsonToken.VALUE_STRING
                                            ? StreamingFields.isoTime(p, t)
                                            : StreamingFields.epochTime(
                                                    p, t, TimeUnit.MILLISECONDS);
                    case 1 -> v = StreamingFields.number(p, t);
                    case 2 -> name = t == JsonToken.VALUE_NULL ? null : StreamingFields.text(p, t);
                    case 3 -> labels = StreamingFields.stringMap(p, t);
                    default -> StreamingFields.skip(p, t);
                }
            }
            StreamingFields.end(p);
            StreamingFields.required(seen, 0b11);
            if (labels == null) {
                labels = new HashMap<>();
            }
            String metric = name != null ? name : labels.get(NAME_LABEL);
            if (metric == null || metric.isBlank()) {
                return null;
            }
            String service = services.of(labels);
            labels.remove(NAME_LABEL);
            return new MetricSample(ts, service, metric, v, labels);
        } catch (TreePath | IOException | RuntimeException e) {
            return null;
        }
    }

    /** The reference path: every record the fast path leaves, and every other rejection. */
    void readTree(byte[] value, Events out) throws Reject {
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
                FormatFields.integer(ts, "timestamp"), TimeUnit.MILLISECONDS, "timestamp");
    }
}
