package io.incidentanalyzer.detect.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SpaceSavingTest {

    /** A Zipf-like stream over {@code distinct} items: item i has weight 1 / (i + 1). */
    private static String[] zipf(int length, int distinct, long seed) {
        double[] cumulative = new double[distinct];
        double sum = 0;
        for (int i = 0; i < distinct; i++) {
            sum += 1.0 / (i + 1);
            cumulative[i] = sum;
        }
        Random rng = new Random(seed);
        String[] stream = new String[length];
        for (int n = 0; n < length; n++) {
            double u = rng.nextDouble() * sum;
            int lo = 0;
            int hi = distinct - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] < u) lo = mid + 1;
                else hi = mid;
            }
            stream[n] = "client-" + lo;
        }
        return stream;
    }

    private static Map<String, Long> truth(String[] stream) {
        Map<String, Long> counts = new HashMap<>();
        for (String s : stream) counts.merge(s, 1L, Long::sum);
        return counts;
    }

    /** Both guarantees, for every item of the stream. */
    private static void assertGuarantees(SpaceSaving sketch, Map<String, Long> truth) {
        long n = truth.values().stream().mapToLong(Long::longValue).sum();
        assertThat(sketch.total).isEqualTo(n);
        for (SpaceSaving.Counter c : sketch.top(sketch.capacity)) {
            long f = truth.getOrDefault(c.item(), 0L);
            assertThat(c.count()).as("%s over-estimates", c.item()).isGreaterThanOrEqualTo(f);
            assertThat(c.guaranteed()).as("%s lower bound", c.item()).isLessThanOrEqualTo(f);
        }
        java.util.Set<String> counted = new java.util.HashSet<>();
        for (SpaceSaving.Counter c : sketch.top(sketch.capacity)) counted.add(c.item());
        truth.forEach(
                (item, f) -> {
                    assertThat(sketch.upperBound(item))
                            .as("upper bound of %s", item)
                            .isGreaterThanOrEqualTo(f);
                    assertThat(sketch.lowerBound(item))
                            .as("lower bound of %s", item)
                            .isLessThanOrEqualTo(f);
                    if (f > n / sketch.capacity) {
                        assertThat(counted)
                                .as(
                                        "%s (f = %d > N/k = %d) is counted",
                                        item, f, n / sketch.capacity)
                                .contains(item);
                    } else if (!counted.contains(item)) {
                        assertThat(f)
                                .as("%s is not counted", item)
                                .isLessThanOrEqualTo(sketch.floor());
                    }
                });
    }

    @Test
    void countsExactlyWhileTheItemsFit() {
        SpaceSaving s = new SpaceSaving(4);
        for (String x : new String[] {"a", "b", "a", "c", "a", "b"}) s.add(x);

        assertThat(s.top(3))
                .containsExactly(
                        new SpaceSaving.Counter("a", 3, 0),
                        new SpaceSaving.Counter("b", 2, 0),
                        new SpaceSaving.Counter("c", 1, 0));
        assertThat(s.floor()).as("not full: a missing item had none").isZero();
        assertThat(s.upperBound("d")).isZero();
    }

    @Test
    void replacesTheSmallestCounterAndKeepsItsCountAsTheError() {
        SpaceSaving s = new SpaceSaving(2);
        for (String x : new String[] {"a", "a", "a", "b", "c"}) s.add(x);

        // c took b's counter (count 1): c is counted 2 with error 1.
        assertThat(s.top(2))
                .containsExactly(
                        new SpaceSaving.Counter("a", 3, 0), new SpaceSaving.Counter("c", 2, 1));
        assertThat(s.upperBound("b")).as("b may have had up to the floor").isEqualTo(2);
        assertThat(s.lowerBound("b")).isZero();
    }

    @Test
    void guaranteesHoldOnASkewedStreamOfManyDistinctItems() {
        String[] stream = zipf(200_000, 50_000, 1);
        SpaceSaving s = new SpaceSaving(64);
        for (String x : stream) s.add(x);

        Map<String, Long> truth = truth(stream);
        assertGuarantees(s, truth);
        for (SpaceSaving.Counter c : s.top(64)) {
            assertThat(c.error()).isLessThanOrEqualTo(stream.length / 64);
        }
        assertThat(s.top(1).get(0).item()).isEqualTo("client-0");
    }

    @Test
    void aNullItemIsCountedAsNone() {
        SpaceSaving s = new SpaceSaving(4);
        s.add(null);
        s.add(null);

        assertThat(s.top(1)).containsExactly(new SpaceSaving.Counter(SpaceSaving.NONE, 2, 0));
        assertThat(s.upperBound(null)).isEqualTo(2);
    }

    @Test
    void mergedSummariesKeepTheGuaranteesOfTheWholeStream() {
        String[] first = zipf(50_000, 5_000, 2);
        String[] second = zipf(50_000, 5_000, 3);
        SpaceSaving a = new SpaceSaving(32);
        SpaceSaving b = new SpaceSaving(32);
        for (String x : first) a.add(x);
        for (String x : second) b.add(x);
        // A third stream in which one rare item of the first two dominates.
        SpaceSaving c = new SpaceSaving(32);
        for (int i = 0; i < 30_000; i++) c.add("client-4999");

        a.merge(b);
        a.merge(c);

        Map<String, Long> truth = truth(first);
        truth(second).forEach((k, v) -> truth.merge(k, v, Long::sum));
        truth.merge("client-4999", 30_000L, Long::sum);
        assertGuarantees(a, truth);
        assertThat(a.top(2))
                .extracting(SpaceSaving.Counter::item)
                .contains("client-4999", "client-0");
    }

    @Test
    void topIsOrderedByCountThenItem() {
        SpaceSaving s = new SpaceSaving(8);
        for (String x : new String[] {"b", "a", "c", "c"}) s.add(x);

        assertThat(s.top(8)).extracting(SpaceSaving.Counter::item).containsExactly("c", "a", "b");
    }

    /**
     * Every add against the algorithm done the slow way: a linear search for the item, and when it
     * is new and every counter is taken, a scan for the smallest (count, slot). Streams of few and
     * of many distinct items, weights above one, nulls, a clear and merges in between, so that the
     * index sees insertions, replacements and removals in every pattern of collisions.
     */
    @Test
    void everyAddMatchesALinearScanOfTheCounters() {
        Random random = new Random(9);
        for (int capacity : new int[] {1, 3, 16, 64, 100}) {
            SpaceSaving sketch = new SpaceSaving(capacity);
            String[] items = new String[capacity];
            long[] counts = new long[capacity];
            int size = 0;
            for (int n = 0; n < 30_000; n++) {
                if (n % 10_000 == 9_999) {
                    SpaceSaving other = new SpaceSaving(capacity);
                    other.add("merged-" + n, 5);
                    sketch.merge(other); // rebuilds the index from the arrays
                    System.arraycopy(sketch.items, 0, items, 0, capacity);
                    System.arraycopy(sketch.counts, 0, counts, 0, capacity);
                    size = sketch.size;
                    continue;
                }
                if (n == 15_000) {
                    sketch.clear();
                    java.util.Arrays.fill(items, null);
                    size = 0;
                    continue;
                }
                int distinct = n < 12_000 ? 2 * capacity : 5_000;
                String item = random.nextInt(50) == 0 ? null : "i" + random.nextInt(distinct);
                long weight = 1 + (random.nextInt(8) == 0 ? random.nextInt(4) : 0);
                sketch.add(item, weight);
                String x = item == null ? SpaceSaving.NONE : item;
                int slot = java.util.Arrays.asList(items).subList(0, size).indexOf(x);
                if (slot >= 0) {
                    counts[slot] += weight;
                } else if (size < capacity) {
                    items[size] = x;
                    counts[size++] = weight;
                } else {
                    int min = 0;
                    for (int s = 1; s < capacity; s++) if (counts[s] < counts[min]) min = s;
                    items[min] = x;
                    counts[min] += weight;
                }
                assertThat(sketch.items).as("after add %d", n).containsExactly(items);
                assertThat(sketch.counts).as("after add %d", n).containsExactly(counts);
                assertThat(sketch.upperBound(x)).isEqualTo(counts[indexOf(items, size, x)]);
            }
        }
    }

    private static int indexOf(String[] items, int size, String x) {
        for (int s = 0; s < size; s++) if (items[s].equals(x)) return s;
        return -1;
    }

    @Test
    void isAFlinkPojoAndContinuesIdenticallyAfterARestore() throws Exception {
        TypeInformation<SpaceSaving> type = TypeInformation.of(SpaceSaving.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class); // no Kryo fallback
        TypeSerializer<SpaceSaving> serializer = type.createSerializer(new SerializerConfigImpl());

        String[] stream = zipf(40_000, 20_000, 4);
        SpaceSaving original = new SpaceSaving(16);
        for (int i = 0; i < 20_000; i++) original.add(stream[i]);

        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(original, out);
        SpaceSaving restored =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        SpaceSaving copied = serializer.copy(original);

        for (int i = 20_000; i < stream.length; i++) {
            original.add(stream[i]);
            restored.add(stream[i]);
            copied.add(stream[i]);
        }
        // Same counters in the same slots: which counter is replaced never depends on the heap.
        assertThat(restored.items).containsExactly(original.items);
        assertThat(restored.counts).containsExactly(original.counts);
        assertThat(restored.errors).containsExactly(original.errors);
        assertThat(copied.items).containsExactly(original.items);
        assertThat(restored.top(16)).isEqualTo(original.top(16));
    }

    @Test
    void memoryDoesNotGrowWithTheNumberOfDistinctItems() throws Exception {
        TypeSerializer<SpaceSaving> serializer =
                TypeInformation.of(SpaceSaving.class).createSerializer(new SerializerConfigImpl());
        int[] sizes = new int[2];
        int[] distinct = {10_000, 1_000_000};
        for (int run = 0; run < 2; run++) {
            SpaceSaving s = new SpaceSaving(64);
            for (int i = 0; i < distinct[run]; i++) s.add(String.format("client-%07d", i));
            DataOutputSerializer out = new DataOutputSerializer(1024);
            serializer.serialize(s, out);
            sizes[run] = out.length();
        }
        assertThat(sizes[1]).isEqualTo(sizes[0]);
    }
}
