package io.incidentanalyzer.ingest;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far one Kafka source subtask has read each of its partitions, against the partitions' end
 * offsets: what lets a partition with nothing left to read stop holding event time back at once,
 * while a partition with unread records never does ({@link TailAwareWatermarks}).
 *
 * <p>One object per source, shared inside a source subtask by its reader ({@link
 * TailTrackingSource}: the partitions assigned and their starting offsets, the end offsets it looks
 * up), its deserializer (the offset of every record read) and the watermark generators of its
 * partitions. They share it because Flink serializes the source and its watermark strategy
 * together, so each subtask deserializes one copy that all three point to; the state itself is
 * transient and built in the subtask.
 *
 * <p>Threads: assignment, records and generators run on the task thread; end offsets are written by
 * the reader's look-up thread. Offsets are Kafka's: the next offset to read, and the end is the
 * last stable offset (the job reads committed records only).
 */
public final class PartitionTails implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A partition's end offset and when it was looked up ({@link System#nanoTime()}). */
    record End(long offset, long observedNanos) {}

    private transient volatile State state;

    private State state() {
        State s = state;
        if (s == null) {
            synchronized (this) {
                if (state == null) state = new State();
                s = state;
            }
        }
        return s;
    }

    private static final class State {
        /** Assigned partition → the offset its reading starts at (a Kafka source marker or not). */
        final Map<Integer, Long> start = new ConcurrentHashMap<>();

        /** Starting offsets the look-up resolved (markers replaced by offsets). */
        final Map<Integer, Long> resolvedStart = new ConcurrentHashMap<>();

        /**
         * By partition, the offset after the last record read from it, -1 for none yet. Task thread
         * only, and written for every record: a plain array, no boxing.
         */
        long[] position = new long[0];

        final Map<Integer, End> end = new ConcurrentHashMap<>();

        /** The partition of the record being deserialized now (task thread). */
        int current = -1;
    }

    /** The reader was assigned {@code partition}, to read from {@code startingOffset}. */
    public void assigned(int partition, long startingOffset) {
        state().start.put(partition, startingOffset);
        if (startingOffset >= 0) state().resolvedStart.put(partition, startingOffset);
    }

    /** A record at {@code offset} of {@code partition} is being handed to the source's output. */
    public void reading(int partition, long offset) {
        State s = state();
        s.current = partition;
        if (partition >= s.position.length) {
            int from = s.position.length;
            s.position = Arrays.copyOf(s.position, partition + 1);
            Arrays.fill(s.position, from, partition + 1, -1);
        }
        s.position[partition] = offset + 1;
    }

    /** The offset after the last record read from {@code partition}; -1 before the first. */
    private static long position(State s, int partition) {
        return partition < s.position.length ? s.position[partition] : -1;
    }

    /** The partition of the record being handed out now; -1 outside of one. */
    int currentPartition() {
        return state().current;
    }

    /** The partitions assigned so far, and where each starts (for the end-offset look-up). */
    public Map<Integer, Long> assignedStarts() {
        return Map.copyOf(state().start);
    }

    /** Whether {@code partition}'s starting offset is still a marker to resolve. */
    public boolean startUnresolved(int partition) {
        return !state().resolvedStart.containsKey(partition);
    }

    public void resolvedStart(int partition, long offset) {
        state().resolvedStart.put(partition, offset);
    }

    /** {@code partition} ended at {@code offset} when looked up at {@code observedNanos}. */
    public void observedEnd(int partition, long offset, long observedNanos) {
        state().end.put(partition, new End(offset, observedNanos));
    }

    /**
     * Whether every assigned partition that has not yielded a record yet has nothing to read: its
     * starting offset is at or past its end. False before any partition is assigned, and while any
     * such partition's start or end is not known yet. A generator that has seen no record cannot
     * tell which partition it serves, so it waits for all of them.
     */
    boolean unreadPartitionsAtEnd() {
        State s = state();
        Set<Integer> assigned = s.start.keySet();
        if (assigned.isEmpty()) return false;
        for (int p : assigned) {
            if (position(s, p) >= 0) continue;
            Long from = s.resolvedStart.get(p);
            End end = s.end.get(p);
            if (from == null || end == null || from < end.offset()) return false;
        }
        return true;
    }

    /**
     * Whether {@code partition} has been read to its end, by an end offset looked up after {@code
     * sinceNanos} (the partition's last record): nothing newer is waiting to be read.
     */
    boolean readToEnd(int partition, long sinceNanos) {
        State s = state();
        long at = position(s, partition);
        End end = s.end.get(partition);
        return at >= 0 && end != null && end.observedNanos() - sinceNanos > 0 && at >= end.offset();
    }
}
