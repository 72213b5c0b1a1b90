package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.format.StreamingFields.TREE_PATH;
import static io.incidentanalyzer.ingest.format.StreamingFields.objectOrNull;
import static io.incidentanalyzer.ingest.format.StreamingFields.once;
import static io.incidentanalyzer.ingest.format.StreamingFields.optionalText;
import static io.incidentanalyzer.ingest.format.StreamingFields.skipUnread;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.format.KubernetesEventsDecoder.K8sEvent;
import java.io.IOException;

/**
 * The fast path of {@link KubernetesEventsDecoder} for an Event object ({@code v1} or {@code
 * events.k8s.io/v1}): Jackson's streaming parser, no tree. It gives the {@link K8sEvent} the tree
 * path reads from the same bytes, or null when it is not sure (the Collector's OTLP form, a
 * missing, null, duplicate or oddly typed field, a timestamp that does not parse, broken JSON), and
 * the tree path decides, with its reasons and details ({@code KubernetesEventsReaderTest} compares
 * both on mutated records).
 */
final class KubernetesEventsReader {
    private KubernetesEventsReader() {}

    // In the order kubectl and the event exporters write them, v1 first.
    private static final StreamingFields.Fields EVENT =
            new StreamingFields.Fields(
                    "metadata",
                    "involvedObject",
                    "reason",
                    "message",
                    "source",
                    "firstTimestamp",
                    "lastTimestamp",
                    "type",
                    "eventTime",
                    "reportingInstance",
                    "regarding",
                    "note",
                    "series",
                    "deprecatedLastTimestamp",
                    "resourceLogs");
    private static final int METADATA = 0;
    private static final int INVOLVED_OBJECT = 1;
    private static final int REASON = 2;
    private static final int MESSAGE = 3;
    private static final int SOURCE = 4;
    private static final int FIRST_TIMESTAMP = 5;
    private static final int LAST_TIMESTAMP = 6;
    private static final int TYPE = 7;
    private static final int EVENT_TIME = 8;
    private static final int REPORTING_INSTANCE = 9;
    private static final int REGARDING = 10;
    private static final int NOTE = 11;
    private static final int SERIES = 12;
    private static final int DEPRECATED_LAST_TIMESTAMP = 13;

    private static final StreamingFields.Fields OBJECT =
            new StreamingFields.Fields("kind", "namespace", "name");
    private static final StreamingFields.Fields CREATION =
            new StreamingFields.Fields("name", "namespace", "creationTimestamp");
    private static final StreamingFields.Fields HOST =
            new StreamingFields.Fields("component", "host");
    private static final StreamingFields.Fields LAST_OBSERVED =
            new StreamingFields.Fields("count", "lastObservedTime");

    /** The event, or null when the tree path must decide. */
    static K8sEvent read(byte[] value) {
        try (JsonParser p = StreamingFields.object(value)) {
            K8sEvent e = event(p);
            StreamingFields.end(p);
            return e;
        } catch (StreamingFields.TreePath | IOException | Reject | RuntimeException e) {
            return null;
        }
    }

    private static K8sEvent event(JsonParser p)
            throws IOException, StreamingFields.TreePath, Reject {
        String[] objectOf = null;
        String[] regarding = null;
        String reason = null;
        String message = null;
        String note = null;
        String host = null;
        String reportingInstance = null;
        String type = null;
        // Event times by the tree path's preference: last, deprecatedLast, eventTime, first, the
        // series' last observation, the object's creation.
        String[] times = new String[6];
        int seen = 0;
        int last = StreamingFields.Fields.END;
        for (int f = EVENT.next(p, last);
                f != StreamingFields.Fields.END;
                f = EVENT.next(p, last)) {
            if (f != StreamingFields.Fields.UNKNOWN) last = f;
            JsonToken t = p.nextToken();
            seen = once(seen, f);
            switch (f) {
                case METADATA -> times[5] = nested(p, t, CREATION, 2);
                case INVOLVED_OBJECT -> objectOf = object(p, t);
                case REASON -> reason = optionalText(p, t);
                case MESSAGE -> message = optionalText(p, t);
                case SOURCE -> host = nested(p, t, HOST, 1);
                case FIRST_TIMESTAMP -> times[3] = optionalText(p, t);
                case LAST_TIMESTAMP -> times[0] = optionalText(p, t);
                case TYPE -> type = optionalText(p, t);
                case EVENT_TIME -> times[2] = optionalText(p, t);
                case REPORTING_INSTANCE -> reportingInstance = optionalText(p, t);
                case REGARDING -> regarding = object(p, t);
                case NOTE -> note = optionalText(p, t);
                case SERIES -> times[4] = nested(p, t, LAST_OBSERVED, 1);
                case DEPRECATED_LAST_TIMESTAMP -> times[1] = optionalText(p, t);
                case StreamingFields.Fields.UNKNOWN -> skipUnread(p, t);
                default -> throw TREE_PATH; // resourceLogs: the Collector's OTLP form
            }
        }
        String[] object = objectOf != null ? objectOf : regarding;
        if (object == null || blank(reason) || blank(object[0]) || blank(object[2])) {
            throw TREE_PATH;
        }
        return new K8sEvent(
                time(times),
                type,
                reason,
                message != null ? message : note,
                object[0],
                object[2],
                object[1],
                host != null ? host : reportingInstance);
    }

    /** The first event time present; one that is blank or does not parse goes to the tree. */
    private static long time(String[] times) throws StreamingFields.TreePath, Reject {
        for (String t : times) {
            if (t != null) {
                if (t.isBlank()) {
                    throw TREE_PATH;
                }
                return EventTimes.iso(t, "ts");
            }
        }
        throw TREE_PATH;
    }

    /** An involved object's kind, namespace and name (each may be null), or null for JSON null. */
    private static String[] object(JsonParser p, JsonToken t)
            throws IOException, StreamingFields.TreePath {
        if (!objectOrNull(t)) {
            return null;
        }
        String[] fields = new String[3];
        int seen = 0;
        int last = StreamingFields.Fields.END;
        for (int f = OBJECT.next(p, last);
                f != StreamingFields.Fields.END;
                f = OBJECT.next(p, last)) {
            if (f != StreamingFields.Fields.UNKNOWN) last = f;
            JsonToken v = p.nextToken();
            seen = once(seen, f);
            if (f == StreamingFields.Fields.UNKNOWN) {
                skipUnread(p, v);
            } else {
                fields[f] = optionalText(p, v);
            }
        }
        return fields;
    }

    /** The string field {@code wanted} of a nested object, or null (absent, null, or no object). */
    private static String nested(
            JsonParser p, JsonToken t, StreamingFields.Fields names, int wanted)
            throws IOException, StreamingFields.TreePath {
        if (!objectOrNull(t)) {
            return null;
        }
        String value = null;
        int seen = 0;
        int last = StreamingFields.Fields.END;
        for (int f = names.next(p, last);
                f != StreamingFields.Fields.END;
                f = names.next(p, last)) {
            if (f != StreamingFields.Fields.UNKNOWN) last = f;
            JsonToken v = p.nextToken();
            seen = once(seen, f);
            if (f == wanted) {
                value = optionalText(p, v);
            } else {
                skipUnread(p, v);
            }
        }
        return value;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
