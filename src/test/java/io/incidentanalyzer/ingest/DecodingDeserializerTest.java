package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    private final DecodingDeserializer deserializer =
            new DecodingDeserializer(NativeJsonDecoder.forKind(StreamKind.METRICS, 65536));

    @Test
    void collectsOneEventForAValidRecord() {
        List<Decoded> out =
                deserialize(deserializer, record(CPU_SAMPLE.getBytes(StandardCharsets.UTF_8)));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).metric().service()).isEqualTo("database");
        assertThat(out.get(0).ts()).isEqualTo(1708072200000L);
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
                        });

        List<Decoded> out = deserialize(broken, record("{}".getBytes(StandardCharsets.UTF_8)));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).rejected().reason()).isEqualTo(RejectReason.BAD_VALUE);
        assertThat(out.get(0).rejected().detail()).isEqualTo("decoder error: boom");
        assertThat(out.get(0).rejected().offset()).isEqualTo(OFFSET);
    }

    @Test
    void producesDecodedType() {
        assertThat(deserializer.getProducedType()).isEqualTo(TypeInformation.of(Decoded.class));
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
