package io.incidentanalyzer.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

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

    /** What is written as the record value, e.g. the event an envelope carries. */
    interface ValueOf<T> extends java.io.Serializable {
        Object value(T record);
    }

    private final String topic;
    private final KeyOf<T> keyOf;
    private final ValueOf<T> valueOf;
    private final KeyOf<T> partitionBy;
    private transient ObjectMapper mapper;

    JsonRecordSerializer(String topic, KeyOf<T> keyOf) {
        this(topic, keyOf, r -> r, null);
    }

    /**
     * @param partitionBy null: the producer partitions by the record key; otherwise the partition
     *     is the one Kafka's default partitioner gives this string as a key, so records that share
     *     it stay in order on one partition even when their keys differ
     */
    JsonRecordSerializer(String topic, KeyOf<T> keyOf, ValueOf<T> valueOf, KeyOf<T> partitionBy) {
        this.topic = topic;
        this.keyOf = keyOf;
        this.valueOf = valueOf;
        this.partitionBy = partitionBy;
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
                    partition(element, context),
                    null,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    mapper.writeValueAsBytes(valueOf.value(element)));
        } catch (JsonProcessingException e) {
            // Our own records always serialize; reaching this is a bug, not bad input.
            throw new IllegalStateException("cannot write " + element + " as JSON", e);
        }
    }

    private Integer partition(T element, KafkaSinkContext context) {
        if (partitionBy == null) return null;
        int[] partitions = context.getPartitionsForTopic(topic);
        byte[] by = partitionBy.key(element).getBytes(StandardCharsets.UTF_8);
        return partitions[Utils.toPositive(Utils.murmur2(by)) % partitions.length];
    }
}
