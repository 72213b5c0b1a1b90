package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path of the Alertmanager decoder against its tree path: through the decoder,
 * every webhook's outcomes (signal reports, the dead letter of skipped alerts, reasons and details)
 * must be the tree path's, whether the fast path read it or left it to the tree.
 */
class AlertmanagerReaderTest {

    private static final long SEED = 20261204L;

    /** A group of one firing alert as some senders write it: no fingerprint, no annotations. */
    static final String BARE =
            "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\","
                    + "\"labels\":{\"alertname\":\"HighLatency\",\"job\":\"api\"},"
                    + "\"startsAt\":\"2024-02-16T08:31:00+01:00\"}]}";

    /** Three alerts of one group, hours apart, one of them resolved. */
    static final String THREE =
            "{\"receiver\":\"r\",\"status\":\"firing\",\"alerts\":["
                    + "{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\",\"service\":\"s\","
                    + "\"severity\":\"warning\"},\"annotations\":{\"description\":\"d\"},"
                    + "\"startsAt\":\"2024-02-16T02:00:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
                    + "\"generatorURL\":\"http://p\",\"fingerprint\":\"aa01\"},"
                    + "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"B\",\"service\":\"s\"},"
                    + "\"annotations\":{\"summary\":\"s\"},\"startsAt\":\"2024-02-16T05:00:00Z\","
                    + "\"endsAt\":\"2024-02-16T06:00:00.5Z\",\"fingerprint\":\"bb02\"},"
                    + "{\"status\":\"firing\",\"labels\":{\"alertname\":\"C\",\"service\":\"t\","
                    + "\"severity\":\"page\"},\"annotations\":{},"
                    + "\"startsAt\":\"2024-02-16T08:00:00Z\",\"fingerprint\":\"cc03\"}],"
                    + "\"groupLabels\":{},\"commonLabels\":{},\"version\":\"4\","
                    + "\"truncatedAlerts\":0}";

    static final List<String> EXAMPLES = List.of(AlertmanagerDecoderTest.GROUP, BARE, THREE);

    private static AlertmanagerDecoder decoder(boolean fastPath) {
        return new AlertmanagerDecoder(
                new ServiceNames(List.of("service", "job"), null), 65536, fastPath);
    }

    @Test
    void theExampleWebhooksTakeTheFastPath() {
        for (String json : EXAMPLES) {
            assertThat(AlertmanagerReader.read(utf8(json))).as(json).isNotNull();
            assertThat(decoder(true).decodeAll("a", 0, 0, utf8(json)))
                    .noneMatch(Decoded::isRejected)
                    .isEqualTo(decoder(false).decodeAll("a", 0, 0, utf8(json)));
        }
    }

    @Test
    void mutatedWebhooksGiveTheTreesOutcomes() {
        Random random = new Random(SEED);
        AlertmanagerDecoder fastDecoder = decoder(true);
        AlertmanagerDecoder treeDecoder = decoder(false);
        int fast = 0;
        int treeOnly = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] value =
                    FastPathMutations.mutate(random, EXAMPLES.get(random.nextInt(EXAMPLES.size())));
            if (AlertmanagerReader.read(value) != null) {
                fast++;
            } else {
                treeOnly++;
            }
            assertThat(fastDecoder.decodeAll("a", 0, i, value))
                    .as(new String(value, StandardCharsets.UTF_8))
                    .isEqualTo(treeDecoder.decodeAll("a", 0, i, value));
        }
        assertThat(fast).isGreaterThan(2000);
        assertThat(treeOnly).isGreaterThan(2000);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
