package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberInput;
import io.incidentanalyzer.ingest.DeadLetters;
import io.incidentanalyzer.ingest.EventTimes;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast paths of the producer-format decoders against their tree paths: on valid
 * records in many shapes and on thousands of mutants of them, a decoder's outcomes (events, and
 * rejections with their reasons and details) must be exactly what its tree path alone gives, and
 * the fast path must take the common records.
 */
class StreamingFastPathTest {

    private static final long SEED = 20261203L;
    private static final int MUTANTS = 20_000;

    /** A decoder's fast path: its events, or null when the tree path must decide. */
    private interface FastPath {
        Object read(byte[] value) throws Reject;
    }

    /** A decoder's tree path. */
    private interface TreePath {
        void read(byte[] value, Events out) throws Reject;
    }

    /** A decoder, its two paths and the records its mutants start from. */
    private record Format(
            String name,
            FormatDecoder decoder,
            FastPath fast,
            TreePath tree,
            List<String> examples,
            List<String> rare) {

        /** The examples and the rare shapes, which the tree path reads alone: all mutated. */
        List<String> all() {
            List<String> all = new ArrayList<>(examples);
            all.addAll(rare);
            return all;
        }
    }

    private static final PrometheusAdapterDecoder PROMETHEUS =
            new PrometheusAdapterDecoder(new ServiceNames(List.of("service", "job"), null), 4096);
    private static final PrometheusAdapterDecoder PROMETHEUS_FIXED =
            new PrometheusAdapterDecoder(new ServiceNames(List.of("app"), "node"), 4096);
    private static final TelegrafJsonDecoder TELEGRAF =
            new TelegrafJsonDecoder(
                    new ServiceNames(List.of("service"), null), TimeUnit.SECONDS, 65536);
    private static final TelegrafJsonDecoder TELEGRAF_MS =
            new TelegrafJsonDecoder(
                    new ServiceNames(List.of("service", "host"), "telegraf"),
                    TimeUnit.MILLISECONDS,
                    65536);
    private static final KeycloakJsonDecoder KEYCLOAK = new KeycloakJsonDecoder("keycloak", 65536);
    private static final CdEventsDecoder CDEVENTS = new CdEventsDecoder(65536);

    private static final String PROM = PrometheusAdapterDecoderTest.SAMPLE;
    private static final List<String> PROMETHEUS_EXAMPLES =
            List.of(
                    PROM,
                    PROM.replace("\"name\":\"process_cpu_utilization\",", ""),
                    PROM.replace("\"name\":\"process_cpu_utilization\"", "\"name\":null"),
                    PROM.replace("\"0.975\"", "0.975"),
                    PROM.replace("\"0.975\"", "\"-12\"").replace("08:33:00Z", "08:33:00.5+01:00"),
                    PROM.replace("\"0.975\"", "\"1.5e3\"")
                            .replace("\"2024-02-16T08:33:00Z\"", "1708072380123"),
                    PROM.replace("\"job\":\"database\"", "\"service\":\"web\",\"n\":null"),
                    PROM.replace("\"job\":\"database\"", "\"zone\":\"a\""),
                    "{\"name\":\"up\",\"labels\":{\"job\":\"a\"},\"value\":1,"
                            + "\"timestamp\":\"2024-02-16t08:33:00.123456z\",\"extra\":[1,{}]}");

    private static final List<String> PROMETHEUS_RARE =
            List.of(
                    PROM.replace("\"0.975\"", "\" 7 \""),
                    PROM.replace("08:33:00Z", "08:33:00+0100"),
                    PROM.replace("\"0.975\"", "\"NaN\""),
                    PROM.replace("\"instance\":\"db-1:9100\"", "\"instance\":9100"),
                    PROM.replace("\"timestamp\"", "\"value\":\"1\",\"timestamp\""));

    private static final String TEL = TelegrafJsonDecoderTest.SINGLE;
    private static final List<String> TELEGRAF_EXAMPLES =
            List.of(
                    TEL,
                    TelegrafJsonDecoderTest.BATCH,
                    TEL.replace("1708072380", "\"2024-02-16T08:33:00Z\""),
                    TEL.replace("\"state\":\"busy\"", "\"state\":null,\"n\":{\"a\":[1]},\"x\":-0"),
                    TEL.replace(
                            ",\"tags\":{\"cpu\":\"cpu-total\",\"host\":\"db-1\","
                                    + "\"service\":\"database\"}",
                            ""),
                    TEL.replace("\"usage_user\":97.5,\"usage_idle\":2.5,\"saturated\":true,", ""),
                    "{\"metrics\":[" + TEL + "],\"extra\":\"x\"}");

    private static final List<String> TELEGRAF_RARE =
            List.of(
                    "{\"metrics\":[]}",
                    "{\"metrics\":[" + TEL + ",7]}",
                    "{\"metrics\":[" + TEL.replace("\"usage_user\":97.5,", "") + ",{}]}",
                    TEL.replace("\"saturated\":true", "\"saturated\":1e999"),
                    TEL.replace("\"state\":\"busy\"", "\"usage_user\":1"),
                    "{\"name\":\"m\",\"timestamp\":1708072380,\"fields\":{\"v\":1e2},"
                            + "\"tags\":{\"service\":\"h\"},\"metrics\":null}");

    private static final String KC = KeycloakDecoderTest.JSON_EVENT;
    private static final List<String> KEYCLOAK_EXAMPLES =
            List.of(
                    KC,
                    KC.replace("REFRESH_TOKEN_ERROR", "LOGIN"),
                    KC.replace("REFRESH_TOKEN_ERROR", "LOGIN")
                            .replace("\"grant_type\"", "\"response_type\":\"code\",\"x\""),
                    KC.replace("REFRESH_TOKEN_ERROR", "UPDATE_PROFILE"),
                    KC.replace("\"error\":\"invalid_token\",", "\"error\":null,"),
                    KC.replace("\"clientId\":\"mobile-app\",", "")
                            .replace("\"grant_type\"", "\"clientId\":\"from-details\",\"g\""),
                    KC.replace("\"details\":{", "\"details\":{\"n\":5,\"o\":{},\"error\":\"\","),
                    KC.replace("\"REFRESH_TOKEN_ERROR\"", "\" refresh_token \""),
                    "{\"type\":\"CODE_TO_TOKEN\",\"time\":1708072380123,\"details\":null}");

    private static final List<String> KEYCLOAK_RARE =
            List.of(
                    "{\"time\":1708072380123,\"operationType\":\"UPDATE\"}",
                    KC.replace("\"grant_type\"", "\"clientId\":7,\"g\""),
                    KC.replace("\"REFRESH_TOKEN_ERROR\"", "5"),
                    KC.replace("1708072380123", "\"1708072380123\""),
                    KC.replace("1708072380123", "1708072380"));

    private static final String CD = CdEventsDecoderTest.DEPLOYED;
    private static final List<String> CDEVENTS_EXAMPLES =
            List.of(
                    CD,
                    CdEventsDecoderTest.CLOUD_EVENT,
                    CD.replace("service.deployed", "environment.modified")
                            .replace("\"service/web-app\"", "\"environments/staging\""),
                    CD.replace("service.deployed", "service.upgraded.0.1.0-draft"),
                    CD.replace("@sha256%3A0b31b1c02ff458ad", "@1.2.3?arch=amd64#x"),
                    // Spec 0.4+: the subject's fields beside its id, no content.
                    "{\"context\":{\"type\":\"dev.cdevents.service.rolledback.0.3.0\","
                            + "\"timestamp\":\"2024-02-16T08:45:00.5-02:00\",\"id\":\"1\"},"
                            + "\"subject\":{\"id\":\"web-app\",\"environment\":{\"id\":\"prod\","
                            + "\"source\":\"x\"},\"artifactId\":\"pkg:generic/w@2%2B1\"}}",
                    // A CloudEvent whose data's context leaves type and time to the envelope.
                    "{\"type\":\"dev.cdevents.service.removed.0.2.0\",\"time\":"
                            + "\"2024-02-16T08:50:00Z\",\"data\":{\"context\":{\"id\":\"x\"},"
                            + "\"subject\":{\"id\":\"service/api/\",\"environment\":\"prod\"}}}");

    private static final List<String> CDEVENTS_RARE =
            List.of(
                    CD.replace("service.deployed", "pipelinerun.finished"),
                    CD.replace("service.deployed", "service.published"),
                    CD.replace("dev.cdevents.service.deployed.0.2.0", "com.example.x"),
                    CD.replace("08:45:00Z", "08:45:00+0100"),
                    CD.replace("\"service/web-app\"", "\"/\""),
                    CD.replace("\"content\":{", "\"content\":{\"artifactId\":1,"),
                    CdEventsDecoderTest.CLOUD_EVENT.replace("\"data\":", "\"data\":[],\"x\":"));

    private static List<Format> formats() {
        return List.of(
                new Format(
                        "prometheus",
                        PROMETHEUS,
                        PROMETHEUS::readStreaming,
                        PROMETHEUS::readTree,
                        PROMETHEUS_EXAMPLES,
                        PROMETHEUS_RARE),
                new Format(
                        "prometheus, fixed service",
                        PROMETHEUS_FIXED,
                        PROMETHEUS_FIXED::readStreaming,
                        PROMETHEUS_FIXED::readTree,
                        PROMETHEUS_EXAMPLES,
                        PROMETHEUS_RARE),
                new Format(
                        "telegraf",
                        TELEGRAF,
                        v -> telegraf(TELEGRAF, v),
                        TELEGRAF::readTree,
                        TELEGRAF_EXAMPLES,
                        TELEGRAF_RARE),
                new Format(
                        "telegraf, ms",
                        TELEGRAF_MS,
                        v -> telegraf(TELEGRAF_MS, v),
                        TELEGRAF_MS::readTree,
                        millis(TELEGRAF_EXAMPLES),
                        millis(TELEGRAF_RARE)),
                new Format(
                        "keycloak",
                        KEYCLOAK,
                        KEYCLOAK::readStreaming,
                        KEYCLOAK::readTree,
                        KEYCLOAK_EXAMPLES,
                        KEYCLOAK_RARE),
                new Format(
                        "cdevents",
                        CDEVENTS,
                        CDEVENTS::readStreaming,
                        CDEVENTS::readTree,
                        CDEVENTS_EXAMPLES,
                        CDEVENTS_RARE));
    }

    private static Object telegraf(TelegrafJsonDecoder decoder, byte[] value) throws Reject {
        Events out = new Events(StreamKind.METRICS, "metrics", "t", 0, 0, value);
        return decoder.readStreaming(value, out) ? out.finish() : null;
    }

    private static List<String> millis(List<String> records) {
        return records.stream().map(s -> s.replaceAll("(17080723[0-9]{2})\\b", "$1250")).toList();
    }

    @Test
    void theFastPathDecidesTheExamplesAndLeavesRareShapesToTheTree() {
        for (Format f : formats()) {
            for (String example : f.all()) {
                byte[] value = utf8(example);
                assertThat(f.decoder().decodeAll("t", 0, 0, value))
                        .as(f.name() + ": " + example)
                        .isEqualTo(treeOutcome(f, value, 0));
                Object fast = fast(f, value);
                if (f.examples().contains(example)) {
                    assertThat(fast).as(f.name() + ", fast path: " + example).isNotNull();
                } else {
                    assertThat(fast).as(f.name() + ", tree only: " + example).isNull();
                }
            }
        }
    }

    @Test
    void mutatedRecordsDecodeExactlyAsTheTreeDecodesThem() {
        Random random = new Random(SEED);
        for (Format f : formats()) {
            int accepted = 0;
            int fastRejections = 0;
            int treeOnly = 0;
            for (int i = 0; i < MUTANTS; i++) {
                List<String> all = f.all();
                String example = all.get(random.nextInt(all.size()));
                byte[] value = mutate(random, utf8(example));
                List<Decoded> tree = treeOutcome(f, value, i);
                Object fast = fast(f, value);
                if (fast instanceof Reject) {
                    fastRejections++;
                } else if (fast != null) {
                    accepted++;
                } else {
                    treeOnly++;
                }
                assertThat(f.decoder().decodeAll("t", 0, i, value))
                        .as(f.name() + ": " + new String(value, StandardCharsets.UTF_8))
                        .isEqualTo(tree);
            }
            // The mutants reach both paths; otherwise the comparison proves little.
            assertThat(accepted).as(f.name() + " accepted by the fast path").isGreaterThan(2000);
            assertThat(treeOnly).as(f.name() + " left to the tree").isGreaterThan(2000);
            assertThat(fastRejections + accepted + treeOnly).isEqualTo(MUTANTS);
        }
    }

    /**
     * The mutants: {@link DecoderFuzz#mutate}, or a field written twice (the second time with a
     * value of another type), a field's name changed, or the whitespace a pretty printer adds.
     */
    private static byte[] mutate(Random random, byte[] example) {
        String s = new String(example, StandardCharsets.ISO_8859_1);
        switch (random.nextInt(6)) {
            case 0 -> {
                int key = keyAt(random, s);
                if (key >= 0) {
                    int colon = s.indexOf(':', key);
                    String name = s.substring(key, colon + 1);
                    String value = VALUES[random.nextInt(VALUES.length)];
                    s =
                            random.nextBoolean()
                                    ? s.substring(0, key) + name + value + "," + s.substring(key)
                                    : insertAfterValue(s, colon, "," + name + value);
                }
            }
            case 1 -> {
                int key = keyAt(random, s);
                if (key >= 0) {
                    s = s.substring(0, key + 1) + "x" + s.substring(key + 1);
                }
            }
            case 2 -> s = s.replace(",\"", ", \"").replace("\":", "\" : ");
            default -> {
                return DecoderFuzz.mutate(random, example);
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final String[] VALUES = {
        "null", "\"x\"", "\"\"", "1", "1.5", "true", "{}", "[]", "{\"id\":\"y\"}", "\"0.5\""
    };

    /** The index of a random key's opening quote, or -1. */
    private static int keyAt(Random random, String s) {
        int from = random.nextInt(Math.max(1, s.length()));
        int colon = s.indexOf("\":", from);
        if (colon < 0) {
            colon = s.indexOf("\":");
        }
        if (colon < 0) {
            return -1;
        }
        int open = s.lastIndexOf('"', colon - 1);
        return open;
    }

    /** {@code s} with {@code text} after the value that follows {@code colon}: a scalar's end. */
    private static String insertAfterValue(String s, int colon, String text) {
        int end = colon + 1;
        if (end < s.length() && s.charAt(end) == '"') {
            end = s.indexOf('"', end + 1) + 1;
            if (end == 0) {
                return s;
            }
        } else {
            while (end < s.length() && ",}]{[".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            if (end < s.length() && (s.charAt(end) == '{' || s.charAt(end) == '[')) {
                return s;
            }
        }
        return s.substring(0, end) + text + s.substring(end);
    }

    /** What the fast path says: its result, a Reject it throws, or null for the tree. */
    private static Object fast(Format f, byte[] value) {
        try {
            return f.fast().read(value);
        } catch (Reject r) {
            return r;
        }
    }

    /** The outcomes of the tree path alone, as {@link FormatDecoder#decodeAll} returns them. */
    private static List<Decoded> treeOutcome(Format f, byte[] value, long o) {
        StreamKind kind = f.decoder().kind;
        Events out = new Events(kind, kind.name().toLowerCase(Locale.ROOT), "t", 0, o, value);
        try {
            f.tree().read(value, out);
            return new ArrayList<>(out.finish());
        } catch (Reject r) {
            return List.of(out.rejected(r.reason(), r.getMessage()));
        } catch (RuntimeException e) {
            return List.of(Decoded.rejected(DeadLetters.decoderError(e, "t", 0, o, value)));
        }
    }

    @Test
    void theDecimalCheckIsTheRegexAndParsesToTheSameDoubles() {
        Random random = new Random(SEED + 1);
        String alphabet = "0123456789+-.eE 5x";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(12);
            for (int j = 0; j < n; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = b.toString();
            char[] c = ("##" + s + "#").toCharArray();
            boolean regex = EventTimes.DECIMAL.matcher(s).matches();
            assertThat(StreamingFields.decimal(c, 2, s.length())).as(s).isEqualTo(regex);
            if (regex) {
                assertThat(NumberInput.parseDouble(c, 2, s.length(), true))
                        .as(s)
                        .isEqualTo(Double.parseDouble(s));
            }
        }
    }

    @Test
    void theCdEventsTypeCheckIsTheRegex() {
        Pattern type =
                Pattern.compile(
                        "dev\\.cdevents\\.([a-zA-Z]+)\\.([a-zA-Z]+)(?:\\.[0-9A-Za-z.+-]+)?");
        Random random = new Random(SEED + 2);
        String[] parts = {
            "dev.cdevents.", "service", ".", "deployed", "0", "a", "-", "+", "_", "."
        };
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder(random.nextInt(8) > 0 ? "dev.cdevents." : "");
            int n = random.nextInt(7);
            for (int j = 0; j < n; j++) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            String s = b.toString();
            if (random.nextInt(10) == 0) {
                s = s.toUpperCase(Locale.ROOT);
            }
            var m = type.matcher(s);
            int end = CdEventsDecoder.typeKindEnd(s);
            if (m.matches()) {
                assertThat(end).as(s).isEqualTo(m.end(1));
            } else {
                assertThat(end).as(s).isEqualTo(-1);
            }
        }
    }

    @Test
    void purlVersionsAreWhatUrlDecoderGives() {
        Random random = new Random(SEED + 3);
        String[] parts = {
            "pkg:", "oci/", "a", "@", "1.2", "%3A", "%3a", "%", "%e9", "%C3%A9", "+", "?", "#",
            "%2", "%zz", "%+1", "é", "%7F", "%80"
        };
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder(random.nextInt(4) > 0 ? "pkg:x/y@" : "");
            int n = random.nextInt(6);
            for (int j = 0; j < n; j++) {
                b.append(parts[random.nextInt(parts.length)]);
            }
            String artifact = b.toString();
            assertThat(CdEventsDecoder.version(artifact))
                    .as(artifact)
                    .isEqualTo(urlDecoded(artifact));
        }
    }

    /** The version as URLDecoder reads it: the reference for {@link CdEventsDecoder#version}. */
    private static String urlDecoded(String artifact) {
        int at = artifact.lastIndexOf('@');
        if (!artifact.startsWith("pkg:") || at < 0) {
            return artifact;
        }
        String v = artifact.substring(at + 1).split("[?#]", 2)[0];
        try {
            return URLDecoder.decode(v, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return v;
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
