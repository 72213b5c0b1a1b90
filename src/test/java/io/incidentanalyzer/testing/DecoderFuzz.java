package io.incidentanalyzer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.model.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutation fuzzing of a decoder from real examples of its format: truncation, byte flips, values
 * replaced with wrong types and huge numbers, spliced fragments. Every mutant must give at least
 * one outcome and never throw, and every rejection must carry a reason and a detail. A fixed seed
 * makes a failure reproduce.
 */
public final class DecoderFuzz {
    private DecoderFuzz() {}

    /** Replacements for a JSON value or a token: wrong types, edge values, huge numbers. */
    private static final String[] FRAGMENTS = {
        "null",
        "NaN",
        "\"NaN\"",
        "\"+Inf\"",
        "\"-Inf\"",
        "1e400",
        "-0",
        "99999999999999999999999",
        "\"99999999999999999999999\"",
        "-9223372036854775809",
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
        "\"x\"",
        "1.5",
        "\"1.5\"",
        "\"2024-02-16T08:30:00\"",
        "\"yesterday\"",
        "1708072200",
        "\"AAAA\"",
        "\"zz\""
    };

    /** Outcome counts of a fuzz run; a run that never rejects proves little. */
    public record Result(int events, int rejections) {}

    /** Fuzzes {@code decoder} with {@code rounds} mutants of the examples. */
    public static Result run(RecordDecoder decoder, List<byte[]> examples, long seed, int rounds) {
        Random random = new Random(seed);
        int events = 0;
        int rejections = 0;
        for (int i = 0; i < rounds; i++) {
            byte[] example = examples.get(i % examples.size());
            byte[] mutant = mutate(random, example);
            List<Decoded> out = decoder.decodeAll("fuzz", 0, i, mutant);
            assertThat(out).as("outcomes of mutant %d", i).isNotEmpty().doesNotContainNull();
            for (Decoded d : out) {
                if (d.isRejected()) {
                    rejections++;
                    assertThat(d.rejected().reason()).isNotNull();
                    assertThat(d.rejected().detail()).isNotBlank();
                } else {
                    events++;
                    assertThat(d.ts()).isNotEqualTo(Long.MIN_VALUE);
                }
            }
        }
        return new Result(events, rejections);
    }

    /** Random bytes and the empty and null record: always one rejection each. */
    public static void assertRejectsGarbage(RecordDecoder decoder, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            byte[] value = new byte[random.nextInt(300)];
            random.nextBytes(value);
            List<Decoded> out = decoder.decodeAll("fuzz", 0, i, value);
            assertThat(out).isNotEmpty().doesNotContainNull();
        }
        for (byte[] v : new byte[][] {null, new byte[0]}) {
            List<Decoded> out = decoder.decodeAll("fuzz", 0, 0, v);
            assertThat(out).singleElement().satisfies(d -> assertThat(d.isRejected()).isTrue());
        }
    }

    /**
     * One mutant of {@code example}: one to three steps of truncation, a bit flip, a value replaced
     * by a fragment, or a fragment spliced in. Also what {@code bench/faults --fuzz} produces to a
     * cluster's input topics ({@code bench.FuzzRecords}).
     */
    public static byte[] mutate(Random random, byte[] example) {
        byte[] bytes = example;
        int steps = 1 + random.nextInt(3);
        for (int s = 0; s < steps; s++) {
            switch (random.nextInt(5)) {
                case 0 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                case 1 -> {
                    bytes = bytes.clone();
                    if (bytes.length > 0) {
                        bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> bytes = replaceValue(random, bytes);
                case 3 -> bytes = splice(random, bytes);
                default -> bytes = replaceValue(random, bytes);
            }
        }
        return bytes;
    }

    /** Replaces the token after a random ':' with a fragment: a wrong type or an edge value. */
    private static byte[] replaceValue(Random random, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':', random.nextInt(Math.max(1, text.length())));
        if (colon < 0) {
            return splice(random, bytes);
        }
        int end = colon + 1;
        if (end < text.length() && text.charAt(end) == ' ') end++;
        if (end < text.length() && text.charAt(end) == '"') {
            int close = text.indexOf('"', end + 1);
            end = close < 0 ? text.length() : close + 1;
        } else {
            while (end < text.length() && ",}]".indexOf(text.charAt(end)) < 0) end++;
        }
        String fragment = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
        String out = text.substring(0, colon + 1) + fragment + text.substring(end);
        return out.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] splice(Random random, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = random.nextInt(text.length() + 1);
        String fragment = FRAGMENTS[random.nextInt(FRAGMENTS.length)];
        return (text.substring(0, at) + fragment + text.substring(at))
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}
