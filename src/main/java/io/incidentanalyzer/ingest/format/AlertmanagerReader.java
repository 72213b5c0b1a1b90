package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.format.StreamingFields.TREE_PATH;
import static io.incidentanalyzer.ingest.format.StreamingFields.once;
import static io.incidentanalyzer.ingest.format.StreamingFields.optionalText;
import static io.incidentanalyzer.ingest.format.StreamingFields.skipUnread;
import static io.incidentanalyzer.ingest.format.StreamingFields.stringMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.format.AlertmanagerDecoder.AlertFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of {@link AlertmanagerDecoder}: reads a webhook's alerts with Jackson's streaming
 * parser, no tree, into the same fields the tree path reads, or gives null when it is not sure (a
 * version other than "4", no alerts, an alert that is not an object or lacks its status or
 * startsAt, a resolved one without endsAt, a duplicate or oddly typed field, broken JSON, trailing
 * content), and the tree path decides, with its reasons and details ({@code AlertmanagerReaderTest}
 * compares both on mutated webhooks).
 */
final class AlertmanagerReader {
    private AlertmanagerReader() {}

    // Alertmanager writes "alerts" before "version" (its template data's field order).
    private static final StreamingFields.Fields WEBHOOK =
            new StreamingFields.Fields("alerts", "version");
    private static final StreamingFields.Fields ALERT =
            new StreamingFields.Fields(
                    "status", "labels", "annotations", "startsAt", "endsAt", "fingerprint");

    /**
     * An alert as the fast path read it: status non-blank, startsAt present, endsAt too if
     * resolved. A startsAt in a common RFC 3339 form is parsed in the parser's buffer; any other,
     * and endsAt (which a firing alert's reader never parses), is kept as text for {@link
     * EventTimes#iso}, whose rejection sends the webhook to the tree path.
     */
    private record ReadAlert(
            Map<String, String> labels,
            String status,
            Map<String, String> annotations,
            long startsAtMillis,
            String startsAtText,
            String endsAtText,
            String fingerprint)
            implements AlertFields {
        @Override
        public long startsAt() throws Reject {
            return startsAtMillis != EventTimes.NOT_COMMON
                    ? startsAtMillis
                    : EventTimes.iso(startsAtText, "startsAt");
        }

        @Override
        public long endsAt() throws Reject {
            return EventTimes.iso(endsAtText, "endsAt");
        }
    }

    /** The webhook's alerts, or null when the tree path must decide. */
    static List<AlertFields> read(byte[] value) {
        try (JsonParser p = StreamingFields.object(value)) {
            List<AlertFields> alerts = null;
            String version = null;
            int seen = 0;
            int last = StreamingFields.Fields.END;
            for (int f = WEBHOOK.next(p, last);
                    f != StreamingFields.Fields.END;
                    f = WEBHOOK.next(p, last)) {
                if (f != StreamingFields.Fields.UNKNOWN) last = f;
                JsonToken t = p.nextToken();
                seen = once(seen, f);
                switch (f) {
                    case 0 -> alerts = alerts(p, t);
                    case 1 -> version = optionalText(p, t);
                    default -> skipUnread(p, t);
                }
            }
            StreamingFields.end(p);
            if (alerts == null || alerts.isEmpty() || (version != null && !version.equals("4"))) {
                return null;
            }
            return alerts;
        } catch (StreamingFields.TreePath | IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<AlertFields> alerts(JsonParser p, JsonToken t)
            throws IOException, StreamingFields.TreePath {
        if (t != JsonToken.START_ARRAY) {
            throw TREE_PATH;
        }
        List<AlertFields> alerts = new ArrayList<>(4);
        for (JsonToken a = p.nextToken(); a != JsonToken.END_ARRAY; a = p.nextToken()) {
            if (a != JsonToken.START_OBJECT) {
                throw TREE_PATH;
            }
            alerts.add(alert(p));
        }
        return alerts;
    }

    private static ReadAlert alert(JsonParser p) throws IOException, StreamingFields.TreePath {
        Map<String, String> labels = null;
        String status = null;
        Map<String, String> annotations = null;
        long startsAt = EventTimes.NOT_COMMON;
        String startsAtText = null;
        String endsAtText = null;
        String fingerprint = null;
        int seen = 0;
        int last = StreamingFields.Fields.END;
        for (int f = ALERT.next(p, last);
                f != StreamingFields.Fields.END;
                f = ALERT.next(p, last)) {
            if (f != StreamingFields.Fields.UNKNOWN) last = f;
            JsonToken t = p.nextToken();
            seen = once(seen, f);
            switch (f) {
                case 0 -> status = optionalText(p, t);
                case 1 -> labels = stringMap(p, t);
                case 2 -> annotations = evidence(p, t);
                case 3 -> {
                    startsAt = common(p, t);
                    if (startsAt == EventTimes.NOT_COMMON) startsAtText = optionalText(p, t);
                }
                case 4 -> endsAtText = optionalText(p, t); // a firing alert's is not read
                case 5 -> fingerprint = optionalText(p, t);
                default -> skipUnread(p, t);
            }
        }
        if (blank(status)
                || (startsAt == EventTimes.NOT_COMMON && blank(startsAtText))
                || (status.equals("resolved") && blank(endsAtText))) {
            throw TREE_PATH;
        }
        // Absent maps are empty, as in the tree path.
        return new ReadAlert(
                labels != null ? labels : new HashMap<>(),
                status,
                annotations != null ? annotations : Map.of(),
                startsAt,
                startsAtText,
                endsAtText,
                fingerprint);
    }

    /** A string time in a common RFC 3339 form as epoch milliseconds, else NOT_COMMON. */
    private static long common(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_STRING
                ? EventTimes.commonIso(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                : EventTimes.NOT_COMMON;
    }

    private static final StreamingFields.Fields EVIDENCE =
            new StreamingFields.Fields("summary", "description");

    /**
     * The annotations the decoder reads, summary and description, as the tree path's map would hold
     * them (the last of duplicates, nulls dropped); the others are skipped unread, since the tree
     * path takes any value there.
     */
    private static Map<String, String> evidence(JsonParser p, JsonToken t)
            throws IOException, StreamingFields.TreePath {
        String summary = null;
        String description = null;
        if (StreamingFields.objectOrNull(t)) {
            int last = StreamingFields.Fields.END;
            for (int f = EVIDENCE.next(p, last);
                    f != StreamingFields.Fields.END;
                    f = EVIDENCE.next(p, last)) {
                JsonToken v = p.nextToken();
                if (f == StreamingFields.Fields.UNKNOWN) {
                    skipUnread(p, v);
                } else if (f == 0) {
                    summary = optionalText(p, v);
                    last = f;
                } else {
                    description = optionalText(p, v);
                    last = f;
                }
            }
        }
        if (summary == null) {
            return description == null ? Map.of() : Map.of("description", description);
        }
        return description == null
                ? Map.of("summary", summary)
                : Map.of("summary", summary, "description", description);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
