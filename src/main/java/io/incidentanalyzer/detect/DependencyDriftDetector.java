package io.incidentanalyzer.detect;

import io.incidentanalyzer.config.DependencyDriftSettings;
import io.incidentanalyzer.config.DurationText;
import io.incidentanalyzer.config.ServiceConfig;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Flags a service that uses another host for a dependency than it should: a host not among the
 * dependency's configured hosts ({@code services.<dependency>.hosts}), or, with none configured, a
 * host other than the one at least {@code minPeers} of its fellow callers agree on. Keyed by
 * dependency, so one key sees every caller; reports ({@link HostReport}) are seen in event-time
 * order (see {@link EventTimeOrderedFunction}).
 *
 * <p>A caller's signal opens when it has reported the unexpected host for {@code sustain} (0: at
 * the first line naming it), reports UPDATE when it moves to yet another unexpected host, and
 * clears at its first report of an expected host, or when it reports nothing for {@code
 * noDataAfter}. A caller is judged at its own reports: a host is a fact each line restates.
 *
 * <p>State per dependency: its callers heard from within {@code noDataAfter} (each forgotten after
 * that by one no-data timer per dependency), at most {@code maxCallers}; past that the least
 * recently seen caller is dropped, counted in {@code callersEvicted}, its signal cleared.
 */
public class DependencyDriftDetector extends EventTimeOrderedFunction<HostReport, Signal> {
    private static final long serialVersionUID = 1L;
    private static final long TIMER_ROUNDING_MS = 1000;
    private static final int PEERS_LISTED = 8;

    private static final Comparator<HostReport> TIE_BREAK =
            Comparator.comparing(HostReport::caller).thenComparing(HostReport::host);

    private final String environment;
    private final DependencyDriftSettings settings;
    private final HashMap<String, List<String>> configuredHosts;

    private transient ValueState<DependencyHosts> dependencies;
    private transient Counter signalsOut;
    private transient Counter callersEvicted;

    /**
     * @param configuredHosts dependency → its expected hosts, lower-cased (see {@link
     *     #configuredHosts(Map)}); a dependency without any is judged by its callers' majority
     */
    public DependencyDriftDetector(
            String environment,
            DependencyDriftSettings settings,
            Map<String, List<String>> configuredHosts) {
        super(HostReport.class);
        this.environment = environment;
        this.settings = settings;
        this.configuredHosts = new HashMap<>();
        configuredHosts.forEach((k, v) -> this.configuredHosts.put(k, List.copyOf(v)));
    }

    /**
     * The job file's {@code services.<name>.hosts}, lower-cased, for the services that have some.
     */
    public static Map<String, List<String>> configuredHosts(Map<String, ServiceConfig> services) {
        Map<String, List<String>> hosts = new LinkedHashMap<>();
        services.forEach(
                (name, s) -> {
                    if (!s.hosts().isEmpty()) {
                        hosts.put(
                                name,
                                s.hosts().stream().map(DependencyDriftDetector::norm).toList());
                    }
                });
        return hosts;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        super.open(openContext);
        ValueStateDescriptor<DependencyHosts> d =
                new ValueStateDescriptor<>("callers", DependencyHosts.class);
        // Backstop only: callers are forgotten by the no-data timer. TTL is processing time.
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(7)).build());
        dependencies = getRuntimeContext().getState(d);
        signalsOut = getRuntimeContext().getMetricGroup().counter("signals");
        callersEvicted = getRuntimeContext().getMetricGroup().counter("callersEvicted");
    }

    @Override
    protected Comparator<HostReport> tieBreak() {
        return TIE_BREAK;
    }

    @Override
    protected String describe(HostReport r) {
        return r.toString();
    }

    @Override
    protected void onOrdered(HostReport r, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        long ts = ctx.timestamp();
        DependencyHosts d = dependencies.value();
        if (d == null) d = new DependencyHosts();
        String host = norm(r.host());
        CallerHost c = find(d, r.caller());
        if (c == null) {
            if (d.callers.size() >= settings.maxCallers()) evictOne(d, r.dependency(), ts, out);
            c = new CallerHost();
            c.caller = r.caller();
            d.callers.add(c);
        }
        if (!host.equals(c.host)) {
            c.host = host;
            c.since = ts;
        }
        c.lastSeen = ts;

        List<String> expected = expected(d, c, r.dependency());
        if (expected != null && !expected.contains(c.host)) {
            if (!c.open && ts - c.since >= settings.sustain().toMillis()) {
                c.open = true;
                c.onset = c.since;
                c.signalId =
                        "dependency-drift:"
                                + environment
                                + ":"
                                + c.caller
                                + "/"
                                + r.dependency()
                                + ":"
                                + c.onset;
                c.expected = describeExpected(d, c, r.dependency(), expected);
                c.reportedHost = c.host;
                emit(out, c, r.dependency(), SignalState.OPEN, ts, evidence(d, c, r.dependency()));
            } else if (c.open && !c.host.equals(c.reportedHost)) {
                c.expected = describeExpected(d, c, r.dependency(), expected);
                c.reportedHost = c.host;
                emit(
                        out,
                        c,
                        r.dependency(),
                        SignalState.UPDATE,
                        ts,
                        evidence(d, c, r.dependency()));
            }
        } else if (expected != null && c.open) {
            List<String> evidence = evidence(d, c, r.dependency());
            evidence.add(
                    "back on "
                            + c.host
                            + " since "
                            + Instant.ofEpochMilli(c.since)
                            + ", as expected");
            emit(out, c, r.dependency(), SignalState.CLEAR, ts, evidence);
            endEpisode(c);
        }
        // No verdict (no configured hosts and no agreeing peers): an open signal stays open
        // until the caller reports an expected host or falls silent.
        armTimer(ctx, d, c.lastSeen);
        dependencies.update(d);
    }

    @Override
    protected void onTick(long timestamp, OnTimerContext ctx, Collector<Signal> out)
            throws Exception {
        DependencyHosts d = dependencies.value();
        if (d == null || timestamp != d.timer) return;
        d.timer = -1; // fired: nothing to delete
        long limit = settings.noDataAfter().toMillis();
        String dependency = ctx.getCurrentKey();
        long oldest = Long.MAX_VALUE;
        for (CallerHost c : new ArrayList<>(d.callers)) {
            if (c.lastSeen + limit <= timestamp) {
                if (c.open) {
                    List<String> evidence = evidence(d, c, dependency);
                    evidence.add(
                            "no reports since "
                                    + Instant.ofEpochMilli(c.lastSeen)
                                    + " (no-data limit "
                                    + DurationText.format(settings.noDataAfter())
                                    + ")");
                    emit(out, c, dependency, SignalState.CLEAR, timestamp, evidence);
                }
                d.callers.remove(c);
            } else {
                oldest = Math.min(oldest, c.lastSeen);
            }
        }
        if (d.callers.isEmpty()) {
            dependencies.clear();
            return;
        }
        armTimer(ctx, d, oldest);
        dependencies.update(d);
    }

    /** Registers the no-data timer for the caller heard from longest ago, unless one is pending. */
    private void armTimer(OnTimerContext ctx, DependencyHosts d, long oldestLastSeen) {
        if (d.timer >= 0) return; // re-armed lazily in onTick
        long due = oldestLastSeen + settings.noDataAfter().toMillis();
        d.timer = Math.floorDiv(due + TIMER_ROUNDING_MS - 1, TIMER_ROUNDING_MS) * TIMER_ROUNDING_MS;
        ctx.timerService().registerEventTimeTimer(d.timer);
    }

    private void evictOne(DependencyHosts d, String dependency, long ts, Collector<Signal> out) {
        CallerHost oldest = d.callers.get(0);
        for (CallerHost c : d.callers) {
            if (c.lastSeen < oldest.lastSeen) oldest = c;
        }
        callersEvicted.inc();
        if (oldest.open) {
            List<String> evidence = evidence(d, oldest, dependency);
            evidence.add(
                    "no longer tracked: more than "
                            + settings.maxCallers()
                            + " callers (detectors.dependencyDrift.maxCallers)");
            emit(out, oldest, dependency, SignalState.CLEAR, ts, evidence);
        }
        d.callers.remove(oldest);
    }

    /**
     * The hosts a caller should use: the configured ones, else the one host that at least {@code
     * minPeers} other callers report and more of them than any other host; null when there is no
     * telling. Allocates nothing: it runs for every report.
     */
    private List<String> expected(DependencyHosts d, CallerHost c, String dependency) {
        List<String> configured = configuredHosts.get(dependency);
        if (configured != null) return configured;
        String top = null;
        int topVotes = 0;
        boolean tie = false;
        for (CallerHost p : d.callers) {
            if (p == c) continue;
            int votes = votes(d, c, p.host);
            if (votes > topVotes) {
                top = p.host;
                topVotes = votes;
                tie = false;
            } else if (votes == topVotes && !p.host.equals(top)) {
                tie = true;
            }
        }
        return top == null || tie || topVotes < settings.minPeers() ? null : List.of(top);
    }

    /** Callers other than {@code c} that report {@code host}. */
    private static int votes(DependencyHosts d, CallerHost c, String host) {
        int votes = 0;
        for (CallerHost p : d.callers) {
            if (p != c && p.host.equals(host)) votes++;
        }
        return votes;
    }

    /** What {@link #expected} found, in words, for the evidence. */
    private String describeExpected(
            DependencyHosts d, CallerHost c, String dependency, List<String> hosts) {
        if (configuredHosts.containsKey(dependency)) {
            return "expected "
                    + String.join(" or ", hosts)
                    + " (services."
                    + dependency
                    + ".hosts)";
        }
        return String.format(
                Locale.ROOT,
                "its peers use %s (%d of %d other callers)",
                hosts.get(0),
                votes(d, c, hosts.get(0)),
                d.callers.size() - 1);
    }

    private List<String> evidence(DependencyHosts d, CallerHost c, String dependency) {
        List<String> evidence = new ArrayList<>(4);
        evidence.add(
                c.caller
                        + " reports "
                        + dependency
                        + " host "
                        + (c.open ? c.reportedHost : c.host)
                        + " since "
                        + Instant.ofEpochMilli(c.open ? c.onset : c.since));
        if (c.expected != null) evidence.add(c.expected);
        StringBuilder peers = new StringBuilder();
        int listed = 0;
        for (CallerHost p : d.callers) {
            if (p == c) continue;
            if (listed == PEERS_LISTED) {
                peers.append(", …");
                break;
            }
            peers.append(listed == 0 ? "" : ", ").append(p.caller).append(" → ").append(p.host);
            listed++;
        }
        evidence.add(listed == 0 ? "no other callers report a host" : "peers: " + peers);
        return evidence;
    }

    private static void endEpisode(CallerHost c) {
        c.open = false;
        c.signalId = null;
        c.onset = -1;
        c.reportedHost = null;
        c.expected = null;
    }

    private static CallerHost find(DependencyHosts d, String caller) {
        for (CallerHost c : d.callers) {
            if (c.caller.equals(caller)) return c;
        }
        return null;
    }

    /** Host names are case-insensitive. */
    static String norm(String host) {
        return host.trim().toLowerCase(Locale.ROOT);
    }

    /** The signal's figures: 1 for the one host off; the evidence carries the facts. */
    private void emit(
            Collector<Signal> out,
            CallerHost c,
            String dependency,
            SignalState state,
            long ts,
            List<String> evidence) {
        signalsOut.inc();
        out.collect(
                new Signal(
                        c.signalId,
                        SignalKind.DEPENDENCY_DRIFT,
                        environment,
                        c.caller,
                        dependency + " host",
                        state,
                        ts,
                        c.onset,
                        c.onset,
                        1,
                        1,
                        0,
                        1,
                        settings.severity(),
                        evidence,
                        state == SignalState.CLEAR ? c.lastSeen : -1,
                        Measured.dependencyHost(dependency, c.open ? c.reportedHost : c.host),
                        null));
    }
}
