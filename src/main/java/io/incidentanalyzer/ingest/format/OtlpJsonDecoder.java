package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.RejectReason;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Decodes OTLP/JSON (the Collector's Kafka exporter with {@code encoding: otlp_json}): one export
 * request per record, in the protobuf JSON mapping with OTLP's exceptions, mapped by {@link
 * OtlpMapping}.
 *
 * <p>{@link OtlpJsonReader} reads nearly every record: Jackson's streaming parser into the request,
 * trace and span ids as hex, at about the cost of a Jackson tree of the same bytes. What it does
 * not handle goes to protobuf's own {@link JsonFormat}, as every record did before: lowerCamelCase
 * and original field names, enums as integers or names, 64-bit integers as strings or numbers. OTLP
 * writes trace and span ids as hex where that mapping expects base64; a hex id whose length is a
 * multiple of four is also valid base64, so JsonFormat reads it without complaint into other bytes,
 * and encoding those bytes back as base64 gives the hex text again exactly, which is what the
 * events keep (in lower case, as the fast path's). That path checks the record for JSON syntax with
 * Jackson first (its nesting and number limits), so that broken JSON is NOT_JSON and only a
 * well-formed record that is not an OTLP request is MALFORMED.
 */
public final class OtlpJsonDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    /** The mapping of requests JsonFormat read (ids as base64 of their hex text). */
    private final OtlpMapping mapping;

    /** The mapping of requests the fast path read (ids as their bytes). */
    private final OtlpMapping fastMapping;

    /** False only in tests that compare the two paths. */
    private final boolean fast;

    private transient JsonFactory json;
    private transient JsonFormat.Parser parser;
    private transient OtlpJsonReader reader;

    public OtlpJsonDecoder(StreamKind kind, ServiceNames services, int maxRecordBytes) {
        this(kind, services, maxRecordBytes, true);
    }

    /** With {@code fast} false, every record is read by JsonFormat (tests). */
    OtlpJsonDecoder(StreamKind kind, ServiceNames services, int maxRecordBytes, boolean fast) {
        super(kind, maxRecordBytes);
        this.mapping = new OtlpMapping(services, OtlpJsonDecoder::idText);
        this.fastMapping = new OtlpMapping(services, OtlpMapping::hex);
        this.fast = fast;
    }

    private OtlpJsonDecoder(ServiceNames services, int maxRecordBytes, boolean fast) {
        super("traces", maxRecordBytes);
        this.mapping = new OtlpMapping(services, OtlpJsonDecoder::idText);
        this.fastMapping = new OtlpMapping(services, OtlpMapping::hex);
        this.fast = fast;
    }

    /** The decoder of the optional traces topic: one {@code ExportTraceServiceRequest} a record. */
    public static OtlpJsonDecoder traces(ServiceNames services, int maxRecordBytes) {
        return new OtlpJsonDecoder(services, maxRecordBytes, true);
    }

    /** The traces decoder with {@code fast} false: every record read by JsonFormat (tests). */
    static OtlpJsonDecoder traces(ServiceNames services, int maxRecordBytes, boolean fast) {
        return new OtlpJsonDecoder(services, maxRecordBytes, fast);
    }

    /**
     * The hex text of an id the protobuf mapping read as base64 (see the class comment), in lower
     * case when it is hex; other text (an id a producer wrote in base64) as it came.
     */
    private static String idText(com.google.protobuf.ByteString id) {
        String text = Base64.getEncoder().encodeToString(id.toByteArray());
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return text;
            }
        }
        return text.toLowerCase(Locale.ROOT);
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        if (fast && readFast(value, out)) {
            return;
        }
        if (kind == null) {
            mapping.traces(request(value, ExportTraceServiceRequest.newBuilder()), out);
        } else if (kind == StreamKind.METRICS) {
            mapping.metrics(request(value, ExportMetricsServiceRequest.newBuilder()), out);
        } else {
            mapping.logs(request(value, ExportLogsServiceRequest.newBuilder()), out);
        }
    }

    /** Decodes the record by the fast path; false where JsonFormat must read it instead. */
    private boolean readFast(byte[] value, Events out) throws Reject {
        if (reader == null) {
            reader = new OtlpJsonReader();
        }
        if (kind == null) {
            ExportTraceServiceRequest r =
                    reader.read(
                            value,
                            ExportTraceServiceRequest.getDescriptor(),
                            ExportTraceServiceRequest.parser());
            if (r == null) return false;
            fastMapping.traces(r, out);
        } else if (kind == StreamKind.METRICS) {
            ExportMetricsServiceRequest r =
                    reader.read(
                            value,
                            ExportMetricsServiceRequest.getDescriptor(),
                            ExportMetricsServiceRequest.parser());
            if (r == null) return false;
            fastMapping.metrics(r, out);
        } else {
            ExportLogsServiceRequest r =
                    reader.read(
                            value,
                            ExportLogsServiceRequest.getDescriptor(),
                            ExportLogsServiceRequest.parser());
            if (r == null) return false;
            fastMapping.logs(r, out);
        }
        return true;
    }

    /** The record as the request {@code builder} builds: NOT_JSON or MALFORMED if it is not one. */
    @SuppressWarnings("unchecked")
    <T extends Message> T request(byte[] value, Message.Builder builder) throws Reject {
        if (json == null) {
            json = JsonInput.mapper().getFactory();
            parser = JsonFormat.parser().ignoringUnknownFields();
        }
        checkSyntax(value);
        try {
            parser.merge(new String(value, StandardCharsets.UTF_8), builder);
            return (T) builder.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // JsonFormat reports a wrong type or an unparsable number as either.
            throw OtlpMapping.malformed(
                    "not an OTLP/JSON "
                            + (kind == null
                                    ? "traces"
                                    : kind == StreamKind.METRICS ? "metrics" : "logs")
                            + " request",
                    e);
        }
    }

    /** Walks the tokens once: NOT_JSON for anything but one well-formed JSON object. */
    private void checkSyntax(byte[] value) throws Reject {
        if (value == null || value.length == 0) {
            throw new Reject(
                    RejectReason.NOT_JSON, "record value is " + (value == null ? "null" : "empty"));
        }
        try (JsonParser p = json.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Reject(RejectReason.NOT_JSON, "expected a JSON object");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new Reject(RejectReason.NOT_JSON, "not valid JSON: content after the object");
            }
        } catch (IOException e) {
            // JsonInput.parse gives the same classification and a short message.
            JsonInput.parse(JsonInput.mapper(), value);
            throw new Reject(RejectReason.NOT_JSON, "not valid JSON");
        }
    }
}
