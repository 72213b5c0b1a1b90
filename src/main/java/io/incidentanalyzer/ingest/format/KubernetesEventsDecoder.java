package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.RejectReason;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes Kubernetes events: an Event object as JSON ({@code v1} with {@code involvedObject} and
 * {@code message}, or {@code events.k8s.io/v1} with {@code regarding} and {@code note}), or the
 * OTLP/JSON logs the Collector's {@code k8s_events} receiver makes of them ({@code
 * k8s.event.reason}, {@code k8s.object.kind}, {@code k8s.object.name}, … attributes).
 *
 * <p>The service is the object's workload name: a pod's name without its ReplicaSet and pod
 * suffixes ({@code checkout-7d4b9c8f6-x2x9z} → {@code checkout}), a StatefulSet pod's without its
 * ordinal ({@code db-0} → {@code db}), a ReplicaSet's without its hash; a Deployment's, a Node's
 * and others' as they are.
 *
 * <p>On the logs stream every event is a log event: level WARN for {@code Warning}, INFO for {@code
 * Normal}, message {@code <reason>: <message>}, the reason, object and node as attributes (so
 * OOMKilled, BackOff, Unhealthy, FailedScheduling and Killing reach the error-pattern detector). On
 * the changes stream only a rollout is a change: {@code ScalingReplicaSet} of a Deployment is a
 * DEPLOY of it. A container killed, backing off or failing a probe is a symptom, not something the
 * team changed; calling it a change would let the correlator blame it as a deploy, so those events
 * are NOT_ANALYSED there.
 */
public final class KubernetesEventsDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    private final OtlpJsonDecoder otlp;

    /** Whether an Event object is read by {@link KubernetesEventsReader} first (tests compare). */
    private final boolean fastPath;

    public KubernetesEventsDecoder(StreamKind kind, int maxRecordBytes) {
        this(kind, maxRecordBytes, true);
    }

    /** With {@code fastPath} false, every record is read by the tree path (for tests). */
    KubernetesEventsDecoder(StreamKind kind, int maxRecordBytes, boolean fastPath) {
        super(kind, maxRecordBytes);
        this.fastPath = fastPath;
        this.otlp =
                new OtlpJsonDecoder(
                        StreamKind.LOGS,
                        new ServiceNames(java.util.List.of(), "-"),
                        maxRecordBytes);
    }

    /** One event, whichever form it came in. */
    record K8sEvent(
            long ts,
            String type,
            String reason,
            String message,
            String kind,
            String name,
            String namespace,
            String node) {}

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        K8sEvent fast = fastPath ? KubernetesEventsReader.read(value) : null;
        if (fast != null) {
            emit(fast, out);
            return;
        }
        JsonNode r = jsonObject(value);
        if (r.has("resourceLogs")) {
            ExportLogsServiceRequest request =
                    otlp.request(value, ExportLogsServiceRequest.newBuilder());
            for (ResourceLogs rl : request.getResourceLogsList()) {
                Map<String, String> resource =
                        OtlpMapping.attributes(rl.getResource().getAttributesList());
                for (ScopeLogs sl : rl.getScopeLogsList()) {
                    for (LogRecord lr : sl.getLogRecordsList()) {
                        try {
                            emit(fromOtlp(resource, lr), out);
                        } catch (Reject e) {
                            out.skip("log record", e);
                        }
                    }
                }
            }
            return;
        }
        emit(fromObject(r), out);
    }

    private void emit(K8sEvent e, Events out) throws Reject {
        String service = service(e.kind(), e.name());
        if (kind == StreamKind.LOGS) {
            Map<String, String> attrs = new HashMap<>();
            attrs.put("k8s.event.reason", e.reason());
            attrs.put("k8s.object.kind", e.kind());
            attrs.put("k8s.object.name", e.name());
            if (e.namespace() != null) attrs.put("k8s.namespace.name", e.namespace());
            if (e.node() != null) attrs.put("k8s.node.name", e.node());
            String level = "Warning".equalsIgnoreCase(e.type()) ? "WARN" : "INFO";
            out.add(
                    new LogEvent(
                            e.ts(),
                            service,
                            level,
                            e.reason() + ": " + (e.message() == null ? "" : e.message()),
                            attrs));
            return;
        }
        if (e.reason().equals("ScalingReplicaSet") && "Deployment".equals(e.kind())) {
            out.add(new ChangeEvent(e.ts(), service, ChangeKind.DEPLOY, null, e.message()));
            return;
        }
        throw new Reject(
                RejectReason.NOT_ANALYSED,
                "Kubernetes event "
                        + e.reason()
                        + " of "
                        + e.kind()
                        + " is not a change the team made (only a Deployment's"
                        + " ScalingReplicaSet is)");
    }

    static K8sEvent fromObject(JsonNode r) throws Reject {
        if (!r.hasNonNull("involvedObject") && !r.hasNonNull("regarding")) {
            throw new Reject(
                    RejectReason.MISSING_FIELD,
                    "missing required field 'involvedObject' (or 'regarding')");
        }
        JsonNode object =
                r.hasNonNull("involvedObject")
                        ? FormatFields.object(r, "involvedObject")
                        : FormatFields.object(r, "regarding");
        String message =
                r.hasNonNull("message")
                        ? FormatFields.optionalText(r, "message")
                        : FormatFields.optionalText(r, "note");
        String node = null;
        if (r.hasNonNull("source") && r.get("source").isObject()) {
            node = FormatFields.optionalText(r.get("source"), "host");
        }
        if (node == null) {
            node = FormatFields.optionalText(r, "reportingInstance");
        }
        return new K8sEvent(
                time(r),
                FormatFields.optionalText(r, "type"),
                FormatFields.text(r, "reason"),
                message,
                FormatFields.text(object, "kind"),
                FormatFields.text(object, "name"),
                FormatFields.optionalText(object, "namespace"),
                node);
    }

    /** The event's latest time: lastTimestamp, eventTime, series' last, else when it was made. */
    private static long time(JsonNode r) throws Reject {
        for (String f :
                new String[] {
                    "lastTimestamp", "deprecatedLastTimestamp", "eventTime", "firstTimestamp"
                }) {
            if (r.hasNonNull(f)) {
                return EventTimes.iso(FormatFields.text(r, f), f);
            }
        }
        if (r.hasNonNull("series") && r.get("series").hasNonNull("lastObservedTime")) {
            return EventTimes.iso(
                    FormatFields.text(r.get("series"), "lastObservedTime"), "lastObservedTime");
        }
        if (r.hasNonNull("metadata") && r.get("metadata").hasNonNull("creationTimestamp")) {
            return EventTimes.iso(
                    FormatFields.text(r.get("metadata"), "creationTimestamp"), "creationTimestamp");
        }
        throw Reject.missing("lastTimestamp");
    }

    private static K8sEvent fromOtlp(Map<String, String> resource, LogRecord lr) throws Reject {
        Map<String, String> attrs = OtlpMapping.attributes(lr.getAttributesList());
        String reason = attrs.get("k8s.event.reason");
        String objectKind = resource.get("k8s.object.kind");
        String objectName = resource.get("k8s.object.name");
        if (reason == null || objectKind == null || objectName == null) {
            throw Reject.missing(
                    reason == null
                            ? "k8s.event.reason"
                            : objectKind == null ? "k8s.object.kind" : "k8s.object.name");
        }
        long nanos =
                lr.getTimeUnixNano() != 0 ? lr.getTimeUnixNano() : lr.getObservedTimeUnixNano();
        if (nanos == 0) {
            throw Reject.missing("timeUnixNano");
        }
        return new K8sEvent(
                EventTimes.epoch(nanos, java.util.concurrent.TimeUnit.NANOSECONDS, "timeUnixNano"),
                lr.getSeverityText(),
                reason,
                OtlpMapping.text(lr.getBody()),
                objectKind,
                objectName,
                attrs.getOrDefault("k8s.namespace.name", resource.get("k8s.namespace.name")),
                resource.get("k8s.node.name"));
    }

    /**
     * The workload an object belongs to, by Kubernetes' naming of generated objects: a pod's name
     * without {@code -<replicaset hash of 6-10>-<5>} (a Deployment's pod), else without {@code
     * -<digits>} (a StatefulSet's), else without {@code -<5-10>} (a DaemonSet's or a bare
     * ReplicaSet's); a ReplicaSet's without {@code -<5-10>}. The hashes are lower-case letters and
     * digits. Matched by hand: the regular expressions it replaces cost a third of a record's
     * decoding ({@code KubernetesEventsDecoderTest} compares both on generated names).
     */
    static String service(String kind, String name) throws Reject {
        if (name.isBlank()) {
            throw Reject.missing("name");
        }
        String n = name;
        if (kindIs(kind, "pod")) {
            int last = name.lastIndexOf('-');
            int hash = last - 1 < 0 ? -1 : name.lastIndexOf('-', last - 1);
            if (last >= 0
                    && name.length() - last - 1 == 5
                    && hash >= 0
                    && last - hash - 1 >= 6
                    && last - hash - 1 <= 10
                    && lowerAlnum(name, hash + 1, last)
                    && lowerAlnum(name, last + 1, name.length())) {
                n = name.substring(0, hash);
            } else if (last >= 0 && last < name.length() - 1 && digits(name, last + 1)) {
                n = name.substring(0, last);
            } else {
                n = withoutHash(name);
            }
        } else if (kindIs(kind, "replicaset")) {
            n = withoutHash(name);
        }
        return n.isBlank() ? name : n;
    }

    /** {@code kind} in lower case (Locale.ROOT) is {@code lower}: without a copy for ASCII. */
    private static boolean kindIs(String kind, String lower) {
        for (int i = 0; i < kind.length(); i++) {
            if (kind.charAt(i) >= 0x80) {
                return kind.toLowerCase(Locale.ROOT).equals(lower);
            }
        }
        if (kind.length() != lower.length()) {
            return false;
        }
        for (int i = 0; i < kind.length(); i++) {
            char c = kind.charAt(i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The name without a final {@code -<5 to 10 lower-case letters or digits>}. */
    private static String withoutHash(String name) {
        int last = name.lastIndexOf('-');
        int length = name.length() - last - 1;
        return last >= 0 && length >= 5 && length <= 10 && lowerAlnum(name, last + 1, name.length())
                ? name.substring(0, last)
                : name;
    }

    /** The text in [from, to) is [a-z0-9]. */
    private static boolean lowerAlnum(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
