package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.format.OtlpExamples.SPAN_ID;
import static io.incidentanalyzer.ingest.format.OtlpExamples.T0_NANOS;
import static io.incidentanalyzer.ingest.format.OtlpExamples.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.incidentanalyzer.ingest.CumulativeRates;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.testing.DecoderFuzz;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {

    static final long T0_MS = T0_NANOS / 1_000_000;
    static final ServiceNames SERVICE_NAME = new ServiceNames(List.of("service.name"), null);

    private final OtlpProtoDecoder protoMetrics =
            new OtlpProtoDecoder(StreamKind.METRICS, SERVICE_NAME, 65536);
    private final OtlpProtoDecoder protoLogs =
            new OtlpProtoDecoder(StreamKind.LOGS, SERVICE_NAME, 65536);
    private final OtlpJsonDecoder jsonMetrics =
            new OtlpJsonDecoder(StreamKind.METRICS, SERVICE_NAME, 65536);
    private final OtlpJsonDecoder jsonLogs =
            new OtlpJsonDecoder(StreamKind.LOGS, SERVICE_NAME, 65536);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aGaugeIsItsValueForTheResourcesService() {
        List<Decoded> out =
                protoMetrics.decodeAll(
                        "m",
                        0,
                        0,
                        OtlpExamples.gauge("database", "cpu_utilization", T0_NANOS, 97.5)
                                .toByteArray());

        assertThat(out)
                .singleElement()
                .extracting(Decoded::metric)
                .satisfies(
                        m -> {
                            assertThat(m.ts()).isEqualTo(T0_MS);
                            assertThat(m.service()).isEqualTo("database");
                            assertThat(m.metric()).isEqualTo("cpu_utilization");
                            assertThat(m.value()).isEqualTo(97.5);
                        });
    }

    @Test
    void aDeltaSumIsARatePerSecondAndACumulativeOneIsMarkedForTheKeyedStep() {
        long start = T0_NANOS - 10_000_000_000L;
        byte[] record =
                OtlpExamples.request(
                                "web-app",
                                OtlpExamples.sum(
                                        "requests",
                                        AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
                                        start,
                                        T0_NANOS,
                                        250),
                                OtlpExamples.sum(
                                        "requests.total",
                                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                                        start,
                                        T0_NANOS,
                                        9000))
                        .toByteArray();

        List<MetricSample> out =
                protoMetrics.decodeAll("m", 0, 0, record).stream().map(Decoded::metric).toList();

        assertThat(out).hasSize(2);
        assertThat(out.get(0).value()).isEqualTo(25.0);
        assertThat(CumulativeRates.isMarked(out.get(0))).isFalse();
        assertThat(out.get(0).labels()).containsEntry("route", "/login");
        assertThat(out.get(1).value()).isEqualTo(9000.0);
        assertThat(out.get(1).labels())
                .containsEntry(CumulativeRates.START_LABEL, Long.toString(start));
    }

    @Test
    void aDeltaHistogramGivesLatencyQuantiles() {
        byte[] record =
                OtlpExamples.request(
                                "web-app",
                                OtlpExamples.latency(
                                        "http.server.duration",
                                        T0_NANOS - 60_000_000_000L,
                                        T0_NANOS))
                        .toByteArray();

        List<MetricSample> out =
                protoMetrics.decodeAll("m", 0, 0, record).stream().map(Decoded::metric).toList();

        assertThat(out)
                .extracting(MetricSample::metric)
                .containsExactly(
                        "http.server.duration.p50",
                        "http.server.duration.p90",
                        "http.server.duration.p99");
        // 40 below 0.1, 40 in (0.1, 0.25]: rank 50 is 10/40 into the second bucket.
        assertThat(out.get(0).value()).isCloseTo(0.1375, within(1e-9));
        assertThat(out.get(1).value()).isCloseTo(0.5, within(1e-9));
        assertThat(out.get(2).value()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aLogRecordKeepsSeverityAttributesAndHexIds() {
        List<Decoded> out =
                protoLogs.decodeAll(
                        "l",
                        0,
                        0,
                        OtlpExamples.logs("web-app", T0_NANOS, "connection refused").toByteArray());

        LogEvent e = out.get(0).log();
        assertThat(e.service()).isEqualTo("web-app");
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(e.message()).isEqualTo("connection refused");
        assertThat(e.attributes())
                .containsEntry("db.host", "db-2")
                .containsEntry("trace_id", TRACE_ID)
                .containsEntry("span_id", SPAN_ID);
    }

    @Test
    void otlpJsonReadsHexIdsIntegerEnumsAndInt64Strings() {
        LogEvent e =
                jsonLogs.decodeAll(
                                "l", 0, 0, utf8(OtlpExamples.logsJson("web-app", T0_NANOS, "boom")))
                        .get(0)
                        .log();

        assertThat(e.ts()).isEqualTo(T0_MS);
        assertThat(e.level()).isEqualTo("ERROR");
        assertThat(e.attributes())
                .containsEntry("trace_id", TRACE_ID)
                .containsEntry("span_id", SPAN_ID)
                .containsEntry("retries", "3");

        List<MetricSample> m =
                jsonMetrics
                        .decodeAll(
                                "m",
                                0,
                                0,
                                utf8(OtlpExamples.metricsJson("database", T0_NANOS, 97.5)))
                        .stream()
                        .map(Decoded::metric)
                        .toList();
        assertThat(m)
                .extracting(MetricSample::metric)
                .containsExactly("cpu_utilization", "http.server.requests");
        assertThat(m.get(0).value()).isEqualTo(97.5);
        assertThat(CumulativeRates.isMarked(m.get(1))).isTrue();
    }

    @Test
    void theSameRequestGivesTheSameEventsInProtobufAndJson() {
        byte[] proto = OtlpExamples.logs("web-app", T0_NANOS, "boom").toByteArray();
        String json =
                OtlpExamples.logsJson("web-app", T0_NANOS, "boom")
                        .replace(",\"severityText\":\"Error\"", "")
                        .replace(",{\"key\":\"retries\",\"value\":{\"intValue\":\"3\"}}", "");

        assertThat(jsonLogs.decodeAll("l", 0, 0, utf8(json)).get(0).log())
                .isEqualTo(protoLogs.decodeAll("l", 0, 0, proto).get(0).log());
    }

    @Test
    void aPointThatCannotBeReadIsSkippedWithOneDeadLetterAndTheOthersGoOn() {
        byte[] record =
                OtlpExamples.request(
                                "database",
                                OtlpExamples.gauge("database", "cpu", T0_NANOS, 1.0)
                                        .getResourceMetrics(0)
                                        .getScopeMetrics(0)
                                        .getMetrics(0),
                                OtlpExamples.gauge("database", "mem", T0_NANOS, Double.NaN)
                                        .getResourceMetrics(0)
                                        .getScopeMetrics(0)
                                        .getMetrics(0))
                        .toByteArray();

        List<Decoded> out = protoMetrics.decodeAll("m", 3, 44, record);

        assertThat(out).hasSize(2);
        assertThat(out.get(0).metric().metric()).isEqualTo("cpu");
        assertThat(out.get(1).rejected().reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(out.get(1).rejected().detail()).contains("1 of 2 parts skipped", "'mem'", "NaN");
        assertThat(out.get(1).rejected().offset()).isEqualTo(44);
    }

    @Test
    void aResourceWithoutServiceNameIsRejectedNamingTheAttribute() {
        String json = OtlpExamples.logsJson("x", T0_NANOS, "boom").replace("service.name", "svc");

        Decoded d = jsonLogs.decodeAll("l", 0, 0, utf8(json)).get(0);

        assertThat(d.rejected().reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(d.rejected().detail()).contains("[service.name]");
    }

    @Test
    void brokenRecordsAreMalformedOrNotJson() {
        assertThat(protoMetrics.decodeAll("m", 0, 0, utf8("hello")).get(0).rejected().reason())
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(
                        jsonMetrics
                                .decodeAll("m", 0, 0, utf8("{\"resourceMetrics\":"))
                                .get(0)
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.NOT_JSON);
        assertThat(
                        jsonMetrics
                                .decodeAll("m", 0, 0, utf8("{\"resourceMetrics\":\"no\"}"))
                                .get(0)
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(jsonMetrics.decodeAll("m", 0, 0, utf8("{}")).get(0).rejected().detail())
                .contains("no metrics events");
    }

    @Test
    void mutatedRequestsNeverThrowAndAlwaysGiveAReason() {
        List<byte[]> protoExamples =
                List.of(
                        OtlpExamples.gauge("database", "cpu", T0_NANOS, 97.5).toByteArray(),
                        OtlpExamples.request(
                                        "web-app",
                                        OtlpExamples.latency(
                                                "lat", T0_NANOS - 1_000_000_000L, T0_NANOS))
                                .toByteArray());
        DecoderFuzz.Result proto = DecoderFuzz.run(protoMetrics, protoExamples, 31L, 3000);
        DecoderFuzz.assertRejectsGarbage(protoMetrics, 32L);
        DecoderFuzz.Result logs =
                DecoderFuzz.run(
                        protoLogs,
                        List.of(OtlpExamples.logs("web-app", T0_NANOS, "boom").toByteArray()),
                        33L,
                        2000);
        DecoderFuzz.Result json =
                DecoderFuzz.run(
                        jsonMetrics,
                        List.of(utf8(OtlpExamples.metricsJson("database", T0_NANOS, 97.5))),
                        34L,
                        3000);
        DecoderFuzz.Result jsonLog =
                DecoderFuzz.run(
                        jsonLogs,
                        List.of(utf8(OtlpExamples.logsJson("web-app", T0_NANOS, "boom"))),
                        35L,
                        3000);
        DecoderFuzz.assertRejectsGarbage(jsonLogs, 36L);

        for (DecoderFuzz.Result r : List.of(proto, logs, json, jsonLog)) {
            assertThat(r.events()).isPositive();
            assertThat(r.rejections()).isPositive();
        }
    }
}
