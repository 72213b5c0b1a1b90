package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.KubernetesEventsDecoder.K8sEvent;
import io.incidentanalyzer.model.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path of the Kubernetes events decoder against its tree path: whatever the fast
 * path accepts must be the event the tree path reads from the same bytes, and through the decoder
 * every record's outcomes (events, rejections, reasons and details) must be the tree path's.
 */
class KubernetesEventsReaderTest {

    private static final long SEED = 20261203L;

    /** A StatefulSet pod killed, with the node only as reportingInstance and one time. */
    static final String OOM_KILLED =
            "{\"kind\":\"Event\",\"metadata\":{\"name\":\"db-0.1\",\"namespace\":\"prod\"},"
                    + "\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"db-0\"},"
                    + "\"reason\":\"OOMKilling\",\"message\":\"Memory cgroup out of memory\","
                    + "\"source\":{\"component\":\"kernel-monitor\"},"
                    + "\"firstTimestamp\":\"2024-02-16T08:31:07Z\",\"type\":\"Warning\","
                    + "\"reportingInstance\":\"node-3\"}";

    /** A repeated event as events.k8s.io/v1 writes it: its series' last observation. */
    static final String SERIES =
            "{\"apiVersion\":\"events.k8s.io/v1\",\"metadata\":{\"name\":\"web.2\","
                    + "\"creationTimestamp\":\"2024-02-16T08:00:00Z\"},\"reason\":\"Unhealthy\","
                    + "\"regarding\":{\"kind\":\"Pod\",\"name\":\"web-app-5f9c7d8b6-q8w7e\","
                    + "\"namespace\":\"prod\"},\"note\":\"Readiness probe failed\","
                    + "\"type\":\"Warning\",\"series\":{\"count\":7,"
                    + "\"lastObservedTime\":\"2024-02-16T08:35:10.000000Z\"}}";

    /** A core/v1 rollout known only by its creation time. */
    static final String CREATED =
            "{\"metadata\":{\"creationTimestamp\":\"2024-02-16T08:45:00+01:00\"},"
                    + "\"involvedObject\":{\"kind\":\"Deployment\",\"name\":\"web-app\"},"
                    + "\"reason\":\"ScalingReplicaSet\",\"message\":\"Scaled up\","
                    + "\"type\":\"Normal\",\"count\":1}";

    static final List<String> EXAMPLES =
            List.of(
                    KubernetesEventsDecoderTest.BACK_OFF,
                    KubernetesEventsDecoderTest.SCALED,
                    OOM_KILLED,
                    SERIES,
                    CREATED);

    @Test
    void theExampleEventsTakeTheFastPathAndEqualTheTree() {
        for (String json : EXAMPLES) {
            K8sEvent fast = KubernetesEventsReader.read(utf8(json));
            assertThat(fast).as(json).isNotNull().isEqualTo(tree(utf8(json)));
        }
        assertThat(KubernetesEventsReader.read(utf8(KubernetesEventsDecoderTest.OTLP))).isNull();
    }

    @Test
    void mutatedEventsAreAcceptedOnlyAsTheTreeReadsThem() {
        Random random = new Random(SEED);
        KubernetesEventsDecoder[] fastDecoders = {
            new KubernetesEventsDecoder(StreamKind.LOGS, 65536, true),
            new KubernetesEventsDecoder(StreamKind.CHANGES, 65536, true)
        };
        KubernetesEventsDecoder[] treeDecoders = {
            new KubernetesEventsDecoder(StreamKind.LOGS, 65536, false),
            new KubernetesEventsDecoder(StreamKind.CHANGES, 65536, false)
        };
        int fast = 0;
        int treeOnly = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] value =
                    FastPathMutations.mutate(random, EXAMPLES.get(random.nextInt(EXAMPLES.size())));
            String as = new String(value, StandardCharsets.UTF_8);
            K8sEvent e = KubernetesEventsReader.read(value);
            if (e != null) {
                fast++;
                assertThat(e).as(as).isEqualTo(tree(value));
            } else {
                treeOnly++;
            }
            for (int d = 0; d < 2; d++) {
                List<Decoded> viaFast = fastDecoders[d].decodeAll("k", 0, i, value);
                assertThat(viaFast).as(as).isEqualTo(treeDecoders[d].decodeAll("k", 0, i, value));
            }
        }
        assertThat(fast).isGreaterThan(2000);
        assertThat(treeOnly).isGreaterThan(2000);
    }

    /** The tree path's event, or its rejection as "REASON: detail" ("otlp" for that form). */
    private static Object tree(byte[] value) {
        try {
            JsonNode r = JsonInput.parseObject(JsonInput.mapper(), value);
            return r.has("resourceLogs") ? "otlp" : KubernetesEventsDecoder.fromObject(r);
        } catch (Reject r) {
            return r.reason() + ": " + r.getMessage();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
