package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

public class KubernetesEventsDecoderTest {

    /** A core/v1 Event as `kubectl get events -o json` and event exporters write it. */
    public static final String BACK_OFF =
            "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":"
                + "\"web-app-7d4b9c8f6-x2x9z.17b2c3d4e5f6\",\"namespace\":\"prod\","
                + "\"creationTimestamp\":\"2024-02-16T08:30:00Z\"},\"involvedObject\":{\"kind\":"
                + "\"Pod\",\"namespace\":\"prod\",\"name\":\"web-app-7d4b9c8f6-x2x9z\",\"apiVersion\":"
                + "\"v1\",\"fieldPath\":\"spec.containers{web}\"},\"reason\":\"BackOff\",\"message\":\"Back-off"
                + " restarting failed container web in pod web-app-7d4b9c8f6-x2x9z_prod\","
                + "\"source\":{\"component\":\"kubelet\",\"host\":\"node-1\"},\"firstTimestamp\":"
                + "\"2024-02-16T08:30:00Z\",\"lastTimestamp\":\"2024-02-16T08:33:00Z\",\"count\":5,"
                + "\"type\":\"Warning\"}";

    /** A rollout as events.k8s.io/v1 writes it. */
    public static final String SCALED =
            "{\"apiVersion\":\"events.k8s.io/v1\",\"kind\":\"Event\",\"metadata\":{\"name\":"
                + "\"web-app.17b2\",\"namespace\":\"prod\"},\"eventTime\":"
                + "\"2024-02-16T08:45:00.000000Z\",\"reportingController\":"
                + "\"deployment-controller\",\"reason\":\"ScalingReplicaSet\",\"regarding\":{"
                + "\"kind\":\"Deployment\",\"namespace\":\"prod\",\"name\":\"web-app\"},\"note\":\"Scaled"
                + " up replica set web-app-5f9c7d8b6 to 3\",\"type\":\"Normal\"}";

    /** What the Collector's k8s_events receiver makes of an OOM kill, in OTLP/JSON. */
    public static final String OTLP =
            "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"k8s.object.kind\","
                + "\"value\":{\"stringValue\":\"Pod\"}},{\"key\":\"k8s.object.name\",\"value\":"
                + "{\"stringValue\":\"db-0\"}},{\"key\":\"k8s.node.name\",\"value\":{\"stringValue\":"
                + "\"node-2\"}}]},\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":"
                + "\"1708072380000000000\",\"severityText\":\"Warning\",\"severityNumber\":13,\"body\":{\"stringValue\":\"Container"
                + " db was OOM killed\"},\"attributes\":[{"
                + "\"key\":\"k8s.event.reason\",\"value\":{\"stringValue\":\"OOMKilled\"}},{\"key\":"
                + "\"k8s.namespace.name\",\"value\":{\"stringValue\":\"prod\"}}]}]}]}]}";

    private final KubernetesEventsDecoder logs =
            new KubernetesEventsDecoder(StreamKind.LOGS, 65536);
    private final KubernetesEventsDecoder changes =
            new KubernetesEventsDecoder(StreamKind.CHANGES, 65536);

    private static Decoded one(KubernetesEventsDecoder d, String s) {
        List<Decoded> out = d.decodeAll("k", 0, 0, s.getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aWarningIsAWarnLogOfThePodsWorkload() {
        LogEvent e = one(logs, BACK_OFF).log();

        assertThat(e.ts()).isEqualTo(1708072380000L);
        assertThat(e.service()).isEqualTo("web-app");
        assertThat(e.level()).isEqualTo("WARN");
        assertThat(e.message()).startsWith("BackOff: Back-off restarting");
        assertThat(e.attributes())
                .containsEntry("k8s.event.reason", "BackOff")
                .containsEntry("k8s.node.name", "node-1");
    }

    @Test
    void readsTheCollectorsOtlpForm() {
        LogEvent e = one(logs, OTLP).log();

        assertThat(e.service()).isEqualTo("db");
        assertThat(e.level()).isEqualTo("WARN");
        assertThat(e.message()).isEqualTo("OOMKilled: Container db was OOM killed");
    }

    @Test
    void onlyARolloutIsAChange() {
        assertThat(one(changes, SCALED).change())
                .satisfies(
                        c -> {
                            assertThat(c.service()).isEqualTo("web-app");
                            assertThat(c.kind()).isEqualTo(ChangeKind.DEPLOY);
                            assertThat(c.ts()).isEqualTo(1708073100000L);
                        });
        assertThat(one(changes, BACK_OFF).rejected().reason()).isEqualTo(RejectReason.NOT_ANALYSED);
    }

    @Test
    void namesTheWorkloadOfGeneratedObjects() throws Exception {
        assertThat(KubernetesEventsDecoder.service("Pod", "web-app-7d4b9c8f6-x2x9z"))
                .isEqualTo("web-app");
        assertThat(KubernetesEventsDecoder.service("Pod", "db-0")).isEqualTo("db");
        assertThat(KubernetesEventsDecoder.service("ReplicaSet", "web-app-7d4b9c8f6"))
                .isEqualTo("web-app");
        assertThat(KubernetesEventsDecoder.service("Deployment", "web-app")).isEqualTo("web-app");
    }

    @Test
    void mutatedEventsNeverThrowAndAlwaysGiveAReason() {
        List<byte[]> examples =
                List.of(
                        BACK_OFF.getBytes(StandardCharsets.UTF_8),
                        SCALED.getBytes(StandardCharsets.UTF_8),
                        OTLP.getBytes(StandardCharsets.UTF_8));
        DecoderFuzz.Result l = DecoderFuzz.run(logs, examples, 71L, 3000);
        DecoderFuzz.Result c = DecoderFuzz.run(changes, examples, 72L, 2000);
        DecoderFuzz.assertRejectsGarbage(logs, 73L);

        assertThat(l.events()).isPositive();
        assertThat(l.rejections()).isPositive();
        assertThat(c.events()).isPositive();
    }

    /** The naming rules as regular expressions, as the decoder once applied them. */
    private static String serviceByRegex(String kind, String name) {
        String n = name;
        switch (kind.toLowerCase(java.util.Locale.ROOT)) {
            case "pod" -> {
                if (Pattern.compile("-[a-z0-9]{6,10}-[a-z0-9]{5}$").matcher(n).find()) {
                    n = n.replaceFirst("-[a-z0-9]{6,10}-[a-z0-9]{5}$", "");
                } else if (Pattern.compile("-\\d+$").matcher(n).find()) {
                    n = n.replaceFirst("-\\d+$", "");
                } else {
                    n = n.replaceFirst("-[a-z0-9]{5,10}$", "");
                }
            }
            case "replicaset" -> n = n.replaceFirst("-[a-z0-9]{5,10}$", "");
            default -> {}
        }
        return n.isBlank() ? name : n;
    }

    @Test
    void workloadNamesFollowTheNamingRulesOnGeneratedNames() throws Exception {
        assertThat(KubernetesEventsDecoder.service("Pod", "web-app-7d4b9c8f6-x2x9z"))
                .isEqualTo("web-app");
        assertThat(KubernetesEventsDecoder.service("pod", "db-0")).isEqualTo("db");
        assertThat(KubernetesEventsDecoder.service("Pod", "agent-x2x9z")).isEqualTo("agent");
        assertThat(KubernetesEventsDecoder.service("ReplicaSet", "web-5f9c7d8b6")).isEqualTo("web");
        assertThat(KubernetesEventsDecoder.service("Deployment", "web-5f9c7d8b6"))
                .isEqualTo("web-5f9c7d8b6");
        String[] kinds = {
            "Pod",
            "pod",
            "POD",
            "ReplicaSet",
            "replicaset",
            "Deployment",
            "StatefulSet",
            "Node",
            "Replica\u017fet",
            "\u0130pod",
            "P\u00f6d",
            ""
        };
        String alphabet = "abcz0189-AZ_.\u00e9";
        java.util.Random random = new java.util.Random(20261203L);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder name = new StringBuilder();
            int parts = 1 + random.nextInt(4);
            for (int p = 0; p < parts; p++) {
                if (p > 0) name.append('-');
                int length = random.nextInt(12);
                for (int c = 0; c < length; c++) {
                    String from = random.nextInt(4) == 0 ? alphabet : "abcdefxyz0123789";
                    name.append(from.charAt(random.nextInt(from.length())));
                }
            }
            String n = name.toString();
            if (n.isBlank()) continue;
            String kind = kinds[random.nextInt(kinds.length)];
            assertThat(KubernetesEventsDecoder.service(kind, n))
                    .as(kind + " " + n)
                    .isEqualTo(serviceByRegex(kind, n));
        }
    }
}
