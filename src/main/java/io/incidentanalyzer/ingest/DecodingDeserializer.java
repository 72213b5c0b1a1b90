package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.Decoded;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka source's deserializer: hands each record's value and coordinates to a {@link
 * RecordDecoder} and emits every {@link Decoded} of the record, at least one: events, or rejections
 * (a decoder that throws gives a rejection too, see {@link RecordDecoders#decodeAll}). Most formats
 * carry one event per record; an OTLP request or a Telegraf batch carries many. Decoding inside the
 * source keeps watermarks per partition; a rejection carries {@code Long.MIN_VALUE} as its time and
 * so never moves them. A record dated too far ahead of the wall clock is rejected here too ({@link
 * FutureTimestamps}), for the same reason.
 */
public final class DecodingDeserializer implements KafkaRecordDeserializationSchema<Decoded> {

    private static final long serialVersionUID = 1L;

    private final RecordDecoder decoder;
    private final FutureTimestamps future;

    /**
     * @param future admission of event time: records dated too far ahead of the wall clock are
     *     rejected here, before the source's watermark generator sees them
     */
    public DecodingDeserializer(RecordDecoder decoder, FutureTimestamps future) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.future = Objects.requireNonNull(future, "future");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out) {
        for (Decoded decoded :
                RecordDecoders.decodeAll(
                        decoder,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.value())) {
            out.collect(
                    future.admit(
                            decoded,
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.value()));
        }
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }
}
