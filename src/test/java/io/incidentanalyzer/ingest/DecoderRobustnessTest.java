package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.incidentanalyzer.model.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-style check of the decoder contract: for any bytes, decode returns exactly one of an
 * event or a rejection and never throws. Inputs come from a fixed seed, so a failure reproduces.
 */
class DecoderRobustnessTest {

    private static final long SEED = 20240216L;
    private static final int LIMIT = 2048;

    static final Map<StreamKind, String> VALID = new EnumMap<>(StreamKind.class);

    static {
        VALID.put(
                StreamKind.METRICS,
                "{\"ts\":1708072200000,\"service\":\"database\",\"metric\":\"cpu_utilization\","
                        + "\"value\":97.5,\"labels\":{\"host\":\"db-1\"}}");
        VALID.put(
                StreamKind.AUTH,
                "{\"ts\":\"2024-02-16T08:30:00Z\",\"service\":\"token-verifier\",\"type\":\"REFRESH\","
                    + "\"clientId\":\"web\",\"clientVersion\":\"2.3\",\"userId\":\"u1\","
                    + "\"sessionId\":\"s1\",\"ip\":\"10.0.0.1\",\"caller\":\"gpt\","
                    + "\"outcome\":\"ok\",\"error\":null}");
        VALID.put(
                StreamKind.LOGS,
                "{\"ts\":\"2024-02-16T09:30:00.250+01:00\",\"service\":\"token-verifier\","
                        + "\"level\":\"warn\",\"message\":\"connected to db-2\","
                        + "\"attributes\":{\"dbHost\":\"db-2\"}}");
        VALID.put(
                StreamKind.CHANGES,
                "{\"ts\":1708073100000,\"service\":\"web-app\",\"kind\":\"rollback\","
                        + "\"version\":\"2024.02.15\",\"description\":\"undo release\"}");
    }

    /** Fragments that push a mutated record towards the decoder's edge cases. */
    private static final String[] FRAGMENTS = {
        "null",
        "NaN",
        "\"NaN\"",
        "1e400",
        "-0",
        "99999999999999999999999",
        "1708072200",
        "\"2024-02-16T08:30:00\"",
        "[]",
        "{}",
        "[[[[[[[[",
        "}}}}",
        "\"\\ud800\"",
        "\"\\u0000\"",
        "true",
        "\"\"",
        ",",
        ":",
        "\"ts\"",
        "\"service\"",
        "\"value\"",
        "\"type\"",
        "\"kind\"",
        "\"labels\"",
        "\"attributes\"",
        "\"\u00e9\u2603\"",
        "1.5",
        "\"97.5\""
    };

    @Test
    void validRecordsDecodeToEvents() {
        for (StreamKind kind : StreamKind.values()) {
            Decoded d = decoder(kind).decode("t", 0, 0, utf8(VALID.get(kind)));
            assertThat(d.isRejected()).as(kind + ": " + d.rejected()).isFalse();
        }
    }

    @Test
    void randomBytesNeverThrowAndYieldExactlyOneOutcome() {
        Random random = new Random(SEED);
        for (int i = 0; i < 3000; i++) {
            byte[] value = new byte[random.nextInt(LIMIT + 64)];
            random.nextBytes(value);
            // Some inputs start like JSON so the parser gets past the first byte.
            if (value.length > 0 && random.nextBoolean()) {
                value[0] = '{';
            }
            assertContract(StreamKind.values()[i % 4], value);
        }
    }

    @Test
    void mutatedValidRecordsNeverThrowAndYieldExactlyOneOutcome() {
        Random random = new Random(SEED + 1);
        int events = 0;
        int rejections = 0;
        for (int i = 0; i < 4000; i++) {
            StreamKind kind = StreamKind.values()[i % 4];
            byte[] value = mutate(random, VALID.get(kind));
            if (assertContract(kind, value).isRejected()) {
                rejections++;
            } else {
                events++;
            }
        }
        // The mutations are mild enough that both outcomes occur; otherwise the test proves little.
        assertThat(events).isPositive();
        assertThat(rejections).isPositive();
    }

    private static Decoded assertContract(StreamKind kind, byte[] value) {
        NativeJsonDecoder decoder = decoder(kind);
        List<Decoded> result = new ArrayList<>(1);
        assertThatCode(() -> result.add(decoder.decode("fuzz", 1, 2L, value)))
                .as("decode must not throw")
                .doesNotThrowAnyException();
        Decoded d = result.get(0);
        assertThat(d).isNotNull();
        int outcomes =
                (d.metric() != null ? 1 : 0)
                        + (d.auth() != null ? 1 : 0)
                        + (d.log() != null ? 1 : 0)
                        + (d.change() != null ? 1 : 0)
                        + (d.rejected() != null ? 1 : 0);
        assertThat(outcomes).as("exactly one of event or rejection").isEqualTo(1);
        if (d.isRejected()) {
            assertThat(d.rejected().reason()).isNotNull();
            assertThat(d.rejected().detail()).isNotBlank();
            assertThat(d.rejected().offset()).isEqualTo(2L);
            assertThat(d.rejected().rawEncoding()).isIn("utf-8", "base64");
        }
        return d;
    }

    static byte[] mutate(Random random, String valid) {
        StringBuilder s = new StringBuilder(valid);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(s.length() + 1);
            switch (random.nextInt(5)) {
                case 0: // delete a span
                    s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(8)));
                    break;
                case 1: // insert a fragment
                    s.insert(at, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                    break;
                case 2: // replace one character
                    if (at < s.length()) {
                        s.setCharAt(at, (char) (32 + random.nextInt(95)));
                    }
                    break;
                case 3: // replace a value after a colon with a fragment
                    int colon = s.indexOf(":", at);
                    if (colon >= 0) {
                        int end = colon + 1;
                        while (end < s.length() && ",}".indexOf(s.charAt(end)) < 0) {
                            end++;
                        }
                        s.replace(colon + 1, end, FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                    }
                    break;
                default: // flip a bit in the encoded bytes later
                    break;
            }
        }
        byte[] bytes = utf8(s.toString());
        if (random.nextInt(10) == 0 && bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    private static NativeJsonDecoder decoder(StreamKind kind) {
        return NativeJsonDecoder.forKind(kind, LIMIT);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
