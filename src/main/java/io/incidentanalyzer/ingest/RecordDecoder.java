package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.Decoded;
import java.io.Serializable;

/**
 * Turns one Kafka record value into an event or a rejection. Implementations are shipped to Flink
 * tasks inside the Kafka source, so they are serializable and hold heavy helpers in transient
 * fields.
 *
 * <p>Contract: {@link #decode} never throws, whatever the bytes (null, empty, binary, huge, deeply
 * nested); it returns {@link Decoded#of} for a usable record and {@link Decoded#rejected} with a
 * reason otherwise. One bad record must never fail the job.
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
}
