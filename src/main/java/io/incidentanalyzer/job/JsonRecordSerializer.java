package io.incidentanalyzer.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records as JSON to one topic, keyed by a field of the record. The Kafka record timestamp
 * is left to the producer (wall time): event time is in the payload, and stamping an old replayed
 * event time on the record would make the broker's time-based retention delete fresh output at
 * once.
 */
final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** The record key, e.g. the incident id. */
    interface KeyOf<T> extends java.io.Serializable {
        String key(T record);
    }

    private final String topic;
    private final KeyOf<T> keyOf;
    private transient ObjectMapper mapper;

    JsonRecordSerializer(String topic, KeyOf<T> keyOf) {
        this.topic = topic;
        this.keyOf = keyOf;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        mapper = OutputJson.mapper();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        String key = keyOf.key(element);
        try {
            return new ProducerRecord<>(
                    topic,
                    null,
                    null,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    mapper.writeValueAsBytes(element));
        } catch (JsonProcessingException e) {
            // Our own records always serialize; reaching this is a bug, not bad input.
            throw new IllegalStateException("cannot write " + element + " as JSON", e);
        }
    }
}
