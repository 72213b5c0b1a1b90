package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

public class TelegrafJsonDecoderTest {

    /** Telegraf's json serializer, standard form, json_timestamp_units = "1s". */
    public static final String SINGLE =
            "{\"fields\":{\"usage_user\":97.5,\"usage_idle\":2.5,\"saturated\":true,"
                    + "\"state\":\"busy\"},\"name\":\"cpu\",\"tags\":{\"cpu\":\"cpu-total\","
                    + "\"host\":\"db-1\",\"service\":\"database\"},\"timestamp\":1708072380}";

    public static final String BATCH =
            "{\"metrics\":[" + SINGLE + "," + SINGLE.replace("1708072380", "1708072390") + "]}";

    private final TelegrafJsonDecoder decoder =
            new TelegrafJsonDecoder(
                    new ServiceNames(List.of("service"), null), TimeUnit.SECONDS, 65536);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachNumericFieldIsASampleNamedAfterTheMeasurement() {
        List<MetricSample> out =
                decoder.decodeAll("m", 0, 0, utf8(SINGLE)).stream().map(Decoded::metric).toList();

        assertThat(out)
                .extracting(MetricSample::metric)
                .containsExactlyInAnyOrder("cpu_usage_user", "cpu_usage_idle", "cpu_saturated");
        assertThat(out).allSatisfy(m -> assertThat(m.service()).isEqualTo("database"));
        assertThat(out).allSatisfy(m -> assertThat(m.ts()).isEqualTo(1708072380000L));
        assertThat(out.get(0).labels()).containsEntry("host", "db-1");
    }

    @Test
    void readsTheBatchForm() {
        assertThat(decoder.decodeAll("m", 0, 0, utf8(BATCH))).hasSize(6);
    }

    @Test
    void theTimestampUnitIsTheTopics() {
        TelegrafJsonDecoder ms =
                new TelegrafJsonDecoder(
                        new ServiceNames(List.of("service"), null), TimeUnit.MILLISECONDS, 65536);

        assertThat(
                        ms.decodeAll("m", 0, 0, utf8(SINGLE.replace("1708072380", "1708072380250")))
                                .get(0)
                                .ts())
                .isEqualTo(1708072380250L);
        Decoded wrongUnit = ms.decodeAll("m", 0, 0, utf8(SINGLE)).get(0);
        assertThat(wrongUnit.rejected().reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(wrongUnit.rejected().detail()).contains("looks like epoch seconds");
    }

    @Test
    void aBadMetricInABatchIsSkippedWithADeadLetterAndTheOthersKept() {
        String batch = "{\"metrics\":[" + SINGLE + ",{\"name\":\"cpu\",\"fields\":{}}]}";

        List<Decoded> out = decoder.decodeAll("m", 0, 0, utf8(batch));

        assertThat(out).hasSize(4);
        assertThat(out.get(3).rejected().detail()).contains("metrics[1]", "timestamp");
    }

    @Test
    void mutatedMetricsNeverThrowAndAlwaysGiveAReason() {
        DecoderFuzz.Result r =
                DecoderFuzz.run(decoder, List.of(utf8(SINGLE), utf8(BATCH)), 41L, 3000);
        DecoderFuzz.assertRejectsGarbage(decoder, 42L);

        assertThat(r.events()).isPositive();
        assertThat(r.rejections()).isPositive();
    }
}
