package io.incidentanalyzer.ingest.format;

import static io.incidentanalyzer.ingest.format.TraceExamples.TRACE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Span;
import io.incidentanalyzer.testing.DecoderFuzz;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpTraceDecoderTest {

    static final long T0_NANOS = OtlpExamples.T0_NANOS;
    static final long T0_MS = T0_NANOS / 1_000_000;
    static final ServiceNames SERVICE_NAME = new ServiceNames(List.of("service.name"), null);

    private final OtlpJsonDecoder json = OtlpJsonDecoder.traces(SERVICE_NAME, 65536);
    private final OtlpProtoDecoder proto = OtlpProtoDecoder.traces(SERVICE_NAME, 65536);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Span> spans(List<Decoded> all) {
        return all.stream().map(Decoded::span).toList();
    }

    @Test
    void theDocumentedJsonExampleGivesEachSpanWithItsServiceKindTimesAndStatus() {
        List<Decoded> out =
                json.decodeAll("t", 0, 0, utf8(TraceExamples.checkoutJson(TRACE_ID, T0_NANOS)));

        assertThat(out).noneMatch(Decoded::isRejected);
        List<Span> spans = spans(out);
        assertThat(spans).hasSize(3);
        Span client = spans.get(0);
        assertThat(client.service()).isEqualTo("frontend");
        assertThat(client.kind()).isEqualTo("CLIENT");
        assertThat(client.traceId()).isEqualTo(TRACE_ID);
        assertThat(client.spanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(client.parentSpanId()).isEqualTo("eee19b7ec3c1b173");
        assertThat(client.ts()).as("dated at its end").isEqualTo(T0_MS + 250);
        assertThat(client.durationMs()).isCloseTo(250.0, within(1e-9));
        assertThat(client.error()).isFalse();
        assertThat(client.peer()).isNull();

        Span server = spans.get(1);
        assertThat(server.service()).isEqualTo("checkout");
        assertThat(server.kind()).isEqualTo("SERVER");
        assertThat(server.parentSpanId()).isEqualTo(client.spanId());
        assertThat(server.error()).isTrue();

        Span db = spans.get(2);
        assertThat(db.peer()).isEqualTo("orders-db");
        assertThat(db.callsPeer()).isTrue();
    }

    @Test
    void theSameSpansInProtobufAndJsonGiveTheSameEvents() {
        byte[] bytes =
                TraceExamples.request(
                                "checkout",
                                TraceExamples.span(
                                        TRACE_ID,
                                        "d2a6ab5c1e7f4c01",
                                        "eee19b7ec3c1b174",
                                        SpanKind.SPAN_KIND_SERVER,
                                        T0_NANOS + 10_000_000L,
                                        T0_NANOS + 240_000_000L,
                                        true))
                        .toByteArray();

        Span fromProto = proto.decodeAll("t", 0, 0, bytes).get(0).span();
        Span fromJson =
                json.decodeAll("t", 0, 0, utf8(TraceExamples.checkoutJson(TRACE_ID, T0_NANOS)))
                        .get(1)
                        .span();

        assertThat(fromProto).isEqualTo(fromJson);
    }

    @Test
    void aSpanWithoutValidIdsOrTimesIsSkippedWithItsReasonAndTheOthersGoOn() {
        String good = TraceExamples.checkoutJson(TRACE_ID, T0_NANOS);
        String badIds = good.replace("\"spanId\":\"d2a6ab5c1e7f4c02\"", "\"spanId\":\"zz\"");

        List<Decoded> out = json.decodeAll("t", 2, 9, utf8(badIds));

        assertThat(out).hasSize(3);
        assertThat(out.get(2).rejected().reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(out.get(2).rejected().detail())
                .contains("1 of 3 parts skipped", "SELECT orders", "spanId");
        assertThat(out.get(2).rejected().offset()).isEqualTo(9);

        String backwards =
                good.replace(
                        "\"endTimeUnixNano\":\"" + (T0_NANOS + 240_000_000L) + "\"",
                        "\"endTimeUnixNano\":\"" + (T0_NANOS + 1_000_000L) + "\"");
        assertThat(json.decodeAll("t", 0, 0, utf8(backwards)).get(2).rejected().reason())
                .isEqualTo(RejectReason.BAD_TIMESTAMP);

        String zeroTrace = good.replace(TRACE_ID, "00000000000000000000000000000000");
        Decoded allBad = json.decodeAll("t", 0, 0, utf8(zeroTrace)).get(0);
        assertThat(allBad.rejected().detail()).contains("3 of 3 parts skipped", "all zeros");
    }

    @Test
    void brokenRecordsAreOneDeadLetterWithAReason() {
        assertThat(proto.decodeAll("t", 0, 0, utf8("hello")).get(0).rejected().reason())
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(proto.decodeAll("t", 0, 0, null).get(0).rejected().reason())
                .isEqualTo(RejectReason.MALFORMED);
        assertThat(
                        json.decodeAll("t", 0, 0, utf8("{\"resourceSpans\":"))
                                .get(0)
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.NOT_JSON);
        assertThat(
                        json.decodeAll("t", 0, 0, utf8("{\"resourceSpans\":5}"))
                                .get(0)
                                .rejected()
                                .detail())
                .contains("not an OTLP/JSON traces request");
        assertThat(json.decodeAll("t", 0, 0, utf8("{}")).get(0).rejected().detail())
                .contains("no traces events");
        String noService =
                TraceExamples.checkoutJson(TRACE_ID, T0_NANOS).replace("service.name", "svc");
        assertThat(json.decodeAll("t", 0, 0, utf8(noService)).get(0).rejected().detail())
                .contains("[service.name]");
    }

    @Test
    void mutatedTraceRequestsNeverThrowAndAlwaysGiveAReason() {
        byte[] protoExample =
                TraceExamples.request(
                                "frontend",
                                TraceExamples.peerCall(
                                        TraceExamples.span(
                                                TRACE_ID,
                                                "eee19b7ec3c1b174",
                                                null,
                                                SpanKind.SPAN_KIND_CLIENT,
                                                T0_NANOS,
                                                T0_NANOS + 5_000_000L,
                                                false),
                                        "payments"))
                        .toByteArray();
        DecoderFuzz.Result p = DecoderFuzz.run(proto, List.of(protoExample), 41L, 3000);
        DecoderFuzz.assertRejectsGarbage(proto, 42L);
        DecoderFuzz.Result j =
                DecoderFuzz.run(
                        json,
                        List.of(utf8(TraceExamples.checkoutJson(TRACE_ID, T0_NANOS))),
                        43L,
                        3000);
        DecoderFuzz.assertRejectsGarbage(json, 44L);

        for (DecoderFuzz.Result r : List.of(p, j)) {
            assertThat(r.events()).isPositive();
            assertThat(r.rejections()).isPositive();
        }
    }
}
