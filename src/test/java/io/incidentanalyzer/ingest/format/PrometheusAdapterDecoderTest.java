package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class PrometheusAdapterDecoderTest {

    /** As the adapter writes it (README "JSON" and "Avro JSON", same shape). */
    public static final String SAMPLE =
            "{\"timestamp\":\"2024-02-16T08:33:00Z\",\"value\":\"0.975\","
                    + "\"name\":\"process_cpu_utilization\",\"labels\":{\"__name__\":"
                    + "\"process_cpu_utilization\",\"instance\":\"db-1:9100\","
                    + "\"job\":\"database\"}}";

    private final PrometheusAdapterDecoder decoder =
            new PrometheusAdapterDecoder(new ServiceNames(List.of("service", "job"), null), 4096);

    private Decoded decode(String json) {
        List<Decoded> all = decoder.decodeAll("m", 0, 7, json.getBytes(StandardCharsets.UTF_8));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    void mapsASampleToTheJobsServiceAndKeepsTheOtherLabels() {
        MetricSample m = decode(SAMPLE).metric();

        assertThat(m.ts()).isEqualTo(1708072380000L);
        assertThat(m.service()).isEqualTo("database");
        assertThat(m.metric()).isEqualTo("process_cpu_utilization");
        assertThat(m.value()).isEqualTo(0.975);
        assertThat(m.labels()).isEqualTo(Map.of("instance", "db-1:9100", "job", "database"));
    }

    @Test
    void aServiceLabelNamedInTheJobFileWinsOverJob() {
        PrometheusAdapterDecoder byApp =
                new PrometheusAdapterDecoder(new ServiceNames(List.of("app", "job"), null), 4096);
        String json = SAMPLE.replace("\"job\":", "\"app\":\"web-app\",\"job\":");

        Decoded d = byApp.decodeAll("m", 0, 0, json.getBytes(StandardCharsets.UTF_8)).get(0);

        assertThat(d.metric().service()).isEqualTo("web-app");
    }

    @Test
    void takesTheMetricFromTheNameLabelWhenTheTopLevelNameIsAbsent() {
        assertThat(decode(SAMPLE.replace("\"name\":\"process_cpu_utilization\",", "")).metric())
                .extracting(MetricSample::metric)
                .isEqualTo("process_cpu_utilization");
    }

    @Test
    void deadLettersNaNAndInfinitiesWithAReasonInsteadOfAnalysingThem() {
        for (String v : List.of("NaN", "+Inf", "-Inf")) {
            Decoded d = decode(SAMPLE.replace("\"0.975\"", "\"" + v + "\""));
            assertThat(d.isRejected()).as(v).isTrue();
            assertThat(d.rejected().reason()).isEqualTo(RejectReason.BAD_VALUE);
            assertThat(d.rejected().detail())
                    .contains("'value' is " + (v.equals("NaN") ? "NaN" : v));
            assertThat(d.rejected().offset()).isEqualTo(7);
        }
    }

    @Test
    void rejectsASampleWithoutAServiceLabelNamingTheLabelsLookedFor() {
        Decoded d = decode(SAMPLE.replace("\"job\":\"database\"", "\"zone\":\"a\""));

        assertThat(d.rejected().reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(d.rejected().detail()).contains("[service, job]");
    }

    @Test
    void aFixedServiceTakesSamplesWithoutTheLabels() {
        PrometheusAdapterDecoder fixed =
                new PrometheusAdapterDecoder(new ServiceNames(List.of("app"), "node"), 4096);

        Decoded d = fixed.decodeAll("m", 0, 0, SAMPLE.getBytes(StandardCharsets.UTF_8)).get(0);

        assertThat(d.metric().service()).isEqualTo("node");
    }

    @Test
    void rejectsAZonelessTimestampAndAMissingValue() {
        assertThat(decode(SAMPLE.replace("08:33:00Z", "08:33:00")).rejected().reason())
                .isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(decode(SAMPLE.replace("\"value\":\"0.975\",", "")).rejected().reason())
                .isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(decode("[1]").rejected().reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void mutatedSamplesNeverThrowAndAlwaysGiveAReason() {
        DecoderFuzz.Result r =
                DecoderFuzz.run(
                        decoder, List.of(SAMPLE.getBytes(StandardCharsets.UTF_8)), 17L, 3000);
        DecoderFuzz.assertRejectsGarbage(decoder, 18L);

        assertThat(r.events()).isPositive();
        assertThat(r.rejections()).isPositive();
    }
}
