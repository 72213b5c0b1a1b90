package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.format.TreeFallback.INSTANCE;
import static io.incidentanalyzer.ingest.format.TreeFallback.once;
import static io.incidentanalyzer.ingest.format.TreeFallback.skip;
import static io.incidentanalyzer.ingest.format.TreeFallback.stringMap;
import static io.incidentanalyzer.ingest.format.TreeFallback.stringOrNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
    private static final TreeFallback.Names WEBHOOK = new TreeFallback.Names("alerts", "version");
    private static final TreeFallback.Names ALERT =
            new TreeFallback.Names(
                    "status", "labels", "annotations", "startsAt", "endsAt", "fingerprint");

    /** An alert as the fast path read it: status and startsAt non-blank, endsAt if resolved. */
    private record ReadAlert(
            Map<String, String> labels,
            String status,
            Map<String, String> annotations,
            String startsAt,
            String endsAt,
            String fingerprint)
            implements AlertFields {}

    /** The webhook's alerts, or null when the tree path must decide. */
    static List<AlertFields> read(byte[] value) {
        try (JsonParser p = TreeFallback.objectParser(value)) {
            List<AlertFields> alerts = null;
            String version = null;
            int seen = 0;
            int last = TreeFallback.Names.END;
            for (int f = WEBHOOK.next(p, last);
                    f != TreeFallback.Names.END;
                    f = WEBHOOK.next(p, last)) {
                if (f != TreeFallback.Names.UNKNOWN) last = f;
                JsonToken t = p.nextToken();
                seen = once(seen, f);
                switch (f) {
                    case 0 -> alerts = alerts(p, t);
                    case 1 -> version = stringOrNull(p, t);
                    default -> skip(p, t);
                }
            }
            TreeFallback.end(p);
            if (alerts == null || alerts.isEmpty() || (version != null && !version.equals("4"))) {
                return null;
            }
            return alerts;
        } catch (TreeFallback | IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<AlertFields> alerts(JsonParser p, JsonToken t)
            throws IOException, TreeFallback {
        if (t != JsonToken.START_ARRAY) {
            throw INSTANCE;
        }
        List<AlertFields> alerts = new ArrayList<>(4);
        for (JsonToken a = p.nextToken(); a != JsonToken.END_ARRAY; a = p.nextToken()) {
            if (a != JsonToken.START_OBJECT) {
                throw INSTANCE;
            }
            alerts.add(alert(p));
        }
        return alerts;
    }

    private static ReadAlert alert(JsonParser p) throws IOException, TreeFallback {
        Map<String, String> labels = null;
        String status = null;
        Map<String, String> annotations = null;
        String startsAt = null;
        String endsAt = null;
        String fingerprint = null;
        int seen = 0;
        int last = TreeFallback.Names.END;
        for (int f = ALERT.next(p, last); f != TreeFallback.Names.END; f = ALERT.next(p, last)) {
            if (f != TreeFallback.Names.UNKNOWN) last = f;
            JsonToken t = p.nextToken();
            seen = once(seen, f);
            switch (f) {
                case 0 -> status = stringOrNull(p, t);
                case 1 -> labels = stringMap(p, t);
                case 2 -> annotations = stringMap(p, t);
                case 3 -> startsAt = stringOrNull(p, t);
                case 4 -> endsAt = stringOrNull(p, t);
                case 5 -> fingerprint = stringOrNull(p, t);
                default -> skip(p, t);
            }
        }
        if (blank(status) || blank(startsAt) || (status.equals("resolved") && blank(endsAt))) {
            throw INSTANCE;
        }
        // Absent maps are empty, as in the tree path.
        return new ReadAlert(
                labels != null ? labels : new HashMap<>(),
                status,
                annotations != null ? annotations : new HashMap<>(),
                startsAt,
                endsAt,
                fingerprint);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
