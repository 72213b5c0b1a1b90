package io.incidentanalyzer.ingest.format;

import com.google.protobuf.ByteString;
import io.incidentanalyzer.ingest.CumulativeRates;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Span;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Maps OTLP export requests, however they were read (protobuf or OTLP/JSON), onto the event model:
 * metric data points to samples, log records to log events and spans to {@link Span}s, the service
 * from a resource attribute ({@code service.name} by default). One point or record that cannot be
 * mapped is skipped with its reason ({@link Events#skip}); the others go on.
 *
 * <ul>
 *   <li>gauge: the value;
 *   <li>sum, monotonic, delta: the per-second rate over the point's interval;
 *   <li>sum, monotonic, cumulative: the running total, marked for {@link CumulativeRates}, the
 *       keyed step after decoding that turns it into a per-second rate (it needs the previous point
 *       of the series, which a per-record decoder does not have);
 *   <li>sum, not monotonic (an up-down counter): cumulative is a level, taken as the value; delta
 *       its change per second;
 *   <li>histogram, delta: p50, p90 and p99 ({@code <name>.p50} …) interpolated in the buckets;
 *       cumulative: {@code <name>.count} and {@code <name>.sum} as running totals, turned into
 *       rates like a cumulative sum (quantiles since process start would hide a spike; the
 *       Collector's cumulativetodelta processor gives delta histograms);
 *   <li>summary: its quantiles as {@code <name>.p50} …;
 *   <li>exponential histogram: skipped with a reason.
 * </ul>
 */
public final class OtlpMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    static final double[] QUANTILES = {0.5, 0.9, 0.99};

    private final ServiceNames services;

    /** How trace and span ids become text: hex for protobuf; see {@link OtlpJsonDecoder}. */
    private final IdText ids;

    /** Trace and span ids as the text a reader of the logs expects (lower-case hex). */
    public interface IdText extends Function<ByteString, String>, Serializable {}

    public OtlpMapping(ServiceNames services, IdText ids) {
        this.services = services;
        this.ids = ids;
    }

    public static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    // ---- metrics ----

    public void metrics(ExportMetricsServiceRequest request, Events out) throws Reject {
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            String service = serviceOf(rm.getResource(), out);
            if (service == null) continue;
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                for (Metric m : sm.getMetricsList()) {
                    metric(service, m, out);
                }
            }
        }
    }

    private void metric(String service, Metric m, Events out) {
        String name = m.getName();
        if (name.isBlank()) {
            out.skip("metric", Reject.missing("name"));
            return;
        }
        switch (m.getDataCase()) {
            case GAUGE -> {
                for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
                    try {
                        out.add(sample(service, name, p, value(p), Map.of()));
                    } catch (Reject r) {
                        out.skip(where(name), r);
                    }
                }
            }
            case SUM -> {
                boolean delta =
                        m.getSum().getAggregationTemporality()
                                == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
                boolean monotonic = m.getSum().getIsMonotonic();
                for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                    try {
                        double v = value(p);
                        if (delta) {
                            out.add(
                                    sample(
                                            service,
                                            name,
                                            p,
                                            perSecond(
                                                    v,
                                                    p.getStartTimeUnixNano(),
                                                    p.getTimeUnixNano()),
                                            Map.of()));
                        } else if (monotonic) {
                            checkTemporality(m.getSum().getAggregationTemporality());
                            out.add(
                                    cumulative(
                                            service,
                                            name,
                                            p.getTimeUnixNano(),
                                            p.getAttributesList(),
                                            v,
                                            p.getStartTimeUnixNano()));
                        } else {
                            out.add(sample(service, name, p, v, Map.of()));
                        }
                    } catch (Reject r) {
                        out.skip(where(name), r);
                    }
                }
            }
            case HISTOGRAM -> {
                AggregationTemporality t = m.getHistogram().getAggregationTemporality();
                for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                    try {
                        histogram(service, name, t, p, out);
                    } catch (Reject r) {
                        out.skip(where(name), r);
                    }
                }
            }
            case SUMMARY -> {
                for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
                    try {
                        long ts = nanos(p.getTimeUnixNano(), "timeUnixNano");
                        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
                            out.add(
                                    new MetricSample(
                                            ts,
                                            service,
                                            name + suffix(q.getQuantile()),
                                            FormatFields.finite(q.getValue(), "quantile value"),
                                            attributes(p.getAttributesList())));
                        }
                    } catch (Reject r) {
                        out.skip(where(name), r);
                    }
                }
            }
            default ->
                    out.skip(
                            where(name),
                            Reject.badValue(
                                    m.getDataCase() == Metric.DataCase.DATA_NOT_SET
                                            ? "has no data"
                                            : m.getDataCase().name().toLowerCase(Locale.ROOT)
                                                    + " is not read; export explicit-bucket"
                                                    + " histograms"));
        }
    }

    /** Where a skipped point was, built only when one is skipped. */
    private static String where(String metric) {
        return "metric '" + metric + "'";
    }

    private void histogram(
            String service,
            String name,
            AggregationTemporality temporality,
            HistogramDataPoint p,
            Events out)
            throws Reject {
        if (temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
            long start = p.getStartTimeUnixNano();
            long t = p.getTimeUnixNano();
            out.add(
                    cumulative(
                            service,
                            name + ".count",
                            t,
                            p.getAttributesList(),
                            p.getCount(),
                            start));
            if (p.hasSum()) {
                out.add(
                        cumulative(
                                service,
                                name + ".sum",
                                t,
                                p.getAttributesList(),
                                p.getSum(),
                                start));
            }
            return;
        }
        checkTemporality(temporality);
        long ts = nanos(p.getTimeUnixNano(), "timeUnixNano");
        if (p.getCount() == 0) {
            return; // no observations in the interval: no latency to report, nothing wrong
        }
        if (p.getBucketCountsCount() != p.getExplicitBoundsCount() + 1) {
            throw Reject.badValue(
                    "histogram has "
                            + p.getBucketCountsCount()
                            + " bucket counts for "
                            + p.getExplicitBoundsCount()
                            + " bounds; expected one more count than bounds");
        }
        for (double q : QUANTILES) {
            out.add(
                    new MetricSample(
                            ts,
                            service,
                            name + suffix(q),
                            quantile(q, p.getExplicitBoundsList(), p.getBucketCountsList()),
                            attributes(p.getAttributesList())));
        }
    }

    /**
     * The q-quantile of bucketed observations, linear inside its bucket, as Prometheus's
     * histogram_quantile: the first bucket starts at 0 when its bound is positive, and a quantile
     * in the open last bucket is the highest finite bound.
     */
    static double quantile(double q, List<Double> bounds, List<Long> counts) throws Reject {
        long total = 0;
        for (long c : counts) {
            if (c < 0 || total + c < total) {
                throw Reject.badValue("histogram bucket counts overflow");
            }
            total += c;
        }
        if (total == 0) {
            throw Reject.badValue("histogram has a count but no observations in its buckets");
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.size(); i++) {
            long c = counts.get(i);
            if (seen + c >= rank && c > 0) {
                if (i == bounds.size()) {
                    return FormatFields.finite(bounds.isEmpty() ? 0 : bounds.get(i - 1), "bound");
                }
                double upper = bounds.get(i);
                double lower = i == 0 ? Math.min(0, upper) : bounds.get(i - 1);
                return FormatFields.finite(
                        lower + (upper - lower) * (rank - seen) / c, "explicitBounds");
            }
            seen += c;
        }
        return FormatFields.finite(bounds.get(bounds.size() - 1), "explicitBounds");
    }

    private static String suffix(double q) {
        double pct = q * 100;
        String s =
                pct == Math.rint(pct)
                        ? Long.toString((long) pct)
                        : Double.toString(pct).replace('.', '_');
        return ".p" + s;
    }

    private static void checkTemporality(AggregationTemporality t) throws Reject {
        if (t != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                && t != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
            throw Reject.badValue(
                    "aggregationTemporality " + t + " is neither delta nor cumulative");
        }
    }

    private static double value(NumberDataPoint p) throws Reject {
        return switch (p.getValueCase()) {
            case AS_DOUBLE -> FormatFields.finite(p.getAsDouble(), "asDouble");
            case AS_INT -> p.getAsInt();
            default -> throw Reject.missing("asDouble or asInt");
        };
    }

    private static double perSecond(double delta, long startNanos, long endNanos) throws Reject {
        if (startNanos <= 0 || endNanos <= startNanos) {
            throw Reject.badValue(
                    "delta point needs startTimeUnixNano before timeUnixNano to be a rate");
        }
        return delta / ((endNanos - startNanos) / 1e9);
    }

    private MetricSample sample(
            String service, String name, NumberDataPoint p, double v, Map<String, String> extra)
            throws Reject {
        Map<String, String> labels = attributes(p.getAttributesList());
        labels.putAll(extra);
        return new MetricSample(
                nanos(p.getTimeUnixNano(), "timeUnixNano"), service, name, v, labels);
    }

    /** A running total, marked for {@link CumulativeRates}. */
    private static MetricSample cumulative(
            String service,
            String name,
            long timeUnixNano,
            List<KeyValue> attributes,
            double total,
            long start)
            throws Reject {
        return CumulativeRates.mark(
                new MetricSample(
                        nanos(timeUnixNano, "timeUnixNano"),
                        service,
                        name,
                        FormatFields.finite(total, "value"),
                        attributes(attributes)),
                start);
    }

    // ---- logs ----

    public void logs(ExportLogsServiceRequest request, Events out) throws Reject {
        for (ResourceLogs rl : request.getResourceLogsList()) {
            String service = serviceOf(rl.getResource(), out);
            if (service == null) continue;
            for (ScopeLogs sl : rl.getScopeLogsList()) {
                for (LogRecord lr : sl.getLogRecordsList()) {
                    try {
                        out.add(log(service, lr));
                    } catch (Reject r) {
                        out.skip("log record", r);
                    }
                }
            }
        }
    }

    private LogEvent log(String service, LogRecord lr) throws Reject {
        // The data model: the time of the event when known, else when the collector saw it.
        long nanos =
                lr.getTimeUnixNano() != 0 ? lr.getTimeUnixNano() : lr.getObservedTimeUnixNano();
        if (nanos == 0) {
            throw Reject.missing("timeUnixNano");
        }
        long ts = nanos(nanos, "timeUnixNano");
        String message = text(lr.getBody());
        if (message.isBlank()) {
            throw Reject.missing("body");
        }
        Map<String, String> attrs = attributes(lr.getAttributesList());
        if (!lr.getTraceId().isEmpty()) {
            attrs.put("trace_id", ids.apply(lr.getTraceId()));
        }
        if (!lr.getSpanId().isEmpty()) {
            attrs.put("span_id", ids.apply(lr.getSpanId()));
        }
        return new LogEvent(ts, service, level(lr), message, attrs);
    }

    /** severityText when the producer wrote one, else the severity number's range name. */
    static String level(LogRecord lr) {
        String text = lr.getSeverityText();
        if (!text.isBlank()) {
            return text.trim().toUpperCase(Locale.ROOT);
        }
        int n = lr.getSeverityNumberValue();
        if (n <= 0) return "INFO";
        if (n <= 4) return "TRACE";
        if (n <= 8) return "DEBUG";
        if (n <= 12) return "INFO";
        if (n <= 16) return "WARN";
        if (n <= 20) return "ERROR";
        return "FATAL";
    }

    // ---- traces ----

    /**
     * Every span of the request with what pairing them into calls needs: ids, service, kind,
     * duration, error status and {@code peer.service}. A span without valid ids or times is skipped
     * with its reason.
     */
    public void traces(ExportTraceServiceRequest request, Events out) throws Reject {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            String service = serviceOf(rs.getResource(), out);
            if (service == null) continue;
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
                    try {
                        out.add(span(service, span));
                    } catch (Reject r) {
                        out.skip("span '" + span.getName() + "'", r);
                    }
                }
            }
        }
    }

    private Span span(String service, io.opentelemetry.proto.trace.v1.Span s) throws Reject {
        String traceId = id(s.getTraceId(), "traceId", 32);
        String spanId = id(s.getSpanId(), "spanId", 16);
        String parent =
                s.getParentSpanId().isEmpty() ? "" : id(s.getParentSpanId(), "parentSpanId", 16);
        long start = nanos(s.getStartTimeUnixNano(), "startTimeUnixNano");
        long end = nanos(s.getEndTimeUnixNano(), "endTimeUnixNano");
        long duration = s.getEndTimeUnixNano() - s.getStartTimeUnixNano();
        if (duration < 0) {
            throw Reject.badTimestamp("endTimeUnixNano is before startTimeUnixNano");
        }
        String kind =
                switch (s.getKind()) {
                    case SPAN_KIND_SERVER -> "SERVER";
                    case SPAN_KIND_CLIENT -> "CLIENT";
                    case SPAN_KIND_PRODUCER -> "PRODUCER";
                    case SPAN_KIND_CONSUMER -> "CONSUMER";
                    case SPAN_KIND_INTERNAL -> "INTERNAL";
                    default -> "UNSPECIFIED";
                };
        String peer = null;
        for (KeyValue kv : s.getAttributesList()) {
            if (kv.getKey().equals("peer.service")) {
                String text = text(kv.getValue()).trim();
                peer = text.isEmpty() ? null : text;
            }
        }
        boolean error = s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        return new Span(
                Math.max(start, end),
                traceId,
                spanId,
                parent,
                service,
                kind,
                duration / 1e6,
                error,
                peer);
    }

    /**
     * A trace or span id as lower-case hex of {@code digits} digits, not all zero (the spec's
     * invalid id). The text is checked, not the bytes: OTLP/JSON's hex ids reach here as other
     * bytes whose base64 text is the hex ({@link OtlpJsonDecoder}).
     */
    private String id(ByteString bytes, String field, int digits) throws Reject {
        if (bytes.isEmpty()) {
            throw Reject.missing(field);
        }
        String text = ids.apply(bytes).toLowerCase(Locale.ROOT);
        boolean zero = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.digit(c, 16) < 0) {
                zero = false;
                text = null;
                break;
            }
            zero &= c == '0';
        }
        if (text == null || text.length() != digits) {
            throw Reject.badValue(field + " is not " + digits + " hex digits");
        }
        if (zero) {
            throw Reject.badValue(field + " is all zeros (an invalid id)");
        }
        return text;
    }

    // ---- shared ----

    /** The resource's service, or null once the resource is skipped with the reason. */
    private String serviceOf(Resource resource, Events out) {
        Map<String, String> attrs = attributes(resource.getAttributesList());
        try {
            return services.of(attrs);
        } catch (Reject r) {
            out.skip("resource " + attrs, r);
            return null;
        }
    }

    private static long nanos(long nanos, String field) throws Reject {
        if (nanos == 0) {
            throw Reject.missing(field);
        }
        // fixed64 arrives as a signed long; a negative one is past 2262 or garbage either way.
        return EventTimes.epoch(nanos, TimeUnit.NANOSECONDS, field);
    }

    /** Attributes as strings (a mutable map, as Flink's map serializer wants). */
    public static Map<String, String> attributes(List<KeyValue> kvs) {
        Map<String, String> map = new HashMap<>();
        for (KeyValue kv : kvs) {
            if (kv.hasValue() && kv.getValue().getValueCase() != AnyValue.ValueCase.VALUE_NOT_SET) {
                map.put(kv.getKey(), text(kv.getValue()));
            }
        }
        return map;
    }

    /** An AnyValue as text: strings as they are, scalars in their usual form, lists bracketed. */
    public static String text(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            case BYTES_VALUE -> hex(v.getBytesValue());
            case ARRAY_VALUE ->
                    v.getArrayValue().getValuesList().stream()
                            .map(OtlpMapping::text)
                            .toList()
                            .toString();
            case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList()).toString();
            default -> "";
        };
    }

    static Reject malformed(String what, Exception e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new Reject(
                RejectReason.MALFORMED,
                what + ": " + (msg.length() > 160 ? msg.substring(0, 160) + "…" : msg));
    }
}
