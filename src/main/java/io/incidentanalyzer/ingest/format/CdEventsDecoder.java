package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.StreamingFields.Fields;
import io.incidentanalyzer.ingest.format.StreamingFields.TreePath;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.RejectReason;
import java.io.IOException;
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
 *
 * <p>Two paths: a record in the common shapes is read by the streaming fast path ({@link
 * StreamingFields}, no tree); every other record goes through the tree path, the reference for what
 * the fast path may accept ({@code StreamingFastPathTest} compares both).
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
        ChangeEvent fast = readStreaming(value);
        if (fast != null) {
            out.add(fast);
        } else {
            readTree(value, out);
        }
    }

    // The record (a CDEvent, or a CloudEvent whose data is one) and its objects, in the SDKs'
    // order; fields that are not read are named only to keep the order.
    private static final Fields ROOT = new Fields("context", "subject", "type", "time", "data");
    private static final Fields CONTEXT =
            new Fields("specversion", "id", "source", "type", "timestamp");
    private static final Fields SUBJECT =
            new Fields("id", "source", "type", "content", "environment", "artifactId", "name");
    private static final Fields CONTENT = new Fields("environment", "artifactId", "name");
    private static final Fields ENVIRONMENT = new Fields("id");

    /** What the fast path keeps of one CDEvent: the record's, or its CloudEvent data's. */
    private static final class Scope {
        int seen;
        String type;
        String timestamp;
        String id;
        boolean content;
        // CONTENT's order: the environment's id, artifactId, name; of content, else of subject.
        final String[] subject = new String[3];
        final String[] inContent = new String[3];
    }

    /**
     * The fast path: the change read with the streaming parser, or null when the tree path must
     * decide: anything {@link StreamingFields} leaves to it, a field of a type the tree would
     * reject or turn into text, and every event that is not a change (the tree path gives its
     * NOT_ANALYSED or BAD_VALUE rejection).
     */
    ChangeEvent readStreaming(byte[] value) {
        try (JsonParser p = StreamingFields.object(value)) {
            Scope root = new Scope();
            Scope data = null;
            String rootType = null;
            String rootTime = null;
            int seen = 0;
            for (int f = ROOT.next(p, -1); f != Fields.END; f = ROOT.next(p, f)) {
                JsonToken t = p.nextToken();
                seen = StreamingFields.once(seen, f);
                switch (f) {
                    case 0, 1 -> scopeField(p, t, f, root);
                    case 2 -> rootType = StreamingFields.optionalText(p, t);
                    case 3 -> rootTime = StreamingFields.optionalText(p, t);
                    case 4 -> {
                        if (t == JsonToken.START_OBJECT) {
                            data = new Scope();
                            for (int d = ROOT.next(p, -1); d != Fields.END; d = ROOT.next(p, d)) {
                                JsonToken v = p.nextToken();
                                if (d == 0 || d == 1) {
                                    scopeField(p, v, d, data);
                                } else {
                                    StreamingFields.skip(p, v);
                                }
                            }
                        } else {
                            // Not an object: the tree reads the record itself.
                            StreamingFields.skip(p, t);
                        }
                    }
                    default -> StreamingFields.skip(p, t);
                }
            }
            StreamingFields.end(p);
            Scope event = data != null ? data : root;
            StreamingFields.required(event.seen, 0b11);
            String type = event.type != null ? event.type : rootType;
            String time = event.timestamp != null ? event.timestamp : rootTime;
            if (type == null || type.isBlank() || time == null || time.isBlank()) {
                return null;
            }
            return change(type, time, event);
        } catch (TreePath | IOException | RuntimeException e) {
            return null;
        }
    }

    /** The context (0) or subject (1) of a CDEvent into {@code scope}. */
    private static void scopeField(JsonParser p, JsonToken t, int f, Scope scope)
            throws IOException, TreePath {
        scope.seen = StreamingFields.once(scope.seen, f);
        if (t != JsonToken.START_OBJECT) {
            throw StreamingFields.TREE_PATH;
        }
        int seen = 0;
        if (f == 0) {
            for (int c = CONTEXT.next(p, -1); c != Fields.END; c = CONTEXT.next(p, c)) {
                JsonToken v = p.nextToken();
                seen = StreamingFields.once(seen, c);
                switch (c) {
                    case 3 -> scope.type = nonBlankOrNull(p, v);
                    case 4 -> scope.timestamp = nonBlankOrNull(p, v);
                    default -> StreamingFields.skip(p, v);
                }
            }
            return;
        }
        for (int s = SUBJECT.next(p, -1); s != Fields.END; s = SUBJECT.next(p, s)) {
            JsonToken v = p.nextToken();
            seen = StreamingFields.once(seen, s);
            switch (s) {
                case 0 -> scope.id = StreamingFields.text(p, v);
                case 3 -> {
                    if (v != JsonToken.START_OBJECT) {
                        throw StreamingFields.TREE_PATH;
                    }
                    scope.content = true;
                    fields(p, scope.inContent);
                }
                case 4, 5, 6 -> field(p, v, s - 4, scope.subject);
                default -> StreamingFields.skip(p, v);
            }
        }
        StreamingFields.required(seen, 0b1);
    }

    /** The environment, artifactId and name of a content object, after its opening brace. */
    private static void fields(JsonParser p, String[] into) throws IOException, TreePath {
        int seen = 0;
        for (int f = CONTENT.next(p, -1); f != Fields.END; f = CONTENT.next(p, f)) {
            JsonToken v = p.nextToken();
            seen = StreamingFields.once(seen, f);
            if (f == Fields.UNKNOWN) {
                StreamingFields.skip(p, v);
            } else {
                field(p, v, f, into);
            }
        }
    }

    /** One of the environment (0, its id), artifactId (1) and name (2). */
    private static void field(JsonParser p, JsonToken t, int f, String[] into)
            throws IOException, TreePath {
        if (f != 0) {
            into[f] = StreamingFields.optionalText(p, t);
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            // The tree takes an environment that is no object as none.
            StreamingFields.skip(p, t);
            return;
        }
        int seen = 0;
        for (int e = ENVIRONMENT.next(p, -1); e != Fields.END; e = ENVIRONMENT.next(p, e)) {
            JsonToken v = p.nextToken();
            seen = StreamingFields.once(seen, e);
            if (e == 0) {
                into[0] = StreamingFields.optionalText(p, v);
            } else {
                StreamingFields.skip(p, v);
            }
        }
    }

    /** A string the tree reads as present (non-blank) or absent (null). */
    private static String nonBlankOrNull(JsonParser p, JsonToken t) throws IOException, TreePath {
        String s = StreamingFields.optionalText(p, t);
        if (s != null && s.isBlank()) {
            throw StreamingFields.TREE_PATH;
        }
        return s;
    }

    /** The change of an event the fast path read, or null for the tree to reject it. */
    private static ChangeEvent change(String type, String time, Scope event) {
        int kindEnd = typeKindEnd(type);
        if (kindEnd < 0) {
            return null;
        }
        int predicateEnd = type.indexOf('.', kindEnd + 1);
        String predicate =
                type.substring(kindEnd + 1, predicateEnd < 0 ? type.length() : predicateEnd);
        long ts = EventTimes.commonIso(time.toCharArray(), 0, time.length());
        if (ts == EventTimes.NOT_COMMON) {
            return null;
        }
        String[] fields = event.content ? event.inContent : event.subject;
        String id = event.id;
        String subjectKind = type.substring(PREFIX.length(), kindEnd);
        try {
            if (subjectKind.equals("environment") && predicate.equals("modified")) {
                return environmentModified(ts, id, fields[2]);
            }
            ChangeKind kind = subjectKind.equals("service") ? serviceChange(predicate) : null;
            if (kind == null) {
                return null;
            }
            return serviceChange(ts, id, kind, predicate, fields[1], fields[0]);
        } catch (Reject r) {
            return null;
        }
    }

    private static final String PREFIX = "dev.cdevents.";

    /**
     * Where the subject kind of a CDEvents type ends (the dot before the predicate), or -1 when
     * {@link #TYPE} does not match it: the regex's test without the regex.
     */
    static int typeKindEnd(String type) {
        if (!type.startsWith(PREFIX)) {
            return -1;
        }
        int i = PREFIX.length();
        int n = type.length();
        int kindStart = i;
        while (i < n && isLetter(type.charAt(i))) {
            i++;
        }
        if (i == kindStart || i == n || type.charAt(i) != '.') {
            return -1;
        }
        int kindEnd = i++;
        int predicateStart = i;
        while (i < n && isLetter(type.charAt(i))) {
            i++;
        }
        if (i == predicateStart) {
            return -1;
        }
        if (i == n) {
            return kindEnd;
        }
        if (type.charAt(i) != '.' || i + 1 == n) {
            return -1;
        }
        for (i++; i < n; i++) {
            char c = type.charAt(i);
            if (!(isLetter(c) || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) {
                return -1;
            }
        }
        return kindEnd;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** The reference path: every record the fast path leaves, and every rejection. */
    void readTree(byte[] value, Events out) throws Reject {
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
            out.add(environmentModified(ts, id, FormatFields.optionalText(fields, "name")));
            return;
        }
        if (!subjectKind.equals("service")) {
            throw new Reject(
                    RejectReason.NOT_ANALYSED,
                    "CDEvents " + subjectKind + "." + predicate + " is not a change of a service");
        }
        ChangeKind kind = serviceChange(predicate);
        if (kind == null) {
            throw new Reject(
                    RejectReason.NOT_ANALYSED,
                    "CDEvents service." + predicate + " is not a change");
        }
        String artifact = FormatFields.optionalText(fields, "artifactId");
        String environment =
                fields.hasNonNull("environment") && fields.get("environment").isObject()
                        ? FormatFields.optionalText(fields.get("environment"), "id")
                        : null;
        out.add(serviceChange(ts, id, kind, predicate, artifact, environment));
    }

    /** The CONFIG change of an environment, named by its name or else its id. */
    private static ChangeEvent environmentModified(long ts, String id, String name) throws Reject {
        return new ChangeEvent(
                ts,
                name != null && !name.isBlank() ? name : lastSegment(id),
                ChangeKind.CONFIG,
                null,
                "environment modified");
    }

    /** The change a service event's predicate makes, or null when it makes none. */
    private static ChangeKind serviceChange(String predicate) {
        return switch (predicate) {
            case "deployed", "upgraded", "removed" -> ChangeKind.DEPLOY;
            case "rolledback" -> ChangeKind.ROLLBACK;
            default -> null;
        };
    }

    private static ChangeEvent serviceChange(
            long ts,
            String id,
            ChangeKind kind,
            String predicate,
            String artifact,
            String environment)
            throws Reject {
        return new ChangeEvent(
                ts,
                lastSegment(id),
                kind,
                version(artifact),
                "service "
                        + predicate
                        + (environment != null ? " in " + environment : "")
                        + (artifact != null ? " (" + artifact + ")" : ""));
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
        int end = at + 1;
        while (end < artifact.length()
                && artifact.charAt(end) != '?'
                && artifact.charAt(end) != '#') {
            end++;
        }
        String v = artifact.substring(at + 1, end);
        String ascii = asciiDecoded(v);
        if (ascii != null) {
            return ascii;
        }
        try {
            return URLDecoder.decode(v, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return v;
        }
    }

    /**
     * What {@link URLDecoder} gives for {@code v} when every escape in it is an ASCII byte ({@code
     * +} is a space), without its builders; null for any other escape, which it decodes.
     */
    static String asciiDecoded(String v) {
        if (v.indexOf('%') < 0 && v.indexOf('+') < 0) {
            return v;
        }
        char[] out = new char[v.length()];
        int n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+') {
                c = ' ';
            } else if (c == '%') {
                int hi = i + 2 < v.length() ? hex(v.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? hex(v.charAt(i + 2)) : -1;
                if (lo < 0 || hi >= 8) {
                    return null;
                }
                c = (char) (hi * 16 + lo);
                i += 2;
            }
            out[n++] = c;
        }
        return new String(out, 0, n);
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
            return (c | 0x20) - 'a' + 10;
        }
        return -1;
    }
}
