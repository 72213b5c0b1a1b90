package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DecodingDeserializerTest {

    private static final String TOPIC = "prod.metrics";
    private static final int PARTITION = 2;
    private static final long OFFSET = 991L;
    private static final String CPU_SAMPLE =
            "{\"ts\":1708072200000,\"service\":\"database\",\"metric\":\"cpu_utilization\","
                    + "\"value\":97.5}";

    private static final long SAMPLE_TS = 1708072200000L;

    /** The wall clock as each test sets it: five minutes after the sample unless moved. */
    private final SetClock clock = new SetClock(SAMPLE_TS + 5 * 60_000);

    private final DecodingDeserializer deserializer =
            new DecodingDeserializer(
                    NativeJsonDecoder.forKind(StreamKind.METRICS, 65536),
                    new FutureTimestamps(Duration.ofMinutes(5), clock));

    @Test
    void collectsOneEventForAValidRecord() {
        List<Decoded> out =
                deserialize(deserializer, record(CPU_SAMPLE.getBytes(StandardCharsets.UTF_8)));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).metric().service()).isEqualTo("database");
        assertThat(out.get(0).ts()).isEqualTo(SAMPLE_TS);
    }

    @Test
    void collectsOneRejectionCarryingTheRecordCoordinates() {
        List<Decoded> out =
                deserialize(deserializer, record("oops".getBytes(StandardCharsets.UTF_8)));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).rejected().reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(out.get(0).rejected().sourceTopic()).isEqualTo(TOPIC);
        assertThat(out.get(0).rejected().partition()).isEqualTo(PARTITION);
        assertThat(out.get(0).rejected().offset()).isEqualTo(OFFSET);
    }

    @Test
    void collectsOneRejectionForATombstone() {
        List<Decoded> out = deserialize(deserializer, record(null));

        assertThat(out).singleElement().satisfies(d -> assertThat(d.isRejected()).isTrue());
    }

    @Test
    void turnsAThrowingDecoderIntoARejectionInsteadOfFailingTheJob() {
        DecodingDeserializer broken =
                new DecodingDeserializer(
                        (topic, partition, offset, value) -> {
                            throw new IllegalStateException("boom");
                        },
                        new FutureTimestamps(Duration.ofMinutes(5), clock));

        List<Decoded> out = deserialize(broken, record("{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).rejected().reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(out.get(0).rejected().detail()).isEqualTo("decoder error: boom");
        assertThat(out.get(0).rejected().offset()).isEqualTo(OFFSET);
    }

    @Test
    void rejectsARecordDatedMoreThanMaxFutureAheadOfTheWallClock() {
        clock.now = SAMPLE_TS - 5 * 60_000 - 1;

        List<Decoded> out =
                deserialize(deserializer, record(CPU_SAMPLE.getBytes(StandardCharsets.UTF_8)));

        DeadLetter d = out.get(0).rejected();
        assertThat(d.reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(d.detail())
                .isEqualTo(
                        "ts 2024-02-16T08:30:00Z is more than 5m (limits.maxFuture) ahead of the"
                                + " wall clock 2024-02-16T08:24:59.999Z");
        assertThat(d.raw()).isEqualTo(CPU_SAMPLE);
        assertThat(d.offset()).isEqualTo(OFFSET);
        assertThat(out.get(0).ts())
                .as("a rejection's time moves no watermark")
                .isEqualTo(Long.MIN_VALUE);

        clock.now = SAMPLE_TS - 5 * 60_000; // a millisecond later the same record is in time
        assertThat(deserialize(deserializer, record(CPU_SAMPLE.getBytes(StandardCharsets.UTF_8))))
                .singleElement()
                .satisfies(e -> assertThat(e.metric()).isNotNull());
    }

    @Test
    void aRecordDatedInTheFarFutureNeverReachesThePartitionsWatermark() {
        clock.now = SAMPLE_TS;
        BoundedOutOfOrdernessWatermarks<Decoded> generator =
                new BoundedOutOfOrdernessWatermarks<>(Duration.ofSeconds(5));
        InputWatermarks.EventTimestamp timestamps = new InputWatermarks.EventTimestamp();
        long[] watermark = {Long.MIN_VALUE};
        WatermarkOutput output =
                new WatermarkOutput() {
                    @Override
                    public void emitWatermark(Watermark w) {
                        watermark[0] = w.getTimestamp();
                    }

                    @Override
                    public void markIdle() {}

                    @Override
                    public void markActive() {}
                };

        for (String value :
                List.of(
                        CPU_SAMPLE.replace("1708072200000", "4070908800000"), // 2099-01-01
                        CPU_SAMPLE)) {
            for (Decoded d :
                    deserialize(deserializer, record(value.getBytes(StandardCharsets.UTF_8)))) {
                generator.onEvent(d, timestamps.extractTimestamp(d, -1), output);
            }
        }
        generator.onPeriodicEmit(output);

        assertThat(watermark[0]).isEqualTo(SAMPLE_TS - 5_000 - 1);
    }

    @Test
    void producesDecodedType() {
        assertThat(deserializer.getProducedType()).isEqualTo(TypeInformation.of(Decoded.class));
    }

    @Test
    void collectsEveryEventOfABatchRecordAndTheDeadLetterOfItsBadPart() {
        DecodingDeserializer telegraf =
                new DecodingDeserializer(
                        new io.incidentanalyzer.ingest.format.TelegrafJsonDecoder(
                                new io.incidentanalyzer.ingest.format.ServiceNames(
                                        List.of("service"), null),
                                java.util.concurrent.TimeUnit.MILLISECONDS,
                                65536),
                        new FutureTimestamps(Duration.ofMinutes(5), clock));
        String metric =
                "{\"name\":\"cpu\",\"fields\":{\"user\":97.5,\"idle\":2.5},"
                        + "\"tags\":{\"service\":\"database\"},\"timestamp\":"
                        + SAMPLE_TS
                        + "}";
        String batch = "{\"metrics\":[" + metric + ",{\"name\":\"cpu\"}]}";

        List<Decoded> out = deserialize(telegraf, record(batch.getBytes(StandardCharsets.UTF_8)));

        assertThat(out).hasSize(3);
        assertThat(out.subList(0, 2))
                .allSatisfy(d -> assertThat(d.metric().ts()).isEqualTo(SAMPLE_TS));
        assertThat(out.get(2).rejected().offset()).isEqualTo(OFFSET);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>(
                TOPIC, PARTITION, OFFSET, "key".getBytes(StandardCharsets.UTF_8), value);
    }

    private static List<Decoded> deserialize(
            DecodingDeserializer deserializer, ConsumerRecord<byte[], byte[]> record) {
        ListCollector out = new ListCollector();
        deserializer.deserialize(record, out);
        return out.collected;
    }

    /** A wall clock the test moves by hand. */
    private static final class SetClock implements WallClock {
        long now;

        SetClock(long now) {
            this.now = now;
        }

        @Override
        public long millis() {
            return now;
        }
    }

    /** Keeps what the deserializer emits; Flink's real collector forwards it downstream. */
    private static final class ListCollector implements Collector<Decoded> {
        final List<Decoded> collected = new ArrayList<>();

        @Override
        public void collect(Decoded record) {
            collected.add(record);
        }

        @Override
        public void close() {}
    }
}
