package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka source's deserializer: hands each record's value and coordinates to a {@link
 * RecordDecoder} and emits exactly one {@link Decoded} per record, an event or a rejection.
 * Decoding inside the source keeps watermarks per partition; a rejection carries {@code
 * Long.MIN_VALUE} as its time and so never moves them.
 */
public final class DecodingDeserializer implements KafkaRecordDeserializationSchema<Decoded> {

    private static final long serialVersionUID = 1L;

    private final RecordDecoder decoder;

    public DecodingDeserializer(RecordDecoder decoder) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out) {
        out.collect(decode(record));
    }

    private Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            Decoded decoded =
                    decoder.decode(
                            record.topic(), record.partition(), record.offset(), record.value());
            if (decoded != null) {
                return decoded;
            }
            return reject(record, "decoder error: decoder returned no result");
        } catch (RuntimeException e) {
            // The contract says decoders never throw; this guards against one that does, so that
            // a plug-in decoder's bug cannot fail the job (Kafka would redeliver the same record).
            return reject(
                    record,
                    "decoder error: "
                            + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
        }
    }

    private static Decoded reject(ConsumerRecord<byte[], byte[]> record, String detail) {
        return Decoded.rejected(
                DeadLetters.of(
                        RejectReason.BAD_VALUE,
                        detail,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.value()));
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }
}
