package io.incidentanalyzer.ingest;

import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.model.Decoded;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time for every input: the timestamp inside the record and bounded out-of-orderness. On
 * Kafka also idleness, so that a silent partition does not hold event time back: the Kafka sources
 * use {@link #forKafka}, whose partitions with nothing left to read go idle at once ({@link
 * TailAwareWatermarks}); tests that feed in-memory streams use {@link #strategy}, the same time
 * with Flink's idleness. A replay's files end, and a finished source no longer holds event time
 * back, so a replay needs no idleness ({@link #forReplay}).
 */
public final class InputWatermarks {
    private InputWatermarks() {}

    public static WatermarkStrategy<Decoded> strategy(Watermarks settings) {
        return WatermarkStrategy.<Decoded>forBoundedOutOfOrderness(settings.maxOutOfOrderness())
                .withTimestampAssigner(new EventTimestamp())
                .withIdleness(settings.idleTimeout());
    }

    /**
     * Per Kafka partition of one source, with idleness that knows how far each partition has been
     * read ({@code tails}, the same object the source is given: {@link TailTrackingSource}).
     */
    public static WatermarkStrategy<Decoded> forKafka(Watermarks settings, PartitionTails tails) {
        return new TailAware(settings.maxOutOfOrderness(), settings.idleTimeout(), tails)
                .withTimestampAssigner(new EventTimestamp());
    }

    /** One {@link TailAwareWatermarks} per partition, all reading the source's {@code tails}. */
    private record TailAware(Duration maxOutOfOrderness, Duration idleTimeout, PartitionTails tails)
            implements WatermarkStrategy<Decoded> {
        @Override
        public WatermarkGenerator<Decoded> createWatermarkGenerator(
                WatermarkGeneratorSupplier.Context context) {
            return new TailAwareWatermarks(
                    maxOutOfOrderness,
                    idleTimeout,
                    tails,
                    context.getInputActivityClock(),
                    System::nanoTime);
        }
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
