package io.incidentanalyzer.ingest;

import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.model.Decoded;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for every input: the timestamp inside the record and bounded out-of-orderness. On
 * Kafka also idleness, so that a silent partition does not hold event time back; used by the Kafka
 * sources (per partition) and by tests that feed in-memory streams, so both see the same time. A
 * replay's files end, and a finished source no longer holds event time back, so a replay needs no
 * idleness ({@link #forReplay}).
 */
public final class InputWatermarks {
    private InputWatermarks() {}

    public static WatermarkStrategy<Decoded> strategy(Watermarks settings) {
        return WatermarkStrategy.<Decoded>forBoundedOutOfOrderness(settings.maxOutOfOrderness())
                .withTimestampAssigner(new EventTimestamp())
                .withIdleness(settings.idleTimeout());
    }

    /**
     * Without idleness: idleness is measured in wall time, and a replay must not depend on how fast
     * its files are read. Every file source ends, and its final watermark releases event time.
     */
    public static WatermarkStrategy<Decoded> forReplay(Watermarks settings) {
        return WatermarkStrategy.<Decoded>forBoundedOutOfOrderness(settings.maxOutOfOrderness())
                .withTimestampAssigner(new EventTimestamp());
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
