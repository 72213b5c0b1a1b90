package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.StreamingFields.Fields;
import io.incidentanalyzer.ingest.format.StreamingFields.Pairs;
import io.incidentanalyzer.ingest.format.StreamingFields.TreePath;
import io.incidentanalyzer.model.MetricSample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>Two paths: a record in the common shapes is read by the streaming fast path ({@link
 * StreamingFields}, no tree); every other record goes through the tree path, the reference for what
 * the fast path may accept ({@code StreamingFastPathTest} compares both).
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
        if (!readStreaming(value, out)) {
            readTree(value, out);
        }
    }

    // Telegraf writes the keys sorted; "metrics" is the batch form's one key.
    private static final Fields FIELDS =
            new Fields("fields", "name", "tags", "timestamp", "metrics");
    private static final int METRICS = 4;

    /**
     * The fast path: adds the samples read with the streaming parser and returns true, or adds
     * nothing and returns false when the tree path must decide (anything {@link StreamingFields}
     * leaves to it, a duplicate field, a batch with a metric the tree would skip). The rejections
     * it gives for a single metric, no service or no numeric field, are the tree's: every field the
     * tree reads before them was read and accepted.
     */
    boolean readStreaming(byte[] value, Events out) throws Reject {
        try (JsonParser p = StreamingFields.object(value)) {
            int f = FIELDS.next(p, -1);
            if (f != METRICS) {
                Metric m = metric(p, f, false);
                // Read to the end first: trailing content is the tree's NOT_JSON.
                StreamingFields.end(p);
                m.check(services);
                m.emit(out);
                return true;
            }
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            List<Metric> batch = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                batch.add(metric(p, FIELDS.next(p, -1), true));
            }
            if (t != JsonToken.END_ARRAY || batch.isEmpty()) {
                return false;
            }
            for (f = FIELDS.next(p, METRICS); f != Fields.END; f = FIELDS.next(p, f)) {
                if (f == METRICS) {
                    return false;
                }
                StreamingFields.skip(p, p.nextToken());
            }
            StreamingFields.end(p);
            for (Metric m : batch) {
                try {
                    m.check(services);
                } catch (Reject skipped) {
                    return false;
                }
            }
            for (Metric m : batch) {
                m.emit(out);
            }
            return true;
        } catch (TreePath | IOException | RuntimeException e) {
            return false;
        }
    }

    /** One metric as the fast path read it; its samples are made once the record is read. */
    private static final class Metric {
        String name;
        Pairs tags;
        long ts;
        // The fields come before the name: kept until the end, NaN for those that are no sample.
        String[] keys = new String[8];
        double[] values = new double[8];
        int n;
        int last;
        Map<String, String> labels;
        String service;

        /** The tree's checks after the fields: a service, and a numeric field. */
        void check(ServiceNames services) throws Reject {
            if (tags == null) {
                tags = new Pairs();
            }
            labels = tags.toMap();
            service = services.of(labels);
            last = n - 1;
            while (last >= 0 && Double.isNaN(values[last])) {
                last--;
            }
            if (last < 0) {
                throw noSamples(name);
            }
        }

        /**
         * Each sample with its own labels, as in the tree path; the last takes the checked ones.
         */
        void emit(Events out) {
            // concat, not +: it costs less than the indy concatenation's method handles here.
            String prefix = name.concat("_");
            for (int i = 0; i <= last; i++) {
                if (!Double.isNaN(values[i])) {
                    out.add(
                            new MetricSample(
                                    ts,
                                    service,
                                    prefix.concat(keys[i]),
                                    values[i],
                                    i == last ? labels : tags.toMap()));
                }
            }
        }
    }

    /**
     * One metric object from its first field {@code f} to its end; in a batch, {@code nested}, a
     * "metrics" key is a field like any other.
     */
    private Metric metric(JsonParser p, int f, boolean nested) throws IOException, TreePath {
        Metric m = new Metric();
        int seen = 0;
        for (; f != Fields.END; f = FIELDS.next(p, f)) {
            JsonToken t = p.nextToken();
            if (f == METRICS) {
                if (!nested) {
                    throw StreamingFields.TREE_PATH;
                }
                f = Fields.UNKNOWN;
            }
            seen = StreamingFields.once(seen, f);
            switch (f) {
                case 0 -> fields(p, t, m);
                case 1 -> m.name = StreamingFields.text(p, t);
                case 2 -> m.tags = Pairs.read(p, t);
                case 3 ->
                        m.ts =
                                t == JsonToken.VALUE_STRING
                                        ? StreamingFields.isoTime(p, t)
                                        : StreamingFields.epochTime(p, t, units);
                default -> StreamingFields.skip(p, t);
            }
        }
        StreamingFields.required(seen, 0b1011);
        return m;
    }

    /** The fields object; a duplicate key goes to the tree, which keeps the last in its place. */
    private static void fields(JsonParser p, JsonToken t, Metric m) throws IOException, TreePath {
        if (t != JsonToken.START_OBJECT) {
            throw StreamingFields.TREE_PATH;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            for (int i = 0; i < m.n; i++) {
                if (m.keys[i].equals(key)) {
                    throw StreamingFields.TREE_PATH;
                }
            }
            if (m.n == m.keys.length) {
                m.keys = Arrays.copyOf(m.keys, 2 * m.n);
                m.values = Arrays.copyOf(m.values, 2 * m.n);
            }
            m.keys[m.n] = key;
            m.values[m.n++] = sample(p, p.nextToken());
        }
    }

    /** A field's sample: 1 or 0 for a boolean, a finite number, NaN for a field left out. */
    private static double sample(JsonParser p, JsonToken t) throws IOException, TreePath {
        return switch (t) {
            case VALUE_TRUE -> 1;
            case VALUE_FALSE -> 0;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> StreamingFields.finite(p, t);
            default -> {
                StreamingFields.skip(p, t);
                yield Double.NaN;
            }
        };
    }

    private static Reject noSamples(String name) {
        return Reject.badValue("metric '" + name + "' has no numeric or boolean fields");
    }

    /** The reference path: every record the fast path leaves, and every other rejection. */
    void readTree(byte[] value, Events out) throws Reject {
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
            throw noSamples(name);
        }
    }

    private long timestamp(JsonNode ts) throws Reject {
        if (ts.isTextual()) {
            return EventTimes.iso(ts.textValue(), "timestamp");
        }
        return EventTimes.epoch(FormatFields.integer(ts, "timestamp"), units, "timestamp");
    }
}
