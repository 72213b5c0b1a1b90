package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.ingest.DeadLetters;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decodes Alertmanager's webhook body (version 4, docs/formats.md "alertmanager-webhook") on the
 * optional alerts topic: each alert of the group becomes a signal report ({@link AlertSignals}), a
 * firing one opening at its {@code startsAt}, a resolved one clearing at its {@code endsAt}. The
 * service comes from the alert's labels (the topic's {@code serviceFrom}, by default {@code
 * service} then {@code job}), the severity from its {@code severity} label.
 *
 * <p>An alert that cannot be read is skipped, not the group: the record then gets one dead letter
 * that counts the skipped alerts and names the first one's problem. Alerts of severity {@code info}
 * or {@code none} (a heartbeat such as a Watchdog alert) are NOT_ANALYSED: they never mean an
 * outage, and one that always fires would hold an incident open forever.
 */
public final class AlertmanagerDecoder implements RecordDecoder {
    private static final long serialVersionUID = 1L;

    private final ServiceNames services;
    private final int maxRecordBytes;

    /** Whether a webhook is read by {@link AlertmanagerReader} first (tests compare both). */
    private final boolean fastPath;

    private transient ObjectMapper mapper;

    public AlertmanagerDecoder(ServiceNames services, int maxRecordBytes) {
        this(services, maxRecordBytes, true);
    }

    /** With {@code fastPath} false, every webhook is read by the tree path (for tests). */
    AlertmanagerDecoder(ServiceNames services, int maxRecordBytes, boolean fastPath) {
        this.services = services;
        this.maxRecordBytes = maxRecordBytes;
        this.fastPath = fastPath;
    }

    /** An alert's fields, read by the tree path or the fast path, each when first asked for. */
    interface AlertFields {
        Map<String, String> labels() throws Reject;

        String status() throws Reject;

        /** The alert's startsAt as epoch milliseconds. */
        long startsAt() throws Reject;

        /** The alert's endsAt as epoch milliseconds (read only for a resolved alert). */
        long endsAt() throws Reject;

        String fingerprint() throws Reject;

        Map<String, String> annotations() throws Reject;
    }

    /** An alert of the webhook's tree. */
    private record TreeAlert(JsonNode a) implements AlertFields {
        @Override
        public Map<String, String> labels() throws Reject {
            return FormatFields.stringMap(a, "labels");
        }

        @Override
        public String status() throws Reject {
            return FormatFields.text(a, "status");
        }

        @Override
        public long startsAt() throws Reject {
            return EventTimes.iso(FormatFields.text(a, "startsAt"), "startsAt");
        }

        @Override
        public long endsAt() throws Reject {
            return EventTimes.iso(FormatFields.text(a, "endsAt"), "endsAt");
        }

        @Override
        public String fingerprint() throws Reject {
            return FormatFields.optionalText(a, "fingerprint");
        }

        @Override
        public Map<String, String> annotations() throws Reject {
            return FormatFields.stringMap(a, "annotations");
        }
    }

    @Override
    public Decoded decode(String topic, int partition, long offset, byte[] value) {
        return FormatDecoder.single(
                decodeAll(topic, partition, offset, value), topic, partition, offset, value);
    }

    @Override
    public List<Decoded> decodeAll(String topic, int partition, long offset, byte[] value) {
        try {
            JsonInput.checkSize(value, maxRecordBytes);
            List<Decoded> fast = fastPath ? readFast(value) : null;
            if (fast != null) return fast;
            List<Decoded> out = new ArrayList<>();
            if (mapper == null) mapper = JsonInput.mapper();
            JsonNode root = JsonInput.parseObject(mapper, value);
            String version = FormatFields.optionalText(root, "version");
            if (version != null && !version.equals("4")) {
                throw Reject.badValue(
                        "webhook version " + JsonInput.quote(version) + "; this reads version 4");
            }
            JsonNode alerts = FormatFields.array(root, "alerts");
            int skipped = 0;
            Reject first = null;
            for (int i = 0; i < alerts.size(); i++) {
                try {
                    if (!alerts.get(i).isObject()) {
                        throw Reject.badValue("must be an object");
                    }
                    out.add(Decoded.of(alert(new TreeAlert(alerts.get(i)))));
                } catch (Reject r) {
                    if (skipped++ == 0) {
                        first = new Reject(r.reason(), "alert " + i + ": " + r.getMessage());
                    }
                }
            }
            if (skipped == 0 && out.isEmpty()) throw Reject.missing("alerts[0]");
            if (skipped > 0) {
                String detail =
                        out.isEmpty() && skipped == 1
                                ? first.getMessage()
                                : skipped
                                        + " of "
                                        + alerts.size()
                                        + " alerts skipped; the first: "
                                        + first.getMessage();
                out.add(
                        Decoded.rejected(
                                DeadLetters.of(
                                        first.reason(), detail, topic, partition, offset, value)));
            }
            return out;
        } catch (Reject r) {
            return List.of(
                    Decoded.rejected(
                            DeadLetters.of(
                                    r.reason(), r.getMessage(), topic, partition, offset, value)));
        } catch (RuntimeException e) {
            // Last resort: a bug here must cost one record, not the job.
            return List.of(
                    Decoded.rejected(DeadLetters.decoderError(e, topic, partition, offset, value)));
        }
    }

    /**
     * The signal reports of a webhook the fast path reads, or null when the tree path must decide
     * (the fast path's alerts are all readable: a webhook with one that is not goes there whole).
     */
    private List<Decoded> readFast(byte[] value) {
        List<AlertFields> alerts = AlertmanagerReader.read(value);
        if (alerts == null) return null;
        List<Decoded> out = new ArrayList<>(alerts.size());
        try {
            for (AlertFields a : alerts) out.add(Decoded.of(alert(a)));
        } catch (Reject r) {
            return null;
        }
        return out;
    }

    private io.incidentanalyzer.model.Signal alert(AlertFields a) throws Reject {
        Map<String, String> labels = a.labels();
        String name = labels.get("alertname");
        if (name == null || name.isBlank()) throw Reject.missing("labels.alertname");
        String status = a.status();
        boolean firing =
                switch (status) {
                    case "firing" -> true;
                    case "resolved" -> false;
                    default ->
                            throw Reject.badValue(
                                    "status "
                                            + JsonInput.quote(status)
                                            + "; expected firing or resolved");
                };
        String level = labels.get("severity");
        Severity severity = severity(level);
        String service = services.of(labels);
        long startsAt = a.startsAt();
        long endsAt = -1;
        if (!firing) {
            endsAt = a.endsAt();
            if (endsAt < startsAt) {
                throw Reject.badTimestamp("endsAt is before startsAt");
            }
        }
        String fingerprint = a.fingerprint();
        if (fingerprint == null || !isFingerprint(fingerprint)) {
            // The label set names the alert, as Alertmanager's own fingerprint does.
            fingerprint = Integer.toHexString(new TreeMap<>(labels).toString().hashCode());
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(
                "Alertmanager alert "
                        + name
                        + (level == null ? "" : " (severity " + level + ")")
                        + (firing ? " firing" : " resolved"));
        Map<String, String> annotations = a.annotations();
        addEvidence(evidence, annotations.get("summary"));
        addEvidence(evidence, annotations.get("description"));
        return AlertSignals.report(
                service, name, fingerprint, firing, startsAt, endsAt, severity, evidence);
    }

    private static void addEvidence(List<String> evidence, String text) {
        if (text != null && !text.isBlank()) evidence.add(JsonInput.truncate(text, 300));
    }

    /**
     * Whether the text is a fingerprint as Alertmanager writes it, 1 to 64 ASCII letters and
     * digits; anything else is replaced by a hash of labels.
     */
    static boolean isFingerprint(String s) {
        if (s.isEmpty() || s.length() > 64) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The signal severity of a {@code severity} label: critical (or page) is CRITICAL; warning,
     * minor and low are MINOR; info and none are not analysed; absent or any other value (error,
     * major, high) is MAJOR, since an alert a team routes to a person is worth an incident.
     */
    static Severity severity(String label) throws Reject {
        if (label == null) return Severity.MAJOR;
        return switch (label.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "page" -> Severity.CRITICAL;
            case "warning", "warn", "minor", "low" -> Severity.MINOR;
            case "info", "informational", "none" ->
                    throw new Reject(
                            RejectReason.NOT_ANALYSED,
                            "severity " + JsonInput.quote(label) + " is not an outage");
            default -> Severity.MAJOR;
        };
    }
}
