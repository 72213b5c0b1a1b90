package io.incidentanalyzer.ingest.format;

import com.google.protobuf.InvalidProtocolBufferException;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * Decodes what the OpenTelemetry Collector's Kafka exporter writes with {@code encoding:
 * otlp_proto}: one protobuf {@code ExportMetricsServiceRequest} (on the metrics topic) or {@code
 * ExportLogsServiceRequest} (on the logs topic) or {@code ExportTraceServiceRequest} (on the traces
 * topic) per record, mapped by {@link OtlpMapping}. Bytes that do not parse are one MALFORMED dead
 * letter.
 */
public final class OtlpProtoDecoder extends FormatDecoder {
    private static final long serialVersionUID = 1L;

    private final OtlpMapping mapping;

    public OtlpProtoDecoder(StreamKind kind, ServiceNames services, int maxRecordBytes) {
        super(kind, maxRecordBytes);
        this.mapping = new OtlpMapping(services, OtlpMapping::hex);
    }

    private OtlpProtoDecoder(ServiceNames services, int maxRecordBytes) {
        super("traces", maxRecordBytes);
        this.mapping = new OtlpMapping(services, OtlpMapping::hex);
    }

    /** The decoder of the optional traces topic: one {@code ExportTraceServiceRequest} a record. */
    public static OtlpProtoDecoder traces(ServiceNames services, int maxRecordBytes) {
        return new OtlpProtoDecoder(services, maxRecordBytes);
    }

    @Override
    protected void read(byte[] value, Events out) throws Reject {
        requireBytes(value);
        try {
            if (kind == null) {
                mapping.traces(ExportTraceServiceRequest.parseFrom(value), out);
            } else if (kind == StreamKind.METRICS) {
                mapping.metrics(ExportMetricsServiceRequest.parseFrom(value), out);
            } else {
                mapping.logs(ExportLogsServiceRequest.parseFrom(value), out);
            }
        } catch (InvalidProtocolBufferException e) {
            throw OtlpMapping.malformed("not an OTLP " + what() + " request", e);
        }
    }

    private String what() {
        return kind == null ? "traces" : kind == StreamKind.METRICS ? "metrics" : "logs";
    }
}
