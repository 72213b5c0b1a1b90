package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.MetricSample;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Decodes Telegraf's JSON serializer: one metric {@code {"name": "cpu", "fields": {...}, "tags":
 * {...}, "timestamp": 1708072380}} or a batch {@code {"metrics": [...]}} per record. Each numeric
 * field is one sample named {@code <name>_<field>} (as Telegraf's Prometheus outputs name them);
 * booleans are 1 or 0; string fields are not samples and are left out, like unknown fields. The
 * service comes from the tags ({@link ServiceNames}); the integer timestamp is in the topic's
 * {@code timestampUnits} (Telegraf's {@code json_timestamp_units}, 1s by default), and a string one
 * (from {@code json_timestamp_format}) must be RFC 3339.
 */
public final class TelegrafJsonDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    private final ServiceNames services;
    private final TimeUnit units;

    public TelegrafJsonDecoder(ServiceNames services, TimeUnit units, int maxRecordBytes) {
        super(StreamKind.METRICS, maxRecordBytes);
        this.services = services;
        this.units = Objects.requireNonNull(units, "units");
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        JsonNode r = jsonObject(value);
        if (!r.has("metrics")) {
            metric(r, out);
            return;
        }
        JsonNode batch = FormatFields.array(r, "metrics");
        int i = 0;
        for (JsonNode m : batch) {
            try {
                if (!m.isObject()) {
                    throw Reject.badValue("expected an object, got " + JsonInput.describe(m));
                }
                metric(m, out);
            } catch (Reject e) {
                out.skip("metrics[" + i + "]", e);
            }
            i++;
        }
    }

    private void metric(JsonNode m, Events out) throws Reject {
        String name = FormatFields.text(m, "name");
        JsonNode fields = FormatFields.object(m, "fields");
        long ts = timestamp(FormatFields.present(m, "timestamp"));
        Map<String, String> tags = FormatFields.stringMap(m, "tags");
        String service = services.of(tags);
        int samples = 0;
        for (Map.Entry<String, JsonNode> f : fields.properties()) {
            JsonNode v = f.getValue();
            double d;
            if (v.isBoolean()) {
                d = v.booleanValue() ? 1 : 0;
            } else if (v.isNumber()) {
                d = FormatFields.finite(v, "fields." + f.getKey());
            } else {
                continue; // a string field is a fact, not a sample
            }
            out.add(new MetricSample(ts, service, name + "_" + f.getKey(), d, new HashMap<>(tags)));
            samples++;
        }
        if (samples == 0) {
            throw Reject.badValue("metric '" + name + "' has no numeric or boolean fields");
        }
    }

    private long timestamp(JsonNode ts) throws Reject {
        if (ts.isTextual()) {
            return EventTimes.iso(ts.textValue(), "timestamp");
        }
        return EventTimes.epoch(FormatFields.integer(ts, "timestamp"), units, "timestamp");
    }
}
