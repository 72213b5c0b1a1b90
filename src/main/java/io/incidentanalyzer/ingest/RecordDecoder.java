package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.Decoded;
import java.io.Serializable;
import java.util.List;

/**
 * Turns one Kafka record value into an event or a rejection. Implementations are shipped to Flink
 * tasks inside the Kafka source, so they are serializable and hold heavy helpers in transient
 * fields.
 *
 * <p>Contract: {@link #decode} never throws, whatever the bytes (null, empty, binary, huge, deeply
 * nested); it returns {@link Decoded#of} for a usable record and {@link Decoded#rejected} with a
 * reason otherwise. One bad record must never fail the job.
 *
 * <p>A record may carry several events (an OTLP export request, a Telegraf batch): such a decoder
 * overrides {@link #decodeAll}, which is what every input path calls. {@link #decode} stays the
 * one-event form that most formats implement alone.
 */
@FunctionalInterface
public interface RecordDecoder extends Serializable {

    /**
     * @param topic the source topic, copied into a rejection
     * @param partition the source partition, copied into a rejection
     * @param offset the source offset, copied into a rejection
     * @param value the record value; may be {@code null} (a tombstone)
     */
    Decoded decode(String topic, int partition, long offset, byte[] value);

    /**
     * Every outcome of one record, in record order: events, and rejections for the parts that could
     * not be decoded. Never empty, never throws; a record that yields no event at all gives exactly
     * one rejection saying why. The default is {@link #decode}'s one outcome.
     */
    default List<Decoded> decodeAll(String topic, int partition, long offset, byte[] value) {
        return List.of(decode(topic, partition, offset, value));
    }
}
