package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NativeJsonDecoderTest {

    private static final Instant T0 = Instant.parse("2024-02-16T08:30:00Z");
    private static final int LIMIT = 65536;
    private static final String TOPIC = "metrics";
    private static final int PARTITION = 3;
    private static final long OFFSET = 4711L;
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- happy paths ----

    @Test
    void decodesMetricWithEveryField() {
        Decoded d = decode(StreamKind.METRICS, cpu("database", t(3), 97.5));

        assertThat(d.isRejected()).isFalse();
        assertThat(d.ts()).isEqualTo(t(3).toEpochMilli());
        assertThat(d.metric())
                .isEqualTo(
                        new MetricSample(
                                t(3).toEpochMilli(),
                                "database",
                                "cpu_utilization",
                                97.5,
                                Map.of("host", "db-1")));
        assertThat(d.auth()).isNull();
        assertThat(d.log()).isNull();
        assertThat(d.change()).isNull();
    }

    @Test
    void decodesAuthEventWithEveryField() {
        Map<String, Object> refresh = refresh("token-verifier", t(2));
        refresh.put("clientVersion", "2.3.1");
        refresh.put("userId", "u-17");
        refresh.put("sessionId", "s-99");
        refresh.put("ip", "10.0.0.7");
        refresh.put("caller", "web-app");
        refresh.put("outcome", "ok");
        refresh.put("error", "none");

        Decoded d = decode(StreamKind.AUTH, refresh);

        assertThat(d.auth())
                .isEqualTo(
                        new AuthEvent(
                                t(2).toEpochMilli(),
                                "token-verifier",
                                AuthEventType.REFRESH,
                                "web-client",
                                "2.3.1",
                                "u-17",
                                "s-99",
                                "10.0.0.7",
                                "web-app",
                                "ok",
                                "none"));
        assertThat(d.ts()).isEqualTo(t(2).toEpochMilli());
        assertThat(d.rejected()).isNull();
    }

    @Test
    void leavesAbsentOptionalAuthFieldsNull() {
        Decoded d = decode(StreamKind.AUTH, refresh("token-verifier", t(2)));

        assertThat(d.auth())
                .isEqualTo(
                        new AuthEvent(
                                t(2).toEpochMilli(),
                                "token-verifier",
                                AuthEventType.REFRESH,
                                "web-client",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null));
    }

    @Test
    void decodesLogLineWithEveryField() {
        Map<String, Object> line = logLine("token-verifier", t(1), "connected to db-2");
        line.put("level", "warn");
        line.put("attributes", Map.of("dbHost", "db-2", "pool", "main"));

        Decoded d = decode(StreamKind.LOGS, line);

        assertThat(d.log())
                .isEqualTo(
                        new LogEvent(
                                t(1).toEpochMilli(),
                                "token-verifier",
                                "WARN",
                                "connected to db-2",
                                Map.of("dbHost", "db-2", "pool", "main")));
    }

    @Test
    void defaultsLogLevelToInfoAndAttributesToEmptyMap() {
        Decoded d = decode(StreamKind.LOGS, logLine("gpt", t(1), "request served"));

        assertThat(d.log().level()).isEqualTo("INFO");
        assertThat(d.log().attributes()).isEmpty();
    }

    @Test
    void decodesChangeEventWithEveryField() {
        Decoded d =
                decode(
                        StreamKind.CHANGES,
                        rollback("web-app", t(15), "2024.02.15", "undo release"));

        assertThat(d.change())
                .isEqualTo(
                        new ChangeEvent(
                                t(15).toEpochMilli(),
                                "web-app",
                                ChangeKind.ROLLBACK,
                                "2024.02.15",
                                "undo release"));
    }

    @Test
    void acceptsChangeKindInAnyCaseWithDashes() {
        Map<String, Object> flag = rollback("web-app", t(30), null, "token refresh off");
        flag.put("kind", "Feature-Flag");

        Decoded d = decode(StreamKind.CHANGES, flag);

        assertThat(d.change().kind()).isEqualTo(ChangeKind.FEATURE_FLAG);
        assertThat(d.change().version()).isNull();
    }

    @Test
    void acceptsAuthTypeInAnyCase() {
        Map<String, Object> event = refresh("token-verifier", t(2));
        event.put("type", "missing_token");

        assertThat(decode(StreamKind.AUTH, event).auth().type())
                .isEqualTo(AuthEventType.MISSING_TOKEN);
    }

    @Test
    void acceptsIsoTimestampInUtc() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("ts", "2024-02-16T08:30:00Z");

        assertThat(decode(StreamKind.METRICS, sample).metric().ts()).isEqualTo(T0.toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2024-02-16T09:30:00.250+01:00",
                "2024-02-16T09:30:00.250+0100",
                "2024-02-16T08:30:00.250z",
                "2024-02-16T08:30:00.250Z[UTC]",
                "2024-02-16T03:30:00.250-05:00"
            })
    void acceptsIsoTimestampWithOffsetAndMilliseconds(String ts) {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("ts", ts);

        assertThat(decode(StreamKind.METRICS, sample).ts()).isEqualTo(T0.toEpochMilli() + 250);
    }

    @Test
    void acceptsEpochMillisecondsTimestamp() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("ts", 1708072200123L);

        assertThat(decode(StreamKind.METRICS, sample).ts()).isEqualTo(1708072200123L);
    }

    @Test
    void acceptsNumericStringAsMetricValue() {
        assertThat(decode(StreamKind.METRICS, cpu("database", T0, "97.5")).metric().value())
                .isEqualTo(97.5);
    }

    @Test
    void defaultsAbsentLabelsToEmptyMutableMap() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.remove("labels");

        Map<String, String> labels = decode(StreamKind.METRICS, sample).metric().labels();

        assertThat(labels).isEmpty();
        // Flink's MapSerializer is safe with HashMap, not with the JDK's immutable maps.
        assertThat(labels).isInstanceOf(java.util.HashMap.class);
    }

    @Test
    void convertsNonStringLabelValuesToText() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put("core", 3);
        labels.put("primary", true);
        labels.put("gone", null);
        sample.put("labels", labels);

        assertThat(decode(StreamKind.METRICS, sample).metric().labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("core", "3", "primary", "true"));
    }

    @Test
    void ignoresUnknownFields() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("exporterVersion", "1.2");
        sample.put("extra", Map.of("nested", 1));

        assertThat(decode(StreamKind.METRICS, sample).isRejected()).isFalse();
    }

    // ---- TOO_LARGE ----

    @Test
    void rejectsRecordOverTheLimitAsTooLargeKeepingItsFirst4096Bytes() {
        byte[] big = new byte[70000];
        java.util.Arrays.fill(big, (byte) 'x');

        DeadLetter d = rejection(StreamKind.METRICS, big);

        assertThat(d.reason()).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(d.detail())
                .isEqualTo("record is 70000 bytes; limit is 65536 (raw truncated to 4096 bytes)");
        assertThat(d.raw()).hasSize(4096);
        assertThat(d.rawEncoding()).isEqualTo("utf-8");
    }

    @Test
    void checksSizeBeforeParsing() {
        NativeJsonDecoder small = NativeJsonDecoder.forKind(StreamKind.METRICS, 16);

        Decoded d = small.decode(TOPIC, PARTITION, OFFSET, json(cpu("database", T0, 97.5)));

        assertThat(d.rejected().reason()).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(d.rejected().raw()).isEqualTo(new String(json(cpu("database", T0, 97.5))));
    }

    // ---- NOT_JSON ----

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json at all",
                "",
                "[1, 2, 3]",
                "42",
                "\"a string\"",
                "null",
                "{\"ts\": 1708072200000,",
                "{\"ts\": 1708072200000} trailing",
                "{\"a\": 1}{\"b\": 2}",
                "{\"value\": NaN}"
            })
    void rejectsAnythingButOneJsonObjectAsNotJson(String value) {
        DeadLetter d = rejection(StreamKind.METRICS, value.getBytes(StandardCharsets.UTF_8));

        assertThat(d.reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(d.detail()).isNotBlank();
        assertThat(d.raw()).isEqualTo(value);
        assertThat(d.rawEncoding()).isEqualTo("utf-8");
    }

    @Test
    void rejectsArrayAsNotJsonSayingAnObjectWasExpected() {
        DeadLetter d = rejection(StreamKind.LOGS, "[{\"ts\":1}]".getBytes(StandardCharsets.UTF_8));

        assertThat(d.reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(d.detail()).isEqualTo("expected a JSON object, got an array");
    }

    @Test
    void rejectsNullValueAsNotJson() {
        DeadLetter d = rejection(StreamKind.AUTH, (byte[]) null);

        assertThat(d.reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(d.raw()).isNull();
        assertThat(d.rawEncoding()).isEqualTo("utf-8");
    }

    @Test
    void rejectsDeeplyNestedJsonAsNotJson() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);

        DeadLetter d = rejection(StreamKind.LOGS, deep.getBytes(StandardCharsets.UTF_8));

        assertThat(d.reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(d.detail()).containsIgnoringCase("nesting");
    }

    @Test
    void rejectsBinaryBytesAsNotJsonKeepingThemAsBase64() {
        byte[] binary = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF, (byte) 0xFE, 0x7B, (byte) 0x80};

        DeadLetter d = rejection(StreamKind.METRICS, binary);

        assertThat(d.reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(d.rawEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(d.raw())).isEqualTo(binary);
    }

    // ---- MISSING_FIELD ----

    @Test
    void rejectsMetricWithoutServiceAsMissingField() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.remove("service");

        DeadLetter d = rejection(StreamKind.METRICS, sample);

        assertThat(d.reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(d.detail()).isEqualTo("missing required field 'service'");
    }

    @Test
    void rejectsJsonNullInRequiredFieldAsMissingField() {
        Map<String, Object> event = refresh("token-verifier", T0);
        event.put("type", null);

        DeadLetter d = rejection(StreamKind.AUTH, event);

        assertThat(d.reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(d.detail()).isEqualTo("missing required field 'type'");
    }

    @Test
    void rejectsLogLineWithoutTsAsMissingField() {
        Map<String, Object> line = logLine("gpt", T0, "hello");
        line.remove("ts");

        assertThat(rejection(StreamKind.LOGS, line).detail())
                .isEqualTo("missing required field 'ts'");
    }

    @Test
    void reportsMissingFieldBeforeBadTimestamp() {
        Map<String, Object> change = rollback("web-app", T0, "1.0", "x");
        change.put("ts", "yesterday");
        change.remove("kind");

        assertThat(rejection(StreamKind.CHANGES, change).reason())
                .isEqualTo(RejectReason.MISSING_FIELD);
    }

    // ---- BAD_TIMESTAMP ----

    @Test
    void rejectsEpochSecondsAsBadTimestampWithAHint() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("ts", 1708072200L);

        DeadLetter d = rejection(StreamKind.METRICS, sample);

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(d.detail())
                .isEqualTo("ts 1708072200 looks like epoch seconds; send milliseconds");
    }

    @Test
    void rejectsIsoTimestampWithoutOffsetAsBadTimestamp() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("ts", "2024-02-16T08:30:00");

        DeadLetter d = rejection(StreamKind.METRICS, sample);

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(d.detail()).contains("add Z or an offset");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"yesterday\"",
                "\"2024-02-30T08:30:00Z\"",
                "\"1708072200000\"",
                "1708072200000.5",
                "true",
                "{}",
                "[]",
                "946684799999",
                "4102444800001",
                "-5",
                "99999999999999999999999",
                "\"1999-12-31T23:59:59Z\"",
                "\"+999999999-12-31T23:59:59Z\""
            })
    void rejectsUnreadableOrImplausibleTimestampAsBadTimestamp(String ts) {
        String record =
                "{\"ts\": " + ts + ", \"service\": \"db\", \"metric\": \"cpu\", \"value\": 1}";

        DeadLetter d = rejection(StreamKind.METRICS, record.getBytes(StandardCharsets.UTF_8));

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(d.detail()).startsWith("ts");
    }

    // ---- BAD_VALUE ----

    @Test
    void rejectsUnknownAuthTypeAsBadValueNamingTheAllowedTypes() {
        Map<String, Object> event = refresh("token-verifier", T0);
        event.put("type", "REFRESH_STORM");

        DeadLetter d = rejection(StreamKind.AUTH, event);

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(d.detail())
                .isEqualTo(
                        "field 'type' has unknown value 'REFRESH_STORM'; expected one of LOGIN,"
                                + " REFRESH, REFRESH_ERROR, VERIFY, VERIFY_ERROR, MISSING_TOKEN,"
                                + " LOGOUT");
    }

    @Test
    void rejectsNonNumericMetricValueAsBadValue() {
        DeadLetter d = rejection(StreamKind.METRICS, cpu("database", T0, "high"));

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(d.detail())
                .isEqualTo(
                        "field 'value' must be a finite number or a numeric string, got string"
                                + " 'high'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "0x10", "1e400", "", "1.5f"})
    void rejectsNonFiniteOrOddNumericStringAsBadValue(String value) {
        DeadLetter d = rejection(StreamKind.METRICS, cpu("database", T0, value));

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(d.detail()).contains("'value'");
    }

    @Test
    void rejectsNumberBeyondDoubleRangeAsBadValue() {
        String record =
                "{\"ts\": 1708072200000, \"service\": \"db\", \"metric\": \"cpu\", \"value\":"
                        + " 1e400}";

        DeadLetter d = rejection(StreamKind.METRICS, record.getBytes(StandardCharsets.UTF_8));

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
    }

    @Test
    void rejectsNonStringServiceAsBadValue() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("service", 17);

        DeadLetter d = rejection(StreamKind.METRICS, sample);

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(d.detail())
                .isEqualTo("field 'service' must be a non-empty string, got number 17");
    }

    @Test
    void rejectsEmptyServiceAsBadValue() {
        DeadLetter d = rejection(StreamKind.LOGS, logLine("", T0, "hello"));

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(d.detail()).contains("'service'");
    }

    @Test
    void rejectsLabelsThatAreNotAnObjectAsBadValue() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.put("labels", java.util.List.of("host", "db-1"));

        DeadLetter d = rejection(StreamKind.METRICS, sample);

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(d.detail())
                .isEqualTo("field 'labels' must be an object of strings, got an array");
    }

    @Test
    void rejectsUnknownChangeKindAsBadValue() {
        Map<String, Object> change = rollback("web-app", T0, "1.0", "x");
        change.put("kind", "reboot");

        DeadLetter d = rejection(StreamKind.CHANGES, change);

        assertThat(d.reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(d.detail()).contains("DEPLOY, ROLLBACK, CONFIG, FEATURE_FLAG");
    }

    // ---- the dead letter and the decoder as Flink uses them ----

    @Test
    void rejectionCarriesTheSourceCoordinatesAndTheRawText() {
        Map<String, Object> sample = cpu("database", T0, 97.5);
        sample.remove("metric");
        byte[] value = json(sample);

        Decoded d = decoder(StreamKind.METRICS).decode("prod.metrics", 7, 123456789L, value);

        assertThat(d.ts()).isEqualTo(Long.MIN_VALUE);
        assertThat(d.metric()).isNull();
        assertThat(d.rejected().sourceTopic()).isEqualTo("prod.metrics");
        assertThat(d.rejected().partition()).isEqualTo(7);
        assertThat(d.rejected().offset()).isEqualTo(123456789L);
        assertThat(d.rejected().raw()).isEqualTo(new String(value, StandardCharsets.UTF_8));
        assertThat(d.rejected().rawEncoding()).isEqualTo("utf-8");
    }

    @Test
    void decoderStillWorksAfterJavaSerializationLikeInAFlinkTask() throws Exception {
        NativeJsonDecoder original = decoder(StreamKind.METRICS);
        original.decode(TOPIC, PARTITION, OFFSET, json(cpu("database", T0, 1.0)));

        NativeJsonDecoder copy = javaRoundTrip(original);

        assertThat(copy.kind()).isEqualTo(StreamKind.METRICS);
        assertThat(copy.maxRecordBytes()).isEqualTo(LIMIT);
        assertThat(copy.decode(TOPIC, PARTITION, OFFSET, json(cpu("database", T0, 97.5))))
                .isEqualTo(decode(StreamKind.METRICS, cpu("database", T0, 97.5)));
    }

    @Test
    void decodedEventsAndRejectionsSurviveFlinksSerializer() throws IOException {
        TypeSerializer<Decoded> serializer =
                TypeInformation.of(Decoded.class).createSerializer(new SerializerConfigImpl());
        Map<String, Object> line = logLine("token-verifier", T0, "connected");
        line.put("attributes", Map.of("dbHost", "db-2"));
        Map<String, Object> broken = cpu("database", T0, 97.5);
        broken.remove("service");

        for (Decoded d :
                new Decoded[] {
                    decode(StreamKind.METRICS, cpu("database", T0, 97.5)),
                    decode(StreamKind.AUTH, refresh("token-verifier", T0)),
                    decode(StreamKind.LOGS, line),
                    decode(StreamKind.CHANGES, rollback("web-app", T0, "1.0", "undo")),
                    decode(StreamKind.METRICS, broken)
                }) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(d, out);
            Decoded back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

            assertThat(back).isEqualTo(d);
            assertThat(serializer.copy(d)).isEqualTo(d);
        }
    }

    // ---- fixtures ----

    private static Instant t(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static Map<String, Object> cpu(String service, Instant ts, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", ts.toEpochMilli());
        m.put("service", service);
        m.put("metric", "cpu_utilization");
        m.put("value", value);
        m.put("labels", Map.of("host", "db-1"));
        return m;
    }

    private static Map<String, Object> refresh(String service, Instant ts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", ts.toEpochMilli());
        m.put("service", service);
        m.put("type", "REFRESH");
        m.put("clientId", "web-client");
        return m;
    }

    private static Map<String, Object> logLine(String service, Instant ts, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", ts.toString());
        m.put("service", service);
        m.put("message", message);
        return m;
    }

    private static Map<String, Object> rollback(
            String service, Instant ts, String version, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ts", ts.toEpochMilli());
        m.put("service", service);
        m.put("kind", "rollback");
        m.put("version", version);
        m.put("description", description);
        return m;
    }

    private static byte[] json(Map<String, Object> record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NativeJsonDecoder decoder(StreamKind kind) {
        return NativeJsonDecoder.forKind(kind, LIMIT);
    }

    private static Decoded decode(StreamKind kind, Map<String, Object> record) {
        return decoder(kind).decode(TOPIC, PARTITION, OFFSET, json(record));
    }

    private static DeadLetter rejection(StreamKind kind, Map<String, Object> record) {
        return rejection(kind, json(record));
    }

    private static DeadLetter rejection(StreamKind kind, byte[] value) {
        Decoded d = decoder(kind).decode(TOPIC, PARTITION, OFFSET, value);
        assertThat(d.isRejected()).as("rejected").isTrue();
        assertThat(d.rejected().sourceTopic()).isEqualTo(TOPIC);
        assertThat(d.rejected().partition()).isEqualTo(PARTITION);
        assertThat(d.rejected().offset()).isEqualTo(OFFSET);
        return d.rejected();
    }

    private static NativeJsonDecoder javaRoundTrip(NativeJsonDecoder decoder)
            throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(decoder);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (NativeJsonDecoder) in.readObject();
        }
    }
}
