package io.incidentanalyzer.ingest.format;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;

/**
 * OTLP trace export requests as an instrumented service's SDK or the Collector would write them:
 * the JSON example of docs/formats.md ("otlp-proto and otlp-json traces") and a proto builder.
 */
public final class TraceExamples {
    private TraceExamples() {}

    public static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";

    /**
     * One checkout call in OTLP/JSON, as docs/formats.md shows it: the frontend's CLIENT span (250
     * ms), checkout's SERVER span under it (failed), and checkout's CLIENT span to its database,
     * named by {@code peer.service}. Times are at {@code nanos} and after.
     */
    public static String checkoutJson(String traceId, long nanos) {
        return """
{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"frontend"}}]},\
"scopeSpans":[{"scope":{"name":"io.opentelemetry.okhttp-3.0"},"spans":[{"traceId":"%1$s",\
"spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173","name":"POST","kind":3,\
"startTimeUnixNano":"%2$d","endTimeUnixNano":"%3$d","attributes":[{"key":"http.request.method",\
"value":{"stringValue":"POST"}},{"key":"server.address","value":{"stringValue":"checkout"}}],\
"status":{}}]}]},{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},\
"scopeSpans":[{"scope":{"name":"io.opentelemetry.netty-4.1"},"spans":[{"traceId":"%1$s",\
"spanId":"d2a6ab5c1e7f4c01","parentSpanId":"eee19b7ec3c1b174","name":"POST /cart/checkout",\
"kind":2,"startTimeUnixNano":"%4$d","endTimeUnixNano":"%5$d","status":{"code":2,\
"message":"payment declined"}},{"traceId":"%1$s","spanId":"d2a6ab5c1e7f4c02",\
"parentSpanId":"d2a6ab5c1e7f4c01","name":"SELECT orders","kind":3,"startTimeUnixNano":"%6$d",\
"endTimeUnixNano":"%7$d","attributes":[{"key":"db.system","value":{"stringValue":"postgresql"}},\
{"key":"peer.service","value":{"stringValue":"orders-db"}}]}]}]}]}"""
                .formatted(
                        traceId,
                        nanos,
                        nanos + 250_000_000L,
                        nanos + 10_000_000L,
                        nanos + 240_000_000L,
                        nanos + 20_000_000L,
                        nanos + 120_000_000L);
    }

    /**
     * The spans of {@link #checkoutJson} as the two services' SDKs export them in protobuf: the
     * frontend's request, then checkout's.
     */
    public static java.util.List<ExportTraceServiceRequest> checkoutRequests(
            String traceId, long nanos) {
        return java.util.List.of(
                request(
                        "frontend",
                        span(
                                traceId,
                                "eee19b7ec3c1b174",
                                "eee19b7ec3c1b173",
                                Span.SpanKind.SPAN_KIND_CLIENT,
                                nanos,
                                nanos + 250_000_000L,
                                false)),
                request(
                        "checkout",
                        span(
                                traceId,
                                "d2a6ab5c1e7f4c01",
                                "eee19b7ec3c1b174",
                                Span.SpanKind.SPAN_KIND_SERVER,
                                nanos + 10_000_000L,
                                nanos + 240_000_000L,
                                true),
                        peerCall(
                                span(
                                        traceId,
                                        "d2a6ab5c1e7f4c02",
                                        "d2a6ab5c1e7f4c01",
                                        Span.SpanKind.SPAN_KIND_CLIENT,
                                        nanos + 20_000_000L,
                                        nanos + 120_000_000L,
                                        false),
                                "orders-db")));
    }

    /** A span of {@code service}; {@code parent} null for a root. */
    public static Span span(
            String traceId,
            String spanId,
            String parent,
            Span.SpanKind kind,
            long startNanos,
            long endNanos,
            boolean error) {
        Span.Builder b =
                Span.newBuilder()
                        .setTraceId(id(traceId))
                        .setSpanId(id(spanId))
                        .setName("call")
                        .setKind(kind)
                        .setStartTimeUnixNano(startNanos)
                        .setEndTimeUnixNano(endNanos);
        if (parent != null) b.setParentSpanId(id(parent));
        if (error) b.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
        return b.build();
    }

    /** A CLIENT span naming the service it calls in {@code peer.service}. */
    public static Span peerCall(Span span, String peer) {
        return span.toBuilder().addAttributes(OtlpExamples.attr("peer.service", peer)).build();
    }

    /** One request holding the spans of one service. */
    public static ExportTraceServiceRequest request(String service, Span... spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(
                        ResourceSpans.newBuilder()
                                .setResource(
                                        Resource.newBuilder()
                                                .addAttributes(
                                                        OtlpExamples.attr("service.name", service)))
                                .addScopeSpans(
                                        ScopeSpans.newBuilder()
                                                .addAllSpans(java.util.List.of(spans))))
                .build();
    }

    static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
