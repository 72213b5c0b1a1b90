package io.incidentanalyzer.ingest;

import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.model.Decoded;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for every input: the timestamp inside the record, bounded out-of-orderness, and
 * idleness so that a silent partition does not hold event time back. Used by the Kafka sources (per
 * partition) and by tests that feed in-memory streams, so both see the same time.
 */
public final class InputWatermarks {
    private InputWatermarks() {}

    public static WatermarkStrategy<Decoded> strategy(Watermarks settings) {
        return WatermarkStrategy.<Decoded>forBoundedOutOfOrderness(settings.maxOutOfOrderness())
                .withTimestampAssigner(new EventTimestamp())
                .withIdleness(settings.idleTimeout());
    }

    /**
     * The decoded event's own time. Rejections carry {@link Long#MIN_VALUE}, which the bounded
     * generator's running maximum ignores: a broken record never moves event time.
     */
    static final class EventTimestamp implements SerializableTimestampAssigner<Decoded> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(Decoded d, long kafkaTimestamp) {
            return d.ts();
        }
    }
}
