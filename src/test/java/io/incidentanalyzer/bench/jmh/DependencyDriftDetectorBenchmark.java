package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.DependencyDriftSettings;
import io.incidentanalyzer.detect.CallerHost;
import io.incidentanalyzer.detect.DependencyDriftDetector;
import io.incidentanalyzer.detect.DependencyHosts;
import io.incidentanalyzer.detect.HostReport;
import io.incidentanalyzer.model.Signal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
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
 * The dependency-drift detector in Flink's operator harness (heap state, event-time timers): ns per
 * host report. {@value #DEPENDENCIES} dependencies with {@value #CALLERS} callers each; one
 * invocation is one minute of health lines (one report per caller) and a watermark. {@code
 * configured}: the dependencies have configured hosts; {@code peers}: none, callers are compared
 * with each other. Every tenth caller reports a wrong host, so an episode is open per dependency.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DependencyDriftDetectorBenchmark {
    static final int DEPENDENCIES = 100;
    static final int CALLERS = 10;

    @Param({"configured", "peers"})
    public String expected;

    private KeyedOneInputStreamOperatorTestHarness<String, HostReport, Signal> harness;
    private HostReport[] minute;
    private long ts;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DependencyDriftSettings settings =
                new DependencyDriftSettings(Map.of("db.host", "db"), null, null, null, null, null);
        Map<String, List<String>> configured =
                expected.equals("configured") ? hostsOfEveryDependency() : Map.of();
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new DependencyDriftDetector("bench", settings, configured)),
                        HostReport::dependency,
                        Types.STRING);
        harness.open();
        minute = new HostReport[DEPENDENCIES * CALLERS];
        for (int d = 0; d < DEPENDENCIES; d++) {
            for (int c = 0; c < CALLERS; c++) {
                String host = c == 0 ? "db-" + d + "-legacy.internal" : "db-" + d + ".internal";
                minute[d * CALLERS + c] = new HostReport(0, "dep-" + d, "svc-" + c, host);
            }
        }
        ts = 1_700_000_000_000L;
    }

    private static Map<String, List<String>> hostsOfEveryDependency() {
        Map<String, List<String>> hosts = new java.util.HashMap<>();
        for (int d = 0; d < DEPENDENCIES; d++)
            hosts.put("dep-" + d, List.of("db-" + d + ".internal"));
        return hosts;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    @OperationsPerInvocation(DEPENDENCIES * CALLERS)
    public void minute() throws Exception {
        ts += 60_000;
        for (int i = 0; i < minute.length; i++) {
            HostReport r = minute[i];
            long at = ts + i % CALLERS; // callers a millisecond apart
            harness.processElement(new HostReport(at, r.dependency(), r.caller(), r.host()), at);
        }
        harness.processWatermark(ts + CALLERS);
        harness.getOutput().clear();
    }

    /** Checkpointed bytes of one dependency's state with ten callers, one drifting. */
    public static void main(String[] args) {
        DependencyHosts d = new DependencyHosts();
        for (int c = 0; c < CALLERS; c++) {
            CallerHost h = new CallerHost();
            h.caller = c == 0 ? "token-verification" : "service-" + c;
            h.host = c == 0 ? "db-legacy.internal" : "db-main.internal";
            h.since = 1_708_069_500_000L;
            h.lastSeen = 1_708_069_560_000L;
            if (c == 0) {
                h.open = true;
                h.onset = h.since;
                h.signalId =
                        "dependency-drift:watermelon-prod:token-verification/database:" + h.since;
                h.reportedHost = h.host;
                h.expected = "expected db-main.internal (services.database.hosts)";
            }
            d.callers.add(h);
        }
        d.timer = 1_708_069_800_000L;
        System.out.println(
                "DependencyHosts bytes (10 callers, 1 open): "
                        + StateBytes.of(DependencyHosts.class, d));
    }
}
