package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.RefreshStormSettings;
import io.incidentanalyzer.detect.auth.AuthEpisode;
import io.incidentanalyzer.detect.auth.RefreshStormDetector;
import io.incidentanalyzer.detect.auth.RefreshStormState;
import io.incidentanalyzer.detect.sketch.SpaceSaving;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.Signal;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The refresh-storm detector in Flink's operator harness (heap state, event-time timers): ns per
 * auth event. One invocation is one second of one token service's events, {@value #EVENTS}
 * refreshes, and a watermark. {@code calm}: sessions refresh once per 14 minutes (168,000 sessions,
 * every user and address distinct). {@code storm}: a quarter of that, plus 1,500 sessions of one
 * new version refreshing every 10 s, after a 10-minute calm warm-up: an open storm whose heavy
 * hitters are updated by every event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RefreshStormDetectorBenchmark {
    static final int EVENTS = 200;
    static final long T0 = 1_708_066_800_000L;
    static final String SERVICE = "token-verification";

    @Param({"calm", "storm"})
    public String load;

    private KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> harness;
    private Traffic traffic;
    private long second;

    /** Refreshes second by second: calm sessions once per 840 s, looping ones every 10 s. */
    static final class Traffic {
        final int calmPerSecond;
        final int loopers;
        final String[] users;
        final String[] sessions;
        final String[] ips;

        Traffic(int calmPerSecond, int loopers) {
            this.calmPerSecond = calmPerSecond;
            this.loopers = loopers;
            int n = calmPerSecond * 840 + loopers;
            users = new String[n];
            sessions = new String[n];
            ips = new String[n];
            for (int i = 0; i < n; i++) {
                users[i] = "u-" + i;
                sessions[i] = String.format(Locale.ROOT, "s-%016x", i * 0x9E3779B97F4A7C15L);
                ips[i] = "10." + (i >>> 16 & 0xFF) + "." + (i >>> 8 & 0xFF) + "." + (i & 0xFF);
            }
        }

        /** The events of second {@code s}, {@code looping} or not. */
        void second(
                KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> h,
                long s,
                boolean looping,
                int events)
                throws Exception {
            long t0 = T0 + s * 1000;
            int calm = looping ? calmPerSecond : events;
            int calmSessions = calmPerSecond * 840;
            for (int i = 0; i < calm; i++) {
                int id = (int) ((s * calm + i) % calmSessions);
                String client = id % 5 < 3 ? "web" : id % 5 == 3 ? "ios" : "android";
                String version = id % 5 < 3 ? "2024.02.09" : id % 5 == 3 ? "3.14.2" : "3.14.0";
                send(h, t0 + i * 1000L / calm, client, version, id);
            }
            if (!looping) return;
            int perSecond = events - calm; // loopers / 10
            for (int i = 0; i < perSecond; i++) {
                int id = calmSessions + (int) ((s % 10) * perSecond + i);
                send(h, t0 + i * 1000L / perSecond, "web", "2024.02.16", id);
            }
        }

        private void send(
                KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> h,
                long ts,
                String client,
                String version,
                int id)
                throws Exception {
            h.processElement(
                    new AuthEvent(
                            ts,
                            SERVICE,
                            AuthEventType.REFRESH,
                            client,
                            version,
                            users[id],
                            sessions[id],
                            ips[id],
                            null,
                            "success",
                            null),
                    ts);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness = newHarness();
        harness.open();
        boolean storm = load.equals("storm");
        traffic = storm ? new Traffic(EVENTS / 4, EVENTS * 3 / 4 * 10) : new Traffic(EVENTS, 0);
        // Ten minutes of calm traffic at the calm rate warm the baseline up.
        for (second = 0; second < 600; second++) {
            traffic.second(harness, second, false, traffic.calmPerSecond);
            harness.processWatermark(T0 + second * 1000 - 5000);
        }
        harness.getOutput().clear();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, AuthEvent, Signal> newHarness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new RefreshStormDetector("bench", RefreshStormSettings.defaults())),
                AuthEvent::service,
                Types.STRING);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void second() throws Exception {
        traffic.second(harness, second, load.equals("storm"), EVENTS);
        harness.processWatermark(T0 + second * 1000 - 5000);
        second++;
        harness.getOutput().clear();
    }

    /**
     * Checkpointed bytes of one token service's state, and whether they depend on the number of
     * distinct clients: a storm of 1,000,000 refreshes whose client ids (and users and addresses)
     * take 10,000 or 1,000,000 distinct values. Printed for docs/benchmarks.md.
     */
    public static void main(String[] args) throws Exception {
        for (int distinct : new int[] {10_000, 1_000_000}) {
            System.out.printf(
                    Locale.ROOT,
                    "%,d distinct client ids: SpaceSaving(64) retains %,d heap bytes (index"
                            + " included)%n",
                    distinct,
                    retainedHeapPerSketch(distinct));
        }
        for (int distinct : new int[] {10_000, 1_000_000}) {
            var h = newHarness();
            h.open();
            Traffic calm = new Traffic(20, 0);
            long s = 0;
            for (; s < 900; s++) {
                calm.second(h, s, false, 20);
                h.processWatermark(T0 + s * 1000 - 5000);
            }
            // 1,000,000 refreshes in 500 s from 1,000 looping sessions, clients cycling.
            long n = 0;
            for (; s < 1400; s++) {
                calm.second(h, s, false, 20);
                for (int i = 0; i < 2000; i++, n++) {
                    long ts = T0 + s * 1000 + i / 2;
                    int c = (int) (n % distinct);
                    String id = String.format(Locale.ROOT, "client-%07d", c);
                    h.processElement(
                            new AuthEvent(
                                    ts,
                                    SERVICE,
                                    AuthEventType.REFRESH,
                                    id,
                                    "2024.02.16",
                                    "u-" + id,
                                    "s-loop-" + (n % 1000),
                                    "ip-" + id,
                                    null,
                                    "success",
                                    null),
                            ts);
                }
                h.processWatermark(T0 + s * 1000 - 5000);
            }
            h.processWatermark(T0 + s * 1000);
            long signals = h.extractOutputValues().size();
            KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
            backend.setCurrentKey(SERVICE);
            RefreshStormState state =
                    backend.getPartitionedState(
                                    VoidNamespace.INSTANCE,
                                    VoidNamespaceSerializer.INSTANCE,
                                    RefreshStormDetector.stateDescriptor())
                            .value();
            AuthEpisode episode =
                    backend.getPartitionedState(
                                    VoidNamespace.INSTANCE,
                                    VoidNamespaceSerializer.INSTANCE,
                                    RefreshStormDetector.episodeDescriptor())
                            .value();
            System.out.printf(
                    Locale.ROOT,
                    "%,d distinct clients: RefreshStormState %,d bytes, AuthEpisode %,d"
                            + " bytes (signals so far %d), one SpaceSaving(64) of client ids %,d"
                            + " bytes%n",
                    distinct,
                    StateBytes.of(RefreshStormState.class, state),
                    episode == null ? 0 : StateBytes.of(AuthEpisode.class, episode),
                    signals,
                    StateBytes.of(SpaceSaving.class, episode.hitters.clientId));
            h.close();
        }
    }

    /**
     * Heap bytes one Space-Saving summary of 64 counters retains after {@code distinct} client ids
     * went through it, strings included: the used heap after a full GC with 100 such summaries
     * alive, minus before, divided by 100.
     */
    static long retainedHeapPerSketch(int distinct) {
        int sketches = 100;
        String[] ids = new String[distinct];
        for (int i = 0; i < distinct; i++) ids[i] = String.format(Locale.ROOT, "client-%07d", i);
        var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        SpaceSaving[] kept = new SpaceSaving[sketches];
        for (int k = 0; k < sketches; k++) {
            kept[k] = new SpaceSaving(64);
            for (int i = 0; i < distinct; i++) {
                // A copy, as each event brings its own: the counted strings belong to the sketch.
                kept[k].add(new String(ids[(i + k * 7919) % distinct]));
            }
        }
        for (int i = 0; i < 3; i++) System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        java.lang.ref.Reference.reachabilityFence(ids);
        long perSketch = (after - before) / sketches;
        if (kept[sketches - 1].size != 64) throw new IllegalStateException("not full");
        return perSketch;
    }
}
