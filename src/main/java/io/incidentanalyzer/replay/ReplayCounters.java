package io.incidentanalyzer.replay;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Records read and the newest event time seen by one replay, shared between the file readers and
 * the thread that reports progress. This works because a replay runs on a MiniCluster in this JVM:
 * the readers find their run's counters by id in a process-wide registry. On a remote cluster the
 * id is unknown there and the readers count nothing.
 *
 * <p>Readers add in batches ({@link #BATCH} records or the end of a file), so the shared counters
 * are touched rarely and the figures during a run lag the truth by at most a batch per file; after
 * the run they are exact.
 */
final class ReplayCounters {
    static final int BATCH = 1024;

    private static final Map<String, ReplayCounters> RUNNING = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();
    private final LongAdder records = new LongAdder();
    private final AtomicLong maxEventTime = new AtomicLong(Long.MIN_VALUE);

    private ReplayCounters() {}

    /** New counters, findable by {@link #id()} until {@link #unregister()}. */
    static ReplayCounters register() {
        ReplayCounters c = new ReplayCounters();
        RUNNING.put(c.id, c);
        return c;
    }

    /** The counters of a running replay, or null when there are none in this JVM. */
    static ReplayCounters lookup(String id) {
        return id == null ? null : RUNNING.get(id);
    }

    String id() {
        return id;
    }

    void unregister() {
        RUNNING.remove(id);
    }

    void add(long recordCount, long newestEventTime) {
        records.add(recordCount);
        if (newestEventTime != Long.MIN_VALUE) {
            maxEventTime.accumulateAndGet(newestEventTime, Math::max);
        }
    }

    long records() {
        return records.sum();
    }

    /** Epoch milliseconds; {@link Long#MIN_VALUE} before the first event. */
    long maxEventTime() {
        return maxEventTime.get();
    }
}
