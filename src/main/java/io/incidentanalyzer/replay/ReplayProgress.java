package io.incidentanalyzer.replay;

import java.time.Duration;

/** Receives a replay's progress while it runs, e.g. to show it on a terminal. */
@FunctionalInterface
public interface ReplayProgress {

    /**
     * Called from a background thread about every {@link Replay#PROGRESS_INTERVAL} while the replay
     * runs, and once more with {@code done} set when it has finished successfully, with the final
     * figures. Calls never overlap. Must return quickly; an exception it throws is ignored.
     */
    void update(Snapshot snapshot);

    /**
     * @param eventsRead records read so far, all inputs together (events and rejects)
     * @param eventTime the newest event time read so far, epoch milliseconds; {@link
     *     Long#MIN_VALUE} before the first event
     * @param elapsed wall time since the replay started (Flink's start-up included)
     * @param done true for the last call, after the replay has finished
     */
    record Snapshot(long eventsRead, long eventTime, Duration elapsed, boolean done) {

        public boolean hasEventTime() {
            return eventTime != Long.MIN_VALUE;
        }
    }
}
