package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path of the native decoder against its tree path: whatever the fast path
 * accepts must be exactly the event the tree path decodes from the same bytes, and records it is
 * not sure of must be left to the tree path (so rejections keep their reasons and details).
 */
class NativeJsonReaderTest {

    private static final long SEED = 20240217L;

    static final String METRIC =
            "{\"ts\":\"2024-02-16T05:00:00.000Z\",\"service\":\"web-app\","
                    + "\"metric\":\"request_rate\",\"value\":356.61,"
                    + "\"labels\":{\"host\":\"web-app-1\"}}";
    static final String AUTH =
            "{\"ts\":\"2024-02-16T05:00:00.099Z\",\"service\":\"verifier\",\"type\":\"REFRESH\","
                    + "\"clientId\":\"android\",\"clientVersion\":\"3.14.0\","
                    + "\"userId\":\"u-22560\",\"sessionId\":\"s-c8201ef03d2d39b3\","
                    + "\"ip\":\"178.207.168.24\",\"outcome\":\"success\"}";
    static final String LOG =
            "{\"ts\":\"2024-02-16T05:00:01.524Z\",\"service\":\"engine\",\"level\":\"INFO\","
                    + "\"message\":\"health report\",\"attributes\":{\"requests_per_s\":\"99.7\","
                    + "\"latency_ms\":\"1672.3\",\"error_ratio\":\"0.0012\"}}";
    static final String CHANGE =
            "{\"ts\":\"2024-02-16T07:45:00.000Z\",\"service\":\"web-app\",\"kind\":\"ROLLBACK\","
                    + "\"version\":\"2024.02.15\",\"description\":\"Rolled back\"}";

    private static final Map<StreamKind, String> SIMULATED =
            Map.of(
                    StreamKind.METRICS, METRIC,
                    StreamKind.AUTH, AUTH,
                    StreamKind.LOGS, LOG,
                    StreamKind.CHANGES, CHANGE);

    @Test
    void commonRecordsOfEveryStreamTakeTheFastPathAndEqualTheTree() {
        for (StreamKind kind : StreamKind.values()) {
            for (String json :
                    new String[] {SIMULATED.get(kind), DecoderRobustnessTest.VALID.get(kind)}) {
                Decoded fast = new NativeJsonReader(kind).read(utf8(json));
                assertThat(fast).as(kind + " " + json).isNotNull();
                assertThat(fast).isEqualTo(tree(kind, utf8(json)));
            }
        }
    }

    @Test
    void mutatedRecordsAreAcceptedOnlyAsTheTreeDecodesThem() {
        Random random = new Random(SEED);
        int fastEvents = 0;
        int treeOnly = 0;
        for (int i = 0; i < 20_000; i++) {
            StreamKind kind = StreamKind.values()[i % 4];
            String base =
                    random.nextBoolean()
                            ? SIMULATED.get(kind)
                            : DecoderRobustnessTest.VALID.get(kind);
            byte[] value = DecoderRobustnessTest.mutate(random, base);
            Decoded fast = new NativeJsonReader(kind).read(value);
            Object tree = tree(kind, value);
            if (fast != null) {
                fastEvents++;
                assertThat(fast).as(new String(value, StandardCharsets.UTF_8)).isEqualTo(tree);
            } else {
                treeOnly++;
            }
            // And through the decoder, the outcome is the tree's, rejections included.
            assertThat(outcome(NativeJsonDecoder.forKind(kind, 4096).decode("t", 0, 0, value)))
                    .as(new String(value, StandardCharsets.UTF_8))
                    .isEqualTo(tree instanceof Decoded d ? outcome(d) : tree);
        }
        assertThat(fastEvents).isGreaterThan(1000);
        assertThat(treeOnly).isGreaterThan(1000);
    }

    @Test
    void sampleValuesParseToTheTreesDoubles() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 20_000; i++) {
            String value =
                    switch (i % 4) {
                        case 0 ->
                                Double.toString(
                                        random.nextDouble()
                                                * Math.pow(10, random.nextInt(40) - 20));
                        case 1 -> Long.toString(random.nextLong() >> random.nextInt(64));
                        case 2 ->
                                digits(random, 1 + random.nextInt(25))
                                        + "."
                                        + digits(random, 1 + random.nextInt(25));
                        default ->
                                digits(random, 1 + random.nextInt(3))
                                        + "e"
                                        + (random.nextInt(600) - 300);
                    };
            byte[] json =
                    utf8(
                            "{\"ts\":1708072200000,\"service\":\"a\",\"metric\":\"m\",\"value\":"
                                    + value
                                    + "}");
            Decoded fast = new NativeJsonReader(StreamKind.METRICS).read(json);
            Object tree = tree(StreamKind.METRICS, json);
            if (fast != null) {
                assertThat(fast).as(value).isEqualTo(tree);
            } else {
                assertThat(tree).as(value).isInstanceOf(String.class);
            }
        }
    }

    private static String digits(Random random, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    @Test
    void duplicateFieldsAndRareShapesAreLeftToTheTree() {
        String[] rare = {
            // duplicate field: the tree keeps the last
            "{\"ts\":1708072200000,\"service\":\"a\",\"service\":\"b\",\"metric\":\"m\",\"value\":1}",
            // numeric string value, numeric label, offset without a colon
            "{\"ts\":1708072200000,\"service\":\"a\",\"metric\":\"m\",\"value\":\"1.5\"}",
            "{\"ts\":1708072200000,\"service\":\"a\",\"metric\":\"m\",\"value\":1,\"labels\":{\"n\":2}}",
            "{\"ts\":\"2024-02-16T08:30:00+0100\",\"service\":\"a\",\"metric\":\"m\",\"value\":1}",
            // trailing content, missing field
            "{\"ts\":1708072200000,\"service\":\"a\",\"metric\":\"m\",\"value\":1} {}",
            "{\"ts\":1708072200000,\"service\":\"a\",\"metric\":\"m\"}",
        };
        for (String json : rare) {
            assertThat(new NativeJsonReader(StreamKind.METRICS).read(utf8(json))).as(json).isNull();
        }
        Decoded d =
                NativeJsonDecoder.forKind(StreamKind.METRICS, 4096)
                        .decode("t", 0, 0, utf8(rare[0]));
        assertThat(d.metric().service()).isEqualTo("b");
    }

    @Test
    void labelsDropNullsWithTheLastDuplicateWinningAndEnumsAreNormalised() {
        String json =
                "{\"ts\":1708072200000,\"service\":\"a\",\"metric\":\"m\",\"value\":1,"
                        + "\"labels\":{\"x\":\"1\",\"x\":null,\"y\":null,\"y\":\"2\"},"
                        + "\"extra\":[{\"deep\":[1,2.5,\"s\",true,null]}]}";
        Decoded fast = new NativeJsonReader(StreamKind.METRICS).read(utf8(json));
        assertThat(fast).isNotNull().isEqualTo(tree(StreamKind.METRICS, utf8(json)));
        assertThat(fast.metric().labels()).containsExactly(Map.entry("y", "2"));

        String auth = "{\"ts\":1708072200000,\"service\":\"a\",\"type\":\" refresh-error \"}";
        Decoded a = new NativeJsonReader(StreamKind.AUTH).read(utf8(auth));
        assertThat(a.auth().type()).isEqualTo(AuthEventType.REFRESH_ERROR);
        assertThat(a).isEqualTo(tree(StreamKind.AUTH, utf8(auth)));
    }

    /** The tree path's event, or its rejection as "REASON: detail". */
    private static Object tree(StreamKind kind, byte[] value) {
        try {
            return NativeJsonDecoder.forKind(kind, 4096).decodeTree(value);
        } catch (Reject r) {
            return r.reason() + ": " + r.getMessage();
        }
    }

    private static Object outcome(Decoded d) {
        return d.isRejected() ? d.rejected().reason() + ": " + d.rejected().detail() : d;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
