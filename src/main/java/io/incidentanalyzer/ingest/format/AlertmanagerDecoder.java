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
import java.util.regex.Pattern;

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

    /** A fingerprint as Alertmanager writes it; anything else is replaced by a hash of labels. */
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Za-z]{1,64}");

    private final ServiceNames services;
    private final int maxRecordBytes;
    private transient ObjectMapper mapper;

    public AlertmanagerDecoder(ServiceNames services, int maxRecordBytes) {
        this.services = services;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public Decoded decode(String topic, int partition, long offset, byte[] value) {
        return FormatDecoder.single(
                decodeAll(topic, partition, offset, value), topic, partition, offset, value);
    }

    @Override
    public List<Decoded> decodeAll(String topic, int partition, long offset, byte[] value) {
        try {
            List<Decoded> out = new ArrayList<>();
            JsonInput.checkSize(value, maxRecordBytes);
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
                    out.add(Decoded.of(alert(alerts.get(i))));
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

    private io.incidentanalyzer.model.Signal alert(JsonNode a) throws Reject {
        Map<String, String> labels = FormatFields.stringMap(a, "labels");
        String name = labels.get("alertname");
        if (name == null || name.isBlank()) throw Reject.missing("labels.alertname");
        String status = FormatFields.text(a, "status");
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
        long startsAt = EventTimes.iso(FormatFields.text(a, "startsAt"), "startsAt");
        long endsAt = -1;
        if (!firing) {
            endsAt = EventTimes.iso(FormatFields.text(a, "endsAt"), "endsAt");
            if (endsAt < startsAt) {
                throw Reject.badTimestamp("endsAt is before startsAt");
            }
        }
        String fingerprint = FormatFields.optionalText(a, "fingerprint");
        if (fingerprint == null || !FINGERPRINT.matcher(fingerprint).matches()) {
            // The label set names the alert, as Alertmanager's own fingerprint does.
            fingerprint = Integer.toHexString(new TreeMap<>(labels).toString().hashCode());
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(
                "Alertmanager alert "
                        + name
                        + (level == null ? "" : " (severity " + level + ")")
                        + (firing ? " firing" : " resolved"));
        Map<String, String> annotations = FormatFields.stringMap(a, "annotations");
        for (String key : List.of("summary", "description")) {
            String text = annotations.get(key);
            if (text != null && !text.isBlank()) evidence.add(JsonInput.truncate(text, 300));
        }
        return AlertSignals.report(
                service, name, fingerprint, firing, startsAt, endsAt, severity, evidence);
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
