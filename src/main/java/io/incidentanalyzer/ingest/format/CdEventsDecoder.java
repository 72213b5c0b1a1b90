package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.RejectReason;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes CDEvents deployment events on the changes stream: a CDEvent ({@code {"context": {...},
 * "subject": {...}}}) or a CloudEvent in structured JSON mode whose {@code data} is one. Service
 * events ({@code dev.cdevents.service.deployed|upgraded|rolledback|removed.<version>}) become
 * changes of the service the subject's id names ({@code service/myapp} → {@code myapp}), at the
 * version of its {@code artifactId} (a purl's version, after {@code @}); {@code
 * dev.cdevents.environment.modified} becomes a CONFIG change of the environment. Other CDEvents
 * (pipeline runs, builds, …) are NOT_ANALYSED.
 */
public final class CdEventsDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    private static final Pattern TYPE =
            Pattern.compile("dev\\.cdevents\\.([a-zA-Z]+)\\.([a-zA-Z]+)(?:\\.[0-9A-Za-z.+-]+)?");

    public CdEventsDecoder(int maxRecordBytes) {
        super(StreamKind.CHANGES, maxRecordBytes);
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        JsonNode root = jsonObject(value);
        // A CloudEvent in structured mode carries the CDEvent in data.
        JsonNode event = root.has("data") && root.get("data").isObject() ? root.get("data") : root;
        JsonNode context = FormatFields.object(event, "context");
        JsonNode subject = FormatFields.object(event, "subject");
        String type =
                context.hasNonNull("type")
                        ? FormatFields.text(context, "type")
                        : FormatFields.text(root, "type");
        String time =
                context.hasNonNull("timestamp")
                        ? FormatFields.text(context, "timestamp")
                        : FormatFields.text(root, "time");
        Matcher m = TYPE.matcher(type);
        if (!m.matches()) {
            throw Reject.badValue("type " + JsonInput.quote(type) + " is not a CDEvents type");
        }
        long ts = EventTimes.iso(time, "timestamp");
        // Spec 0.3/0.4 nest the subject's fields in content; later versions put them in subject.
        JsonNode fields =
                subject.has("content") ? FormatFields.object(subject, "content") : subject;
        String id = FormatFields.text(subject, "id");
        String subjectKind = m.group(1);
        String predicate = m.group(2);
        if (subjectKind.equals("environment") && predicate.equals("modified")) {
            String name = FormatFields.optionalText(fields, "name");
            out.add(
                    new ChangeEvent(
                            ts,
                            name != null && !name.isBlank() ? name : lastSegment(id),
                            ChangeKind.CONFIG,
                            null,
                            "environment modified"));
            return;
        }
        if (!subjectKind.equals("service")) {
            throw new Reject(
                    RejectReason.NOT_ANALYSED,
                    "CDEvents " + subjectKind + "." + predicate + " is not a change of a service");
        }
        ChangeKind kind =
                switch (predicate) {
                    case "deployed", "upgraded", "removed" -> ChangeKind.DEPLOY;
                    case "rolledback" -> ChangeKind.ROLLBACK;
                    default ->
                            throw new Reject(
                                    RejectReason.NOT_ANALYSED,
                                    "CDEvents service." + predicate + " is not a change");
                };
        String artifact = FormatFields.optionalText(fields, "artifactId");
        String environment =
                fields.hasNonNull("environment") && fields.get("environment").isObject()
                        ? FormatFields.optionalText(fields.get("environment"), "id")
                        : null;
        out.add(
                new ChangeEvent(
                        ts,
                        lastSegment(id),
                        kind,
                        version(artifact),
                        "service "
                                + predicate
                                + (environment != null ? " in " + environment : "")
                                + (artifact != null ? " (" + artifact + ")" : "")));
    }

    /** {@code service/myapp} → {@code myapp}: the subject id's kind prefix is not the name. */
    static String lastSegment(String id) throws Reject {
        String s = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        String name = s.substring(s.lastIndexOf('/') + 1);
        if (name.isBlank()) {
            throw Reject.badValue("subject id " + JsonInput.quote(id) + " names no service");
        }
        return name;
    }

    /** A purl's version (after @, before ? or #), URL-decoded; a plain id as it is. */
    static String version(String artifact) {
        if (artifact == null) {
            return null;
        }
        int at = artifact.lastIndexOf('@');
        if (!artifact.startsWith("pkg:") || at < 0) {
            return artifact;
        }
        String v = artifact.substring(at + 1).split("[?#]", 2)[0];
        try {
            return URLDecoder.decode(v, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return v;
        }
    }
}
