package io.incidentanalyzer.detect.sketch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The heavy hitters of a stream of strings in fixed memory: Space-Saving (Metwally, Agrawal and El
 * Abbadi, "Efficient computation of frequent and top-k elements in data streams", 2005). It keeps
 * at most {@code capacity} counters, whatever the number of distinct items.
 *
 * <p>An item already counted gets its counter raised. A new item takes a free counter, or, when all
 * are taken, the counter with the smallest count: it inherits that count, which becomes its error.
 * Hence the guarantees, for every item x with true frequency f(x) in a stream of weight N:
 *
 * <ul>
 *   <li>a counted item's count over-estimates: {@code count − error ≤ f(x) ≤ count}, and {@code
 *       error ≤ N / capacity};
 *   <li>an item that is not counted has {@code f(x) ≤ }{@link #floor()} (the smallest count when
 *       every counter is taken, else 0), so every item with {@code f(x) > N / capacity} is counted.
 * </ul>
 *
 * <p>Two summaries merge ({@link #merge}) into one that keeps both guarantees with per-item error
 * bounds (the mergeable-summary construction of Agarwal et al., 2012): detectors summarize each
 * bucket, then fold it into a reference or an episode.
 *
 * <p>A Flink POJO: the public arrays are the state; the lookup index and the min-heap are transient
 * and rebuilt after a restore. Which counter is replaced among equal smallest counts is decided by
 * slot number, never by the heap's layout, so a restored summary continues exactly as the original
 * would have: the same input gives the same counters.
 */
public class SpaceSaving {
    /** The number of counters, k. */
    public int capacity;

    /** Counters in use; slots {@code 0 .. size-1} of the arrays. */
    public int size;

    /** Total weight offered, N. */
    public long total;

    public String[] items;
    public long[] counts;
    public long[] errors;

    /** Item → slot. */
    private transient Map<String, Integer> index;

    /** Slots as a binary min-heap on (count, slot); {@code position[slot]} is its place there. */
    private transient int[] heap;

    private transient int[] position;

    /** For Flink; use {@link #SpaceSaving(int)}. */
    public SpaceSaving() {}

    public SpaceSaving(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
        this.items = new String[capacity];
        this.counts = new long[capacity];
        this.errors = new long[capacity];
    }

    /** One counted item: its over-estimated count and the most that count may exceed the truth. */
    public record Counter(String item, long count, long error) {
        /** What the item certainly had: {@code count − error}. */
        public long guaranteed() {
            return count - error;
        }
    }

    /** Counts one occurrence of {@code item}. */
    public void add(String item) {
        add(item, 1);
    }

    /** Counts {@code weight} occurrences of {@code item}; a null item counts as "(none)". */
    public void add(String item, long weight) {
        if (weight <= 0) return;
        String x = item == null ? NONE : item;
        ensureIndex();
        total += weight;
        Integer slot = index.get(x);
        if (slot != null) {
            counts[slot] += weight;
            siftDown(position[slot]);
            return;
        }
        if (size < capacity) {
            int s = size++;
            items[s] = x;
            counts[s] = weight;
            errors[s] = 0;
            index.put(x, s);
            heap[s] = s;
            position[s] = s;
            siftUp(s);
            return;
        }
        int s = heap[0];
        long min = counts[s];
        index.remove(items[s]);
        items[s] = x;
        errors[s] = min;
        counts[s] = min + weight;
        index.put(x, s);
        siftDown(0);
    }

    /** The text {@link #add} counts a null item as. */
    public static final String NONE = "(none)";

    /** The most any item that is not counted can have occurred: the smallest count when full. */
    public long floor() {
        if (size < capacity) return 0;
        ensureIndex();
        return counts[heap[0]];
    }

    /** An upper bound of the item's frequency: its count, or {@link #floor()} when not counted. */
    public long upperBound(String item) {
        ensureIndex();
        Integer slot = index.get(item == null ? NONE : item);
        return slot == null ? floor() : counts[slot];
    }

    /** A lower bound of the item's frequency: {@code count − error}, or 0 when not counted. */
    public long lowerBound(String item) {
        ensureIndex();
        Integer slot = index.get(item == null ? NONE : item);
        return slot == null ? 0 : counts[slot] - errors[slot];
    }

    /**
     * The {@code n} largest counters, largest first; equal counts by item, so the order is fixed.
     */
    public List<Counter> top(int n) {
        List<Counter> all = new ArrayList<>(size);
        for (int s = 0; s < size; s++) all.add(new Counter(items[s], counts[s], errors[s]));
        all.sort(BY_COUNT);
        return all.subList(0, Math.min(n, all.size()));
    }

    /** Forgets everything, keeping the capacity (and the arrays). */
    public void clear() {
        Arrays.fill(items, 0, size, null);
        size = 0;
        total = 0;
        if (index != null) index.clear();
    }

    /**
     * Adds another summary of the same capacity to this one, as if this one had seen both streams,
     * with error bounds that stay valid. Each item of either gets an upper bound (its count, or the
     * other summary's floor where it is missing) and a lower bound (count − error, or 0 where
     * missing); both add up, and the {@code capacity} largest upper bounds are kept. Every dropped
     * item's upper bound is at most the smallest kept count, so {@link #floor()} stays an upper
     * bound for every item not counted.
     */
    public void merge(SpaceSaving other) {
        if (other.size == 0) {
            total += other.total;
            return;
        }
        long myFloor = floor();
        long theirFloor = other.floor();
        Map<String, long[]> bounds = new LinkedHashMap<>(2 * (size + other.size));
        for (int s = 0; s < size; s++) {
            bounds.put(items[s], new long[] {counts[s] + theirFloor, counts[s] - errors[s]});
        }
        for (int s = 0; s < other.size; s++) {
            long[] b = bounds.get(other.items[s]);
            long guaranteed = other.counts[s] - other.errors[s];
            if (b == null) {
                bounds.put(other.items[s], new long[] {other.counts[s] + myFloor, guaranteed});
            } else {
                b[0] += other.counts[s] - theirFloor;
                b[1] += guaranteed;
            }
        }
        List<Counter> merged = new ArrayList<>(bounds.size());
        bounds.forEach((item, b) -> merged.add(new Counter(item, b[0], b[0] - b[1])));
        merged.sort(BY_COUNT);
        long weight = total + other.total;
        clear();
        for (int s = 0; s < Math.min(capacity, merged.size()); s++) {
            Counter c = merged.get(s);
            items[s] = c.item();
            counts[s] = c.count();
            errors[s] = c.error();
        }
        size = Math.min(capacity, merged.size());
        total = weight;
        index = null; // rebuilt on next use
    }

    /** Largest count first, then by item: a total order, so reports never depend on layout. */
    private static final Comparator<Counter> BY_COUNT =
            Comparator.comparingLong(Counter::count).reversed().thenComparing(Counter::item);

    private void ensureIndex() {
        if (index != null) return;
        index = new HashMap<>(capacity * 2);
        heap = new int[capacity];
        position = new int[capacity];
        for (int s = 0; s < size; s++) {
            index.put(items[s], s);
            heap[s] = s;
            position[s] = s;
        }
        for (int i = size / 2 - 1; i >= 0; i--) siftDown(i);
    }

    /** Whether slot a orders before slot b: smaller count, then smaller slot number. */
    private boolean before(int a, int b) {
        return counts[a] < counts[b] || (counts[a] == counts[b] && a < b);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!before(heap[i], heap[parent])) return;
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) return;
            int smallest = left;
            int right = left + 1;
            if (right < size && before(heap[right], heap[left])) smallest = right;
            if (!before(heap[smallest], heap[i])) return;
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int i, int j) {
        int a = heap[i];
        int b = heap[j];
        heap[i] = b;
        heap[j] = a;
        position[b] = i;
        position[a] = j;
    }
}
