package io.incidentanalyzer.simulate;

import io.incidentanalyzer.ingest.StreamKind;
import java.io.IOException;
import java.util.Arrays;

/**
 * One stream's records of one interval, collected in any order and emitted sorted by timestamp;
 * records with equal timestamps keep the order they were added in (a stable sort, so the output
 * does not depend on the sort algorithm).
 */
final class TickBuffer {
    private static final int SEQ_BITS = 24;

    private final StreamKind stream;
    private long[] ts = new long[1024];
    private String[] keys = new String[1024];
    private String[] json = new String[1024];
    private long[] order = new long[1024];
    private int size;
    private long emitted;

    TickBuffer(StreamKind stream) {
        this.stream = stream;
    }

    void add(long t, String key, String line) {
        if (size == ts.length) {
            int n = size * 2;
            ts = Arrays.copyOf(ts, n);
            keys = Arrays.copyOf(keys, n);
            json = Arrays.copyOf(json, n);
            order = new long[n];
        }
        ts[size] = t;
        keys[size] = key;
        json[size] = line;
        size++;
    }

    /** Emits this interval's records by (timestamp, order added) and empties the buffer. */
    void flush(SimulationSink sink, long tickStart) throws IOException {
        if (size >= 1 << SEQ_BITS) {
            throw new IllegalStateException("more than 2^24 records of one stream in one interval");
        }
        for (int i = 0; i < size; i++) {
            long offset = ts[i] - tickStart;
            if (offset < 0) {
                throw new IllegalStateException(
                        stream
                                + " record at "
                                + ts[i]
                                + " before its interval "
                                + tickStart
                                + ": "
                                + json[i]);
            }
            order[i] = offset << SEQ_BITS | i;
        }
        Arrays.sort(order, 0, size);
        int mask = (1 << SEQ_BITS) - 1;
        for (int j = 0; j < size; j++) {
            int i = (int) (order[j] & mask);
            sink.emit(stream, ts[i], keys[i], json[i]);
            keys[i] = null;
            json[i] = null;
        }
        emitted += size;
        size = 0;
    }

    long emitted() {
        return emitted;
    }
}
