package io.incidentanalyzer.ingest.format;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.List;

/** OTLP requests as an SDK or the Collector would export them, built with the proto classes. */
public final class OtlpExamples {
    private OtlpExamples() {}

    public static final long T0_NANOS = 1708072380_000_000_000L; // 2024-02-16T08:33:00Z
    public static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    public static final String SPAN_ID = "eee19b7ec3c1b174";

    static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder()
                .setKey(k)
                .setValue(AnyValue.newBuilder().setStringValue(v))
                .build();
    }

    static Resource resource(String service) {
        return Resource.newBuilder()
                .addAttributes(attr("service.name", service))
                .addAttributes(attr("host.name", "db-1"))
                .build();
    }

    /** A gauge of {@code value} for {@code service} at {@code nanos}. */
    public static ExportMetricsServiceRequest gauge(
            String service, String name, long nanos, double value) {
        return request(
                service,
                Metric.newBuilder()
                        .setName(name)
                        .setGauge(
                                Gauge.newBuilder()
                                        .addDataPoints(
                                                NumberDataPoint.newBuilder()
                                                        .setTimeUnixNano(nanos)
                                                        .setAsDouble(value)))
                        .build());
    }

    public static ExportMetricsServiceRequest request(String service, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(
                        ResourceMetrics.newBuilder()
                                .setResource(resource(service))
                                .addScopeMetrics(
                                        ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build();
    }

    public static Metric sum(
            String name, AggregationTemporality t, long start, long end, long value) {
        return Metric.newBuilder()
                .setName(name)
                .setSum(
                        Sum.newBuilder()
                                .setAggregationTemporality(t)
                                .setIsMonotonic(true)
                                .addDataPoints(
                                        NumberDataPoint.newBuilder()
                                                .setStartTimeUnixNano(start)
                                                .setTimeUnixNano(end)
                                                .setAsInt(value)
                                                .addAttributes(attr("route", "/login"))))
                .build();
    }

    /** A delta latency histogram: 100 requests, bounds 0.1, 0.25, 0.5, 1 s. */
    public static Metric latency(String name, long start, long end) {
        return Metric.newBuilder()
                .setName(name)
                .setUnit("s")
                .setHistogram(
                        Histogram.newBuilder()
                                .setAggregationTemporality(
                                        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                                .addDataPoints(
                                        HistogramDataPoint.newBuilder()
                                                .setStartTimeUnixNano(start)
                                                .setTimeUnixNano(end)
                                                .setCount(100)
                                                .setSum(23.0)
                                                .addAllExplicitBounds(List.of(0.1, 0.25, 0.5, 1.0))
                                                .addAllBucketCounts(
                                                        List.of(40L, 40L, 10L, 9L, 1L))))
                .build();
    }

    public static ExportLogsServiceRequest logs(String service, long nanos, String body) {
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                        ResourceLogs.newBuilder()
                                .setResource(resource(service))
                                .addScopeLogs(
                                        ScopeLogs.newBuilder()
                                                .addLogRecords(
                                                        LogRecord.newBuilder()
                                                                .setTimeUnixNano(nanos)
                                                                .setSeverityNumber(
                                                                        SeverityNumber
                                                                                .SEVERITY_NUMBER_ERROR)
                                                                .setBody(
                                                                        AnyValue.newBuilder()
                                                                                .setStringValue(
                                                                                        body))
                                                                .addAttributes(
                                                                        attr("db.host", "db-2"))
                                                                .setTraceId(
                                                                        ByteString.copyFrom(
                                                                                HexFormat.of()
                                                                                        .parseHex(
                                                                                                TRACE_ID)))
                                                                .setSpanId(
                                                                        ByteString.copyFrom(
                                                                                HexFormat.of()
                                                                                        .parseHex(
                                                                                                SPAN_ID))))))
                .build();
    }

    /** The request of {@link #metricsJson} built as protobuf: a gauge and a cumulative counter. */
    public static ExportMetricsServiceRequest metricsProto(String service, long nanos, double cpu) {
        Metric gauge =
                gauge(service, "cpu_utilization", nanos, cpu)
                        .getResourceMetrics(0)
                        .getScopeMetrics(0)
                        .getMetrics(0);
        Metric counter =
                sum(
                        "http.server.requests",
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                        T0_NANOS - 3_600_000_000_000L,
                        nanos,
                        (nanos - T0_NANOS) / 100_000_000L);
        return request(service, gauge, counter);
    }

    /** OTLP/JSON of a gauge and a cumulative counter, as the spec writes it (int64 as strings). */
    public static String metricsJson(String service, long nanos, double cpu) {
        return ("{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                    + "\"value\":{\"stringValue\":\"%s\"}}]},\"scopeMetrics\":[{\"scope\":"
                    + "{\"name\":\"io.opentelemetry.runtime\"},\"metrics\":[{\"name\":"
                    + "\"cpu_utilization\",\"unit\":\"%%\",\"gauge\":{\"dataPoints\":[{"
                    + "\"timeUnixNano\":\"%d\",\"asDouble\":%s}]}},{\"name\":"
                    + "\"http.server.requests\",\"sum\":{\"aggregationTemporality\":2,"
                    + "\"isMonotonic\":true,\"dataPoints\":[{\"startTimeUnixNano\":"
                    + "\"%d\",\"timeUnixNano\":\"%d\",\"asInt\":\"%d\",\"attributes\":[{"
                    + "\"key\":\"http.route\",\"value\":{\"stringValue\":\"/login\"}}]}]}}]}]}]}")
                .formatted(
                        service,
                        nanos,
                        Double.toString(cpu),
                        T0_NANOS - 3_600_000_000_000L,
                        nanos,
                        (nanos - T0_NANOS) / 100_000_000L);
    }

    /** OTLP/JSON of one log record with hex ids and an integer severity, as the spec writes it. */
    public static String logsJson(String service, long nanos, String body) {
        return ("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                        + "\"value\":{\"stringValue\":\"%s\"}}]},\"scopeLogs\":[{\"scope\":{},"
                        + "\"logRecords\":[{\"timeUnixNano\":\"%d\",\"observedTimeUnixNano\":"
                        + "\"%d\",\"severityNumber\":17,\"severityText\":\"Error\",\"traceId\":"
                        + "\"%s\",\"spanId\":\"%s\",\"body\":{\"stringValue\":\"%s\"},"
                        + "\"attributes\":[{\"key\":\"db.host\",\"value\":{\"stringValue\":"
                        + "\"db-2\"}},{\"key\":\"retries\",\"value\":{\"intValue\":\"3\"}}]}]}]}]}")
                .formatted(service, nanos, nanos, TRACE_ID, SPAN_ID, body);
    }
}
