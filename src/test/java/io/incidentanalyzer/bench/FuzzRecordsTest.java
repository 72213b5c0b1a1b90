package io.incidentanalyzer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.InputFormat;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.Limits;
import io.incidentanalyzer.ingest.DecodingDeserializer;
import io.incidentanalyzer.ingest.FutureTimestamps;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.WallClock;
import io.incidentanalyzer.model.Decoded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class FuzzRecordsTest {
    private static final Limits LIMITS = new Limits(65536, Duration.ofMinutes(5));

    private static DecodingDeserializer decoder(InputFormat format, StreamKind kind) {
        return new DecodingDeserializer(
                RecordDecoders.forTopic(new InputTopic("t", format), kind, LIMITS),
                new FutureTimestamps(LIMITS.maxFuture(), WallClock.SYSTEM));
    }

    private static boolean feeds(InputFormat format, StreamKind kind) {
        return format.feeds(kind.name().toLowerCase(Locale.ROOT));
    }

    @Test
    void everyProducerFormatHasExamplesThatItsOwnDecoderAccepts() {
        Set<InputFormat> covered = EnumSet.noneOf(InputFormat.class);
        FuzzRecords.formatExamples()
                .forEach(
                        (format, examples) -> {
                            for (byte[] example : examples) {
                                boolean decodes = false;
                                for (StreamKind kind : StreamKind.values()) {
                                    decodes |=
                                            feeds(format, kind)
                                                    && FuzzRecords.rejections(
                                                                    decoder(format, kind),
                                                                    "t",
                                                                    example)
                                                            .isEmpty();
                                }
                                assertThat(decodes)
                                        .as("%s example %s", format, new String(example))
                                        .isTrue();
                            }
                            covered.add(format);
                        });

        // Every producer format of the four input streams (alerts have their own optional topic).
        Set<InputFormat> producerFormats = EnumSet.noneOf(InputFormat.class);
        for (InputFormat f : InputFormat.values()) {
            for (StreamKind kind : StreamKind.values()) {
                if (f != InputFormat.NATIVE_JSON && feeds(f, kind)) producerFormats.add(f);
            }
        }
        assertThat(producerFormats).isNotEmpty();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(producerFormats);
    }

    @Test
    void aMalformedRecordGivesItsReasonsAndAValidOneNone() {
        DecodingDeserializer metrics = decoder(InputFormat.NATIVE_JSON, StreamKind.METRICS);
        byte[] valid =
                ("{\"ts\":1708072200000,\"service\":\"database\",\"metric\":\"cpu_utilization\","
                                + "\"value\":97.5}")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] noService =
                "{\"ts\":1708072200000,\"metric\":\"cpu_utilization\",\"value\":97.5}"
                        .getBytes(StandardCharsets.UTF_8);

        assertThat(FuzzRecords.rejections(metrics, "t", valid)).isEmpty();
        assertThat(FuzzRecords.rejections(metrics, "t", noService))
                .containsExactly("MISSING_FIELD");
        assertThat(FuzzRecords.rejections(metrics, "t", "{".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("NOT_JSON");
    }

    @Test
    void aTelegrafBatchWithOneBadMetricStillCountsAsValid() {
        // A batch that yields one event and one rejection must not be produced: its event would
        // change the run's incidents.
        DecodingDeserializer telegraf = decoder(InputFormat.TELEGRAF_JSON, StreamKind.METRICS);
        String single =
                new String(
                        FuzzRecords.formatExamples().get(InputFormat.TELEGRAF_JSON).get(0),
                        StandardCharsets.UTF_8);
        byte[] batch =
                ("{\"metrics\":["
                                + single
                                + ","
                                + single.replace(
                                        "\"timestamp\":1708072380", "\"timestamp\":\"yesterday\"")
                                + "]}")
                        .getBytes(StandardCharsets.UTF_8);

        List<Decoded> outcomes = new ArrayList<>();
        telegraf.deserialize(
                new ConsumerRecord<>("t", 0, 0L, null, batch), new ListCollector<>(outcomes));
        assertThat(outcomes).extracting(Decoded::isRejected).contains(false, true);

        assertThat(FuzzRecords.rejections(telegraf, "t", batch)).isEmpty();
    }
}
