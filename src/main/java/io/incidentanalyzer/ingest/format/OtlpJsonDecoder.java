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

/**
 * Decodes OTLP/JSON (the Collector's Kafka exporter with {@code encoding: otlp_json}): one export
 * request per record, in the protobuf JSON mapping with OTLP's exceptions, mapped by {@link
 * OtlpMapping}.
 *
 * <p>protobuf's own {@link JsonFormat} reads the mapping: lowerCamelCase and original field names,
 * enums as integers or names, 64-bit integers as strings or numbers. OTLP writes trace and span ids
 * as hex where the mapping expects base64; a 32- or 16-digit hex id is also valid base64, so the
 * parser reads it without complaint into other bytes, and encoding those bytes back as base64 gives
 * the hex text again exactly, which is what the log event keeps. The record is checked for JSON
 * syntax with Jackson first (its nesting and number limits), so that broken JSON is NOT_JSON and
 * only a well-formed record that is not an OTLP request is MALFORMED.
 */
public final class OtlpJsonDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    private final OtlpMapping mapping;
    private transient JsonFactory json;
    private transient JsonFormat.Parser parser;

    public OtlpJsonDecoder(StreamKind kind, ServiceNames services, int maxRecordBytes) {
        super(kind, maxRecordBytes);
        this.mapping = new OtlpMapping(services, OtlpJsonDecoder::idText);
    }

    private OtlpJsonDecoder(ServiceNames services, int maxRecordBytes) {
        super("traces", maxRecordBytes);
        this.mapping = new OtlpMapping(services, OtlpJsonDecoder::idText);
    }

    /** The decoder of the optional traces topic: one {@code ExportTraceServiceRequest} a record. */
    public static OtlpJsonDecoder traces(ServiceNames services, int maxRecordBytes) {
        return new OtlpJsonDecoder(services, maxRecordBytes);
    }

    /** The hex text of an id the protobuf mapping read as base64 (see the class comment). */
    private static String idText(com.google.protobuf.ByteString id) {
        return Base64.getEncoder().encodeToString(id.toByteArray());
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        if (kind == null) {
            mapping.traces(request(value, ExportTraceServiceRequest.newBuilder()), out);
        } else if (kind == StreamKind.METRICS) {
            mapping.metrics(request(value, ExportMetricsServiceRequest.newBuilder()), out);
        } else {
            mapping.logs(request(value, ExportLogsServiceRequest.newBuilder()), out);
        }
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
