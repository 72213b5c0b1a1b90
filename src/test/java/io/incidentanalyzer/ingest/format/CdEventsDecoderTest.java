package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.ChangeKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

public class CdEventsDecoderTest {

    /** A CDEvent (spec 0.4) as the CDEvents SDKs write it. */
    public static final String DEPLOYED =
            "{\"context\":{\"specversion\":\"0.4.1\",\"id\":\"271069a8-fc18-44f1-b38f-9d70a1695819\","
                + "\"source\":\"/event/source/123\",\"type\":\"dev.cdevents.service.deployed.0.2.0\","
                + "\"timestamp\":\"2024-02-16T08:45:00Z\"},\"subject\":{\"id\":\"service/web-app\","
                + "\"source\":\"/event/source/123\",\"type\":\"service\",\"content\":{\"environment\":"
                + "{\"id\":\"production\"},\"artifactId\":\"pkg:oci/web-app@sha256%3A0b31b1c02ff458ad\"}}}";

    /** The same in a CloudEvent, structured mode. */
    public static final String CLOUD_EVENT =
            "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/ci/deploy\",\"type\":"
                    + "\"dev.cdevents.service.rolledback.0.2.0\",\"time\":\"2024-02-16T08:50:00Z\","
                    + "\"datacontenttype\":\"application/json\",\"data\":"
                    + DEPLOYED.replace("service.deployed", "service.rolledback")
                            .replace(
                                    "pkg:oci/web-app@sha256%3A0b31b1c02ff458ad",
                                    "pkg:generic/web-app@2024.02.15")
                    + "}";

    private final CdEventsDecoder decoder = new CdEventsDecoder(65536);

    private Decoded one(String s) {
        List<Decoded> out = decoder.decodeAll("c", 0, 0, s.getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aDeployedServiceIsADeployOfThatServiceAtItsArtifactsVersion() {
        ChangeEvent c = one(DEPLOYED).change();

        assertThat(c.ts()).isEqualTo(1708073100000L);
        assertThat(c.service()).isEqualTo("web-app");
        assertThat(c.kind()).isEqualTo(ChangeKind.DEPLOY);
        assertThat(c.version()).isEqualTo("sha256:0b31b1c02ff458ad");
        assertThat(c.description()).contains("deployed", "production");
    }

    @Test
    void readsTheCloudEventEnvelopeAndRollbacks() {
        ChangeEvent c = one(CLOUD_EVENT).change();

        assertThat(c.kind()).isEqualTo(ChangeKind.ROLLBACK);
        assertThat(c.version()).isEqualTo("2024.02.15");
    }

    @Test
    void anEnvironmentModifiedIsAConfigChangeAndPipelineEventsAreNotAnalysed() {
        ChangeEvent env =
                one(DEPLOYED.replace("service.deployed", "environment.modified")
                                .replace("\"service/web-app\"", "\"environments/staging\""))
                        .change();
        assertThat(env.kind()).isEqualTo(ChangeKind.CONFIG);
        assertThat(env.service()).isEqualTo("staging");

        assertThat(
                        one(DEPLOYED.replace("service.deployed", "pipelinerun.finished"))
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.NOT_ANALYSED);
        assertThat(
                        one(DEPLOYED.replace(
                                        "dev.cdevents.service.deployed.0.2.0", "com.example.x"))
                                .rejected()
                                .reason())
                .isEqualTo(RejectReason.BAD_VALUE);
    }

    @Test
    void mutatedEventsNeverThrowAndAlwaysGiveAReason() {
        DecoderFuzz.Result r =
                DecoderFuzz.run(
                        decoder,
                        List.of(
                                DEPLOYED.getBytes(StandardCharsets.UTF_8),
                                CLOUD_EVENT.getBytes(StandardCharsets.UTF_8)),
                        61L,
                        3000);
        DecoderFuzz.assertRejectsGarbage(decoder, 62L);

        assertThat(r.events()).isPositive();
        assertThat(r.rejections()).isPositive();
    }
}
