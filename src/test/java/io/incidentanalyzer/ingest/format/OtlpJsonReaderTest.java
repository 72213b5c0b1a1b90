package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.testing.DecoderFuzz;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast OTLP/JSON path ({@link OtlpJsonReader}) against protobuf's JsonFormat, which read every
 * record before it: on generated requests of every metric type, spans and log records, written as
 * the OTLP/JSON spec writes them, the fast path must rebuild exactly the request that was written;
 * and on those requests mutated (other spellings the mapping allows, wrong types, duplicates,
 * nulls, broken JSON) the decoder's outcomes with the fast path must be exactly those without it,
 * events and rejections alike.
 */
class OtlpJsonReaderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ServiceNames SERVICES = new ServiceNames(List.of("service.name"), null);
    private static final long T0 = OtlpExamples.T0_NANOS;

    private final OtlpJsonReader reader = new OtlpJsonReader();

    @Test
    void readsEveryGeneratedRequestBackExactly() throws Exception {
        Random random = new Random(20);
        for (int i = 0; i < 3000; i++) {
            Message request = generate(random, i % 3);
            String json = otlpJson(request, random, false);
            Message read =
                    switch (i % 3) {
                        case 0 ->
                                reader.read(
                                        utf8(json),
                                        ExportMetricsServiceRequest.getDescriptor(),
                                        ExportMetricsServiceRequest.parser());
                        case 1 ->
                                reader.read(
                                        utf8(json),
                                        ExportTraceServiceRequest.getDescriptor(),
                                        ExportTraceServiceRequest.parser());
                        default ->
                                reader.read(
                                        utf8(json),
                                        ExportLogsServiceRequest.getDescriptor(),
                                        ExportLogsServiceRequest.parser());
                    };
            assertThat(read).as(json).isEqualTo(request);
        }
    }

    @Test
    void readsTheOtherSpellingsTheMappingAllows() {
        String json =
                "{\"resource_metrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                    + "\"value\":{\"string_value\":\"db\"}}]},\"scope_metrics\":[{\"metrics\":"
                    + "[{\"name\":\"m\",\"sum\":{\"aggregation_temporality\":1,\"is_monotonic\":"
                    + "true,\"dataPoints\":[{\"start_time_unix_nano\":1708072320000000000,"
                    + "\"timeUnixNano\":\"1708072380000000000\",\"as_int\":60,\"x\":[{}]}]}}]}]}],"
                    + "\"unknown\":{\"a\":[1,2,{\"b\":null}]}}";

        ExportMetricsServiceRequest read =
                reader.read(
                        utf8(json),
                        ExportMetricsServiceRequest.getDescriptor(),
                        ExportMetricsServiceRequest.parser());

        assertThat(read).isNotNull();
        NumberDataPoint p =
                read.getResourceMetrics(0)
                        .getScopeMetrics(0)
                        .getMetrics(0)
                        .getSum()
                        .getDataPoints(0);
        assertThat(p.getStartTimeUnixNano()).isEqualTo(T0 - 60_000_000_000L);
        assertThat(p.getTimeUnixNano()).isEqualTo(T0);
        assertThat(p.getAsInt()).isEqualTo(60);
        assertThat(decodeAll(true, 0, json)).isEqualTo(decodeAll(false, 0, json));
    }

    @Test
    void leavesWhatItDoesNotHandleToJsonFormat() {
        String[] others = {
            "{\"resourceSpans\":null}",
            "{\"resourceSpans\":[],\"resource_spans\":[]}",
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SPAN_KIND_SERVER\"}]}]}]}",
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"abc\"}]}]}]}",
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"1e18\"}]}]}]}",
            "{\"resourceSpans\":[]} {}",
            "{\"resourceSpans\":[",
        };
        for (String json : others) {
            assertThat(
                            reader.read(
                                    utf8(json),
                                    ExportTraceServiceRequest.getDescriptor(),
                                    ExportTraceServiceRequest.parser()))
                    .as(json)
                    .isNull();
            assertThat(decodeAll(true, 1, json)).as(json).isEqualTo(decodeAll(false, 1, json));
        }
    }

    @Test
    void mutatedRequestsDecodeExactlyAsJsonFormatDecodesThem() throws Exception {
        Random random = new Random(2020);
        int fast = 0;
        int events = 0;
        int rejections = 0;
        for (int i = 0; i < 6_000; i++) {
            int type = i % 3;
            String json = otlpJson(generate(random, type), random, true);
            byte[] value =
                    random.nextInt(3) == 0
                            ? DecoderFuzz.mutate(random, utf8(json))
                            : utf8(mutateText(random, json));
            List<Decoded> withFast = decoderFor(true, type).decodeAll("t", 0, i, value);
            List<Decoded> without = decoderFor(false, type).decodeAll("t", 0, i, value);
            assertThat(withFast).as(new String(value, StandardCharsets.UTF_8)).isEqualTo(without);
            if (readFast(type, value)) fast++;
            for (Decoded d : withFast) {
                if (d.isRejected()) rejections++;
                else events++;
            }
        }
        // The comparison proves something only if both paths and both outcomes are common.
        String counts = "fast " + fast + ", events " + events + ", rejections " + rejections;
        assertThat(fast).as(counts).isBetween(1_500, 5_500);
        assertThat(events).as(counts).isGreaterThan(2_500);
        assertThat(rejections).as(counts).isGreaterThan(500);
    }

    @Test
    void hexIdsInUpperCaseGiveLowerCaseIdsOnBothPaths() {
        String json =
                OtlpExamples.logsJson("web", T0, "boom")
                        .replace(OtlpExamples.TRACE_ID, OtlpExamples.TRACE_ID.toUpperCase());

        List<Decoded> withFast = decodeAll(true, 2, json);

        assertThat(withFast.get(0).log().attributes())
                .containsEntry("trace_id", OtlpExamples.TRACE_ID);
        assertThat(withFast).isEqualTo(decodeAll(false, 2, json));
    }

    // ---- decoders ----

    private static OtlpJsonDecoder decoderFor(boolean fast, int type) {
        return switch (type) {
            case 0 -> new OtlpJsonDecoder(StreamKind.METRICS, SERVICES, 1 << 20, fast);
            case 1 -> OtlpJsonDecoder.traces(SERVICES, 1 << 20, fast);
            default -> new OtlpJsonDecoder(StreamKind.LOGS, SERVICES, 1 << 20, fast);
        };
    }

    private static List<Decoded> decodeAll(boolean fast, int type, String json) {
        return decoderFor(fast, type).decodeAll("t", 0, 0, utf8(json));
    }

    private boolean readFast(int type, byte[] value) {
        return switch (type) {
                    case 0 ->
                            reader.read(
                                    value,
                                    ExportMetricsServiceRequest.getDescriptor(),
                                    ExportMetricsServiceRequest.parser());
                    case 1 ->
                            reader.read(
                                    value,
                                    ExportTraceServiceRequest.getDescriptor(),
                                    ExportTraceServiceRequest.parser());
                    default ->
                            reader.read(
                                    value,
                                    ExportLogsServiceRequest.getDescriptor(),
                                    ExportLogsServiceRequest.parser());
                }
                != null;
    }

    // ---- OTLP/JSON as the spec writes it ----

    /**
     * The request in OTLP/JSON: protobuf's JSON mapping with enums as integers and trace and span
     * ids as hex; with {@code spellings}, also the other forms the mapping reads (original field
     * names, 64-bit integers as numbers, enums by name, upper-case ids) at random.
     */
    private static String otlpJson(Message request, Random random, boolean spellings)
            throws Exception {
        String printed = JsonFormat.printer().printingEnumsAsInts().print(request);
        JsonNode tree = MAPPER.readTree(printed);
        hexIds(tree, random, spellings);
        return MAPPER.writeValueAsString(tree);
    }

    private static void hexIds(JsonNode node, Random random, boolean spellings) {
        if (node instanceof ArrayNode array) {
            for (JsonNode e : array) hexIds(e, random, spellings);
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode v = object.get(name);
            if (OtlpJsonReader.hexId(snake(name)) && v.isTextual()) {
                String hex =
                        HexFormat.of()
                                .formatHex(java.util.Base64.getDecoder().decode(v.textValue()));
                if (spellings && random.nextInt(8) == 0) hex = hex.toUpperCase(Locale.ROOT);
                object.set(name, new TextNode(hex));
            } else {
                hexIds(v, random, spellings);
                if (spellings && v.isTextual() && v.textValue().matches("\\d{1,18}")) {
                    if (random.nextInt(4) == 0) object.put(name, Long.parseLong(v.textValue()));
                }
            }
            if (spellings && random.nextInt(10) == 0) {
                JsonNode moved = object.remove(name);
                object.set(snake(name), moved);
            }
        }
    }

    private static String snake(String camel) {
        StringBuilder s = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) s.append('_').append(Character.toLowerCase(c));
            else s.append(c);
        }
        return s.toString();
    }

    /** Edits of the JSON text that stay JSON, or nearly: the cases the fast path must get right. */
    private static final String[][] EDITS = {
        {"\"kind\":2", "\"kind\":\"SPAN_KIND_SERVER\""},
        {
            "\"aggregationTemporality\":1",
            "\"aggregationTemporality\":\"AGGREGATION_TEMPORALITY_DELTA\""
        },
        {"\"aggregationTemporality\":2", "\"aggregationTemporality\":7"},
        {"{\"key\"", "{\"x\":[{\"y\":1e999}],\"key\""},
        {"{\"key\"", "{\"key\":\"dup\",\"key\""},
        {"\"name\":", "\"name\":null,\"description\":"},
        {"\"asDouble\":", "\"asInt\":\"1\",\"asDouble\":"},
        {"\"asDouble\":", "\"asDouble\":-0.0,\"x\":"},
        {"\"asDouble\":", "\"asDouble\":\"Infinity\",\"x\":"},
        {"\"asDouble\":", "\"asDouble\":1e400,\"x\":"},
        {"\"asInt\":\"", "\"asInt\":\"+"},
        {"\"timeUnixNano\":\"", "\"timeUnixNano\":\"0"},
        {"\"timeUnixNano\":\"", "\"timeUnixNano\":\"-"},
        {"\"timeUnixNano\":\"", "\"timeUnixNano\":\"18446744073709551615\",\"x\":\""},
        {"\"timeUnixNano\":\"", "\"timeUnixNano\":1.5,\"x\":\""},
        {"\"startTimeUnixNano\":\"", "\"start_time_unix_nano\":\"1\",\"startTimeUnixNano\":\""},
        {"\"isMonotonic\":true", "\"isMonotonic\":\"true\""},
        {"\"stringValue\":\"", "\"stringValue\":\"\\ud800"},
        {"\"stringValue\":\"", "\"stringValue\":\"\\ud83d\\ude00\\u00e9\\u20ac"},
        {"\"stringValue\":\"", "\"stringValue\":5,\"x\":\""},
        {"\"stringValue\":", "\"intValue\":\"3\",\"stringValue\":"},
        {"\"bytesValue\":\"", "\"bytesValue\":\"-_"},
        {"\"bytesValue\":\"", "\"bytesValue\":\"!"},
        {"\"traceId\":\"", "\"traceId\":\"0"},
        {"\"traceId\":\"", "\"traceId\":\"gg"},
        {"\"spanId\":\"", "\"spanId\":\"AbCd"},
        {"\"spanId\":\"", "\"spanId\":\"\\u0661\\u0662\\u0663\\u0664"},
        {"\"droppedAttributesCount\":", "\"droppedAttributesCount\":4294967296,\"x\":"},
        {"\"scale\":", "\"scale\":-2147483649,\"x\":"},
        {"\"code\":2", "\"code\":-1"},
        {"\"severityNumber\":", "\"severityNumber\":2.0,\"x\":"},
        {"\"dataPoints\":[", "\"dataPoints\":[null,"},
        {"\"attributes\":[", "\"attributes\":{},\"x\":["},
        {"\"resource\":{", "\"resource\":[{"},
        {"[{\"resource\"", "[{\"resource\":{},\"resource\""},
        {"\"arrayValue\":{\"values\":[", "\"arrayValue\":{\"values\":[{\"arrayValue\":{}},"},
    };

    private static String mutateText(Random random, String json) {
        String out = json;
        int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            String[] edit = EDITS[random.nextInt(EDITS.length)];
            int at = out.indexOf(edit[0], random.nextInt(out.length()));
            if (at < 0) at = out.indexOf(edit[0]);
            if (at >= 0) {
                out = out.substring(0, at) + edit[1] + out.substring(at + edit[0].length());
            }
        }
        if (random.nextInt(20) == 0) out = deep(random.nextInt(120)) + out + "}";
        return out;
    }

    /** An attribute value nested {@code n} deep, before the request's own fields. */
    private static String deep(int n) {
        String v = "{\"stringValue\":\"x\"}";
        for (int i = 0; i < n; i++) v = "{\"arrayValue\":{\"values\":[" + v + "]}}";
        return "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                + "\"value\":"
                + v
                + "}]}}],\"x\":";
    }

    // ---- generated requests ----

    private static Message generate(Random r, int type) {
        return switch (type) {
            case 0 -> metrics(r);
            case 1 -> traces(r);
            default -> logs(r);
        };
    }

    private static ExportMetricsServiceRequest metrics(Random r) {
        ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
        for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
            ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
            if (r.nextBoolean()) scope.setScope(scope(r));
            for (int m = 0, k = 1 + r.nextInt(4); m < k; m++) scope.addMetrics(metric(r));
            ResourceMetrics.Builder rm =
                    ResourceMetrics.newBuilder().setResource(resource(r)).addScopeMetrics(scope);
            if (r.nextInt(4) == 0) rm.setSchemaUrl("https://opentelemetry.io/schemas/1.24.0");
            b.addResourceMetrics(rm);
        }
        return b.build();
    }

    private static Metric metric(Random r) {
        Metric.Builder m = Metric.newBuilder().setName(pick(r, "cpu", "http.server.requests", ""));
        if (r.nextBoolean()) m.setUnit(pick(r, "%", "s", "{requests}"));
        if (r.nextInt(4) == 0) m.setDescription("what it counts: ünïcödé €");
        if (r.nextInt(8) == 0) m.addMetadata(attr(r));
        AggregationTemporality t =
                r.nextBoolean()
                        ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
                        : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        switch (r.nextInt(6)) {
            case 0 -> m.setGauge(Gauge.newBuilder().addDataPoints(number(r)));
            case 1, 2 ->
                    m.setSum(
                            Sum.newBuilder()
                                    .setAggregationTemporality(t)
                                    .setIsMonotonic(r.nextInt(4) != 0)
                                    .addDataPoints(number(r))
                                    .addDataPoints(number(r)));
            case 3 -> {
                HistogramDataPoint.Builder p =
                        HistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(T0 - 60_000_000_000L)
                                .setTimeUnixNano(time(r))
                                .setCount(r.nextInt(200));
                if (r.nextBoolean()) p.setSum(r.nextDouble() * 50);
                if (r.nextBoolean()) p.setMin(0.001).setMax(r.nextDouble() * 3);
                int bounds = r.nextInt(5);
                for (int i = 0; i < bounds; i++) p.addExplicitBounds(0.1 * (i + 1));
                for (int i = 0; i <= bounds - (r.nextInt(6) == 0 ? 1 : 0); i++) {
                    p.addBucketCounts(r.nextInt(50));
                }
                if (r.nextInt(3) == 0) p.addExemplars(exemplar(r));
                p.addAllAttributes(attrs(r));
                m.setHistogram(
                        Histogram.newBuilder().setAggregationTemporality(t).addDataPoints(p));
            }
            case 4 ->
                    m.setExponentialHistogram(
                            ExponentialHistogram.newBuilder()
                                    .setAggregationTemporality(t)
                                    .addDataPoints(
                                            ExponentialHistogramDataPoint.newBuilder()
                                                    .setTimeUnixNano(time(r))
                                                    .setCount(7)
                                                    .setScale(r.nextInt(20) - 10)
                                                    .setZeroCount(1)
                                                    .setZeroThreshold(1e-9)
                                                    .setPositive(
                                                            ExponentialHistogramDataPoint.Buckets
                                                                    .newBuilder()
                                                                    .setOffset(-r.nextInt(5))
                                                                    .addBucketCounts(3)
                                                                    .addBucketCounts(
                                                                            Long.MAX_VALUE))));
            default -> {
                SummaryDataPoint.Builder p =
                        SummaryDataPoint.newBuilder()
                                .setTimeUnixNano(time(r))
                                .setCount(10)
                                .setSum(r.nextDouble());
                for (double q : new double[] {0.5, 0.99, 0.999}) {
                    p.addQuantileValues(
                            SummaryDataPoint.ValueAtQuantile.newBuilder()
                                    .setQuantile(q)
                                    .setValue(value(r)));
                }
                p.addAllAttributes(attrs(r));
                m.setSummary(Summary.newBuilder().addDataPoints(p));
            }
        }
        return m.build();
    }

    private static NumberDataPoint number(Random r) {
        NumberDataPoint.Builder p =
                NumberDataPoint.newBuilder()
                        .setStartTimeUnixNano(r.nextInt(5) == 0 ? 0 : T0 - 60_000_000_000L)
                        .setTimeUnixNano(time(r))
                        .addAllAttributes(attrs(r));
        switch (r.nextInt(5)) {
            case 0 -> p.setAsInt(r.nextLong() >> r.nextInt(64));
            case 1 -> {} // no value: skipped with its reason
            default -> p.setAsDouble(value(r));
        }
        if (r.nextInt(6) == 0) p.setFlags(1);
        if (r.nextInt(6) == 0) p.addExemplars(exemplar(r));
        return p.build();
    }

    private static Exemplar exemplar(Random r) {
        return Exemplar.newBuilder()
                .setTimeUnixNano(time(r))
                .setAsDouble(value(r))
                .setTraceId(id(r, 16))
                .setSpanId(id(r, 8))
                .addFilteredAttributes(attr(r))
                .build();
    }

    private static ExportTraceServiceRequest traces(Random r) {
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            if (r.nextBoolean()) scope.setScope(scope(r));
            for (int s = 0, k = 1 + r.nextInt(4); s < k; s++) scope.addSpans(span(r));
            b.addResourceSpans(
                    ResourceSpans.newBuilder().setResource(resource(r)).addScopeSpans(scope));
        }
        return b.build();
    }

    private static Span span(Random r) {
        long start = time(r);
        Span.Builder s =
                Span.newBuilder()
                        .setTraceId(id(r, 16))
                        .setSpanId(id(r, 8))
                        .setName(pick(r, "GET /cart", "SELECT orders", ""))
                        .setKindValue(r.nextInt(7))
                        .setStartTimeUnixNano(start)
                        .setEndTimeUnixNano(start + r.nextInt(1_000_000_000) - 1000)
                        .addAllAttributes(attrs(r));
        if (r.nextBoolean()) s.setParentSpanId(id(r, 8));
        if (r.nextInt(3) == 0) s.addAttributes(kv("peer.service", string(r)));
        if (r.nextInt(4) == 0) s.setTraceState("rojo=00f067aa0ba902b7").setFlags(0x301);
        if (r.nextInt(3) == 0) {
            s.addEvents(
                    Span.Event.newBuilder()
                            .setTimeUnixNano(start + 5)
                            .setName("exception")
                            .addAllAttributes(attrs(r))
                            .setDroppedAttributesCount(r.nextInt(3)));
        }
        if (r.nextInt(3) == 0) {
            s.addLinks(
                    Span.Link.newBuilder()
                            .setTraceId(id(r, 16))
                            .setSpanId(id(r, 8))
                            .setFlags(1)
                            .addAllAttributes(attrs(r)));
        }
        if (r.nextBoolean()) {
            s.setStatus(Status.newBuilder().setCodeValue(r.nextInt(4)).setMessage(string(r)));
        }
        if (r.nextInt(5) == 0) s.setDroppedEventsCount(2).setDroppedLinksCount(1);
        return s.build();
    }

    private static ExportLogsServiceRequest logs(Random r) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
            LogRecord.Builder lr =
                    LogRecord.newBuilder()
                            .setTimeUnixNano(r.nextInt(5) == 0 ? 0 : time(r))
                            .setObservedTimeUnixNano(time(r))
                            .setSeverityNumberValue(r.nextInt(26))
                            .setBody(any(r, 1))
                            .addAllAttributes(attrs(r));
            if (r.nextBoolean()) lr.setSeverityText(pick(r, "Error", "warn", ""));
            if (r.nextBoolean()) lr.setTraceId(id(r, 16)).setSpanId(id(r, 8)).setFlags(1);
            if (r.nextInt(5) == 0) lr.setEventName("k8s.event");
            scope.addLogRecords(lr);
        }
        return ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(
                        ResourceLogs.newBuilder().setResource(resource(r)).addScopeLogs(scope))
                .build();
    }

    private static InstrumentationScope scope(Random r) {
        InstrumentationScope.Builder s =
                InstrumentationScope.newBuilder().setName("io.opentelemetry.runtime");
        if (r.nextBoolean()) s.setVersion("2.1.0").addAttributes(attr(r));
        return s.build();
    }

    private static Resource resource(Random r) {
        Resource.Builder b = Resource.newBuilder();
        if (r.nextInt(10) != 0) b.addAttributes(kv("service.name", pick(r, "db", "web-app", "")));
        b.addAllAttributes(attrs(r));
        if (r.nextInt(5) == 0) b.setDroppedAttributesCount(r.nextInt(10));
        return b.build();
    }

    private static List<KeyValue> attrs(Random r) {
        List<KeyValue> out = new ArrayList<>();
        for (int i = 0, n = r.nextInt(4); i < n; i++) out.add(attr(r));
        return out;
    }

    private static KeyValue attr(Random r) {
        return KeyValue.newBuilder()
                .setKey(pick(r, "host.name", "http.route", "retries", "ünï"))
                .setValue(any(r, 0))
                .build();
    }

    private static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder()
                .setKey(key)
                .setValue(AnyValue.newBuilder().setStringValue(value))
                .build();
    }

    private static AnyValue any(Random r, int depth) {
        AnyValue.Builder v = AnyValue.newBuilder();
        switch (depth > 2 ? r.nextInt(5) : r.nextInt(8)) {
            case 0, 1 -> v.setStringValue(string(r));
            case 2 -> v.setBoolValue(r.nextBoolean());
            case 3 -> v.setIntValue(r.nextLong() >> r.nextInt(64));
            case 4 -> v.setDoubleValue(value(r));
            case 5 -> {
                byte[] bytes = new byte[r.nextInt(7)];
                r.nextBytes(bytes);
                v.setBytesValue(ByteString.copyFrom(bytes));
            }
            case 6 ->
                    v.setArrayValue(
                            ArrayValue.newBuilder()
                                    .addValues(any(r, depth + 1))
                                    .addValues(any(r, depth + 1)));
            default ->
                    v.setKvlistValue(
                            KeyValueList.newBuilder()
                                    .addValues(
                                            KeyValue.newBuilder()
                                                    .setKey("k")
                                                    .setValue(any(r, depth + 1))));
        }
        return v.build();
    }

    private static String string(Random r) {
        return pick(r, "db-1", "/login", "", "quote \" and \\ and\ttab", "日本語 😀", "x".repeat(200));
    }

    /** Values, the awkward ones included (but not -0.0, which JsonFormat makes +0.0). */
    private static double value(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> 0.0;
            case 1 -> Double.NaN;
            case 2 -> Double.MAX_VALUE;
            case 3 -> Double.MIN_VALUE;
            case 4 -> -r.nextDouble() * 1e6;
            case 5 -> r.nextInt(1000);
            case 6 -> r.nextInt(20) == 0 ? Double.POSITIVE_INFINITY : 1e-300;
            default -> r.nextDouble() * 100;
        };
    }

    private static long time(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> 0;
            case 1 -> Long.MIN_VALUE + r.nextInt(10); // above 2^63 as fixed64
            default -> T0 + r.nextInt(1_000_000) * 1000L;
        };
    }

    /** An id of {@code bytes} bytes; now and then empty, all zeros, or of another length. */
    private static ByteString id(Random r, int bytes) {
        byte[] id =
                new byte
                        [switch (r.nextInt(20)) {
                            case 0 -> 0;
                            case 1 -> 2;
                            case 2 -> 10;
                            default -> bytes;
                        }];
        if (r.nextInt(20) != 0) r.nextBytes(id);
        return ByteString.copyFrom(id);
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
