package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.Decoded;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.util.clock.RelativeClock;

/**
 * The watermarks of one Kafka partition: bounded out-of-orderness, and idleness that knows whether
 * the partition has anything left to read ({@link PartitionTails}).
 *
 * <p>A partition is idle, and stops holding its source's event time back,
 *
 * <ul>
 *   <li>at once when it has yielded no record and none of the subtask's partitions without a record
 *       has anything to read (empty partitions, or ones whose committed offset is their end): the
 *       next record such a partition yields is written after the job started reading, so it is
 *       never older than the backlog the other partitions are being read from;
 *   <li>after {@code idleTimeout} of wall time without a record when an end offset looked up after
 *       its last record shows it read to the end. That silence is real whatever the back-pressure,
 *       so this clock does not stop while the source is back-pressured;
 *   <li>or by Flink's own rule ({@link WatermarksWithIdleness}: {@code idleTimeout} on a clock that
 *       stops while the source is back-pressured) when the end offsets cannot be looked up.
 * </ul>
 *
 * A partition with unread records never goes idle by the first two rules, so reading a backlog
 * makes none of its records late. Idleness is the one place wall time decides anything; it decides
 * when to stop waiting, never what a record means.
 */
final class TailAwareWatermarks implements WatermarkGenerator<Decoded> {
    private final BoundedOutOfOrdernessWatermarks<Decoded> bounded;
    private final WatermarksWithIdleness.IdlenessTimer pausedTimer;
    private final PartitionTails tails;
    private final long idleTimeoutNanos;
    private final LongSupplier nanoTime;

    /** The partition this generator serves, known from its first record; -1 before. */
    private int partition = -1;

    private long lastRecordNanos;
    private boolean idle;

    TailAwareWatermarks(
            Duration maxOutOfOrderness,
            Duration idleTimeout,
            PartitionTails tails,
            RelativeClock inputActivityClock,
            LongSupplier nanoTime) {
        this.bounded = new BoundedOutOfOrdernessWatermarks<>(maxOutOfOrderness);
        this.pausedTimer =
                new WatermarksWithIdleness.IdlenessTimer(inputActivityClock, idleTimeout);
        this.tails = tails;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public void onEvent(Decoded event, long timestamp, WatermarkOutput output) {
        if (partition < 0) partition = tails.currentPartition();
        bounded.onEvent(event, timestamp, output);
        pausedTimer.activity();
        lastRecordNanos = nanoTime.getAsLong();
        idle = false;
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Always asked, so that Flink's timer sees every period.
        boolean idleByPausedClock = pausedTimer.checkIfIdle();
        if (idleByPausedClock || nothingToRead()) {
            if (!idle) {
                output.markIdle();
                idle = true;
            }
        } else {
            bounded.onPeriodicEmit(output);
        }
    }

    private boolean nothingToRead() {
        // Once idle, a partition without records stays so until it yields one: whatever it yields
        // was written after the job started reading (the new records of a partition assigned
        // later are held back by that partition's own generator).
        if (partition < 0) return idle || tails.unreadPartitionsAtEnd();
        return nanoTime.getAsLong() - lastRecordNanos >= idleTimeoutNanos
                && tails.readToEnd(partition, lastRecordNanos);
    }
}
