package io.incidentanalyzer.simulate;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.ComponentState;
import java.io.IOException;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a scenario into the four input streams and its ground truth, deterministically: the same
 * scenario and seed give the same records, byte for byte. Time advances in steps of the scenario's
 * interval; each step runs the service model (demand, capacity, backlog, latency, errors), the
 * sessions' token events and the logs, then emits that interval's records per stream, sorted by
 * time. The model is described in docs/simulator.md.
 */
public final class Simulator {
    static final String[] METRICS = {
        "request_rate",
        "latency_p95_ms",
        "error_ratio",
        "cpu_utilization",
        "queue_depth",
        "in_flight",
        "connection_pool_utilization"
    };
    private static final int[] DECIMALS = {2, 1, 5, 2, 0, 2, 2};
    private static final int POOL = 6;

    /** At most this many MISSING_TOKEN events per second per fault (docs/simulator.md). */
    static final double MISSING_TOKEN_CAP_PER_SECOND = 200;

    /** At most this many VERIFY_ERROR events per interval. */
    static final int VERIFY_ERROR_CAP = 50;

    /** One failed verification in this many is logged as VERIFY_ERROR. */
    static final double VERIFY_ERROR_SAMPLING = 100;

    /** At most this many WARN/ERROR log lines per service per interval. */
    static final int ERROR_LINES_CAP = 5;

    /** One error log line per this many failed requests (at least one when errors are ≥ 1 %). */
    static final double FAILURES_PER_LINE = 200;

    static final long HEALTH_LINE_EVERY_MS = 60_000;

    /** A queue smaller than this many seconds of its service's capacity is empty (rounding). */
    static final double DRAINED_S = 1e-9;

    private final ScenarioLoader.Loaded loaded;
    private final long seed;

    public Simulator(ScenarioLoader.Loaded scenario, long seed) {
        this.loaded = scenario;
        this.seed = seed;
    }

    /** Emits every stream into sink (does not close it) and returns the ground truth. */
    public GroundTruth run(SimulationSink sink) throws IOException {
        return new Run(loaded, seed).run(sink);
    }

    /** The state of one simulation run. */
    private static final class Run {
        private final Scenario s;
        private final JobConfig job;
        private final Traffic traffic;
        private final long seed;
        private final Rng rng;
        private final JsonText text = new JsonText();
        private final StringBuilder sb = new StringBuilder(256);
        private final ZoneRules zone;
        private final long startMs;
        private final long endMs;
        private final long dtMs;
        private final double dt;
        private final int ticks;
        private final List<FaultWindow> faults = new ArrayList<>();
        private final List<FaultWindow> surges = new ArrayList<>();
        private final Service[] services;
        private final Service tokenService;
        private final List<Change> changes = new ArrayList<>();
        private final List<Note> notes = new ArrayList<>();
        private final Sessions sessions;
        private final long disableAt;
        private final double lifecycleBaselinePerSession;
        private final double lifecycleBaselinePerSessionOff;
        private final TruthRecorder truth;
        private final TickBuffer metricsOut = new TickBuffer(StreamKind.METRICS);
        private final TickBuffer authOut = new TickBuffer(StreamKind.AUTH);
        private final TickBuffer logsOut = new TickBuffer(StreamKind.LOGS);
        private final TickBuffer changesOut = new TickBuffer(StreamKind.CHANGES);

        Run(ScenarioLoader.Loaded loaded, long seed) {
            this.s = loaded.scenario();
            this.job = loaded.job();
            this.traffic = s.traffic();
            this.seed = seed;
            this.rng = new Rng(seed);
            this.zone = s.zone().getRules();
            this.startMs = s.startInstant().toEpochMilli();
            this.endMs = s.endInstant().toEpochMilli();
            this.dtMs = s.interval().toMillis();
            this.dt = dtMs / 1000.0;
            this.ticks = (int) ((endMs - startMs + dtMs - 1) / dtMs);
            for (FaultSpec f : s.faults()) {
                FaultWindow w = FaultWindow.of(f, s);
                faults.add(w);
                if (f.kind() == FaultKind.SURGE) surges.add(w);
            }
            long off = Long.MAX_VALUE;
            for (ActionSpec a : s.actions()) {
                if (a.disableRefresh()) off = Math.min(off, s.instant(a.at()).toEpochMilli());
            }
            disableAt = off;
            services = services();
            Service token = null;
            for (Service v : services) if (v.name.equals(traffic.tokenService())) token = v;
            tokenService = token;
            long lifetime = traffic.tokenLifetime().toMillis();
            long period = lifetime - traffic.refreshBefore().toMillis();
            double lengthMs = traffic.sessionLength().toMillis();
            lifecycleBaselinePerSession = 1000.0 / period + 1000.0 / lengthMs;
            lifecycleBaselinePerSessionOff = 1000.0 / lifetime + 1000.0 / lengthMs;
            List<Sessions.Client> clients = Sessions.clients(traffic);
            List<Sessions.Storm> storms = new ArrayList<>();
            for (FaultWindow w : faults) {
                FaultSpec f = w.spec();
                if (f.kind() != FaultKind.REFRESH_STORM) continue;
                int c = 0;
                while (!traffic.clients().get(c).id().equals(f.client())) c++;
                storms.add(
                        new Sessions.Storm(
                                c,
                                f.adoption() == null ? 1.0 : f.adoption(),
                                w.onset(),
                                w.end(),
                                w.ramp(),
                                f.refreshEvery().toMillis(),
                                Sessions.fragment(f.client(), f.version())));
            }
            sessions =
                    new Sessions(
                            rng, text, traffic, startMs, dtMs, ticks, disableAt, clients, storms);
            truth = new TruthRecorder(s, job, seed, faults, services, startMs, dtMs, ticks);
            changes();
            notes();
        }

        GroundTruth run(SimulationSink sink) throws IOException {
            double lifecycleRate = -1;
            int nextChange = 0;
            sessions.seed(Math.round(targetSessions(startMs)), startMs);
            for (int k = 0; k < ticks; k++) {
                long t0 = startMs + k * dtMs;
                long t1 = k == ticks - 1 ? Long.MAX_VALUE : t0 + dtMs;
                sink.tick(t0);
                while (nextChange < changes.size() && changes.get(nextChange).ts < t1) {
                    Change c = changes.get(nextChange++);
                    changesOut.add(Math.max(c.ts, t0), c.key, c.json);
                }
                double target = targetSessions(t0);
                double baseline =
                        target
                                * (t0 >= disableAt
                                        ? lifecycleBaselinePerSessionOff
                                        : lifecycleBaselinePerSession);
                // The token service's token work of the previous interval: a metric sample at t0
                // describes the interval that ends there.
                double lifecycleExtra =
                        lifecycleRate < 0 ? 0 : Math.max(0, lifecycleRate - baseline);
                model(k, t0, lifecycleExtra);
                int lifecycle = sessions.tick(k, t0, Math.round(target), authOut);
                lifecycleRate = lifecycle / dt;
                authFailures(t0);
                logs(k, t0, t1);
                changesOut.flush(sink, t0);
                metricsOut.flush(sink, t0);
                authOut.flush(sink, t0);
                logsOut.flush(sink, t0);
            }
            Map<String, Long> events = new LinkedHashMap<>();
            events.put("metrics", metricsOut.emitted());
            events.put("auth", authOut.emitted());
            events.put("logs", logsOut.emitted());
            events.put("changes", changesOut.emitted());
            return truth.build(events);
        }

        // ---- load ------------------------------------------------------------------------

        /** Share of the peak load at local time: quietShare at night, 1 at peakHour. */
        private double share(long t) {
            int offset = zone.getOffset(java.time.Instant.ofEpochMilli(t)).getTotalSeconds();
            double localSeconds = Math.floorMod(t / 1000 + offset, 86_400L) + (t % 1000) / 1000.0;
            double h = localSeconds / 3600.0;
            double q = traffic.quietShare();
            return q + (1 - q) * (1 + Math.cos(2 * Math.PI * (h - traffic.peakHour()) / 24)) / 2;
        }

        private double surge(long t) {
            double f = 1;
            for (FaultWindow w : surges) f *= w.factorAt(t, w.spec().factor());
            return f;
        }

        private double targetSessions(long t) {
            return traffic.sessions() * share(t) * surge(t);
        }

        // ---- services --------------------------------------------------------------------

        /** The simulated services, callers before the services they call. */
        private Service[] services() {
            Map<String, Traffic.ServiceLoad> loads = traffic.services();
            List<String> names = new ArrayList<>();
            for (String n : job.services().keySet()) if (loads.containsKey(n)) names.add(n);
            List<String> order = new ArrayList<>();
            while (order.size() < names.size()) {
                for (String n : names) {
                    if (order.contains(n)) continue;
                    boolean ready = true;
                    for (String caller : names) {
                        if (!order.contains(caller)
                                && job.services().get(caller).dependsOn().contains(n)) {
                            ready = false;
                        }
                    }
                    if (ready) {
                        order.add(n);
                        break;
                    }
                }
            }
            Service[] out = new Service[order.size()];
            for (int i = 0; i < out.length; i++) {
                String n = order.get(i);
                out[i] = new Service(i, names.indexOf(n), n, loads.get(n));
            }
            for (Service v : out) {
                List<Service> deps = new ArrayList<>();
                for (String d : job.services().get(v.name).dependsOn()) {
                    for (Service w : out) if (w.name.equals(d)) deps.add(w);
                }
                v.deps = deps.toArray(new Service[0]);
                for (Service w : out) {
                    if (job.services().get(w.name).dependsOn().contains(v.name)) v.callers.add(w);
                }
                for (FaultWindow w : faults) {
                    if (v.name.equals(w.spec().service())) v.faults.add(w);
                }
            }
            // Normal latency, callees first: own latency at no load plus the dependencies'.
            for (int i = out.length - 1; i >= 0; i--) {
                Service v = out[i];
                double total = v.latency;
                for (Service d : v.deps) total += Math.min(d.normalLatency, d.timeout);
                v.normalLatency = Math.min(total, v.timeout);
            }
            return out;
        }

        /** One interval of the service model at t0, and the metric samples it gives. */
        private void model(int k, long t0, double lifecycleExtra) {
            double share = share(t0);
            double surge = surge(t0);
            for (Service v : services) v.extraIn = 0;
            for (Service v : services) {
                double noise = Math.max(0.05, 1 + traffic.noise() * rng.gaussian());
                v.base = v.load.rps() * share * surge * noise;
                double own = 0;
                double capFactor = 1;
                double latFactor = 1;
                for (FaultWindow w : v.faults) {
                    FaultSpec f = w.spec();
                    switch (f.kind()) {
                        case SATURATION -> own += f.factor() * v.capacity * w.strength(t0);
                        case SLOWDOWN, EXTERNAL_SLOW -> {
                            capFactor *= w.factorAt(t0, f.factor());
                            latFactor *= w.factorAt(t0, f.factor());
                        }
                        case BAD_DEPLOY, WRONG_HOST ->
                                capFactor *= w.factorAt(t0, f.factor() == null ? 1 : f.factor());
                        default -> {}
                    }
                }
                v.ownExtra = own;
                double token = v == tokenService ? lifecycleExtra * v.load.refreshCost() : 0;
                v.demand = v.base + v.extraIn + own + token;
                v.cap = v.capacity / capFactor;
                v.served = Math.min(v.demand + v.backlog / dt, v.cap);
                v.backlog = backlogAfter(v.backlog, v.demand, v.served, v.cap, dt);
                v.u = v.demand / v.cap;
                double u = Math.min(1, v.u);
                v.ownLatency = v.latency * latFactor * (1 + u * u * u * u) + v.backlog / v.cap;
                double uEff = (v.demand + v.backlog / dt) / v.cap;
                v.cpu = Math.min(100, 5 + 90 * uEff);
                double out = Math.max(0, v.served - v.base - own);
                for (Service d : v.deps) d.extraIn += v.load.callsTo(d.name) * out;
            }
            for (int i = services.length - 1; i >= 0; i--) {
                Service v = services[i];
                double depLatency = 0;
                double depOk = 1;
                double worstDep = 0;
                v.slowestDep = null;
                for (Service d : v.deps) {
                    depLatency += d.latencyNow;
                    depOk *= 1 - d.timeoutShare;
                    if (d.timeoutShare > worstDep) {
                        worstDep = d.timeoutShare;
                        v.slowestDep = d;
                    }
                }
                v.total = v.ownLatency + depLatency;
                v.latencyNow = Math.min(v.total, v.timeout);
                v.timeoutShare = ramp(v.total, v.timeout);
                v.ownTimeoutShare = ramp(v.ownLatency, v.timeout);
                v.depTimeoutShare = 1 - depOk;
                double baseErr = v.load.errorRatio() * Math.max(0, 1 + 0.2 * rng.gaussian());
                double deployErr = 0;
                double missingToken = 0;
                v.missingTokenCallee = null;
                for (FaultWindow w : v.faults) {
                    FaultSpec f = w.spec();
                    if (f.kind() == FaultKind.BAD_DEPLOY && f.errorRatio() != null) {
                        deployErr = 1 - (1 - deployErr) * (1 - f.errorRatio() * w.strength(t0));
                    } else if (f.kind() == FaultKind.MISSING_TOKEN && w.active(t0)) {
                        missingToken = Math.max(missingToken, w.strength(t0));
                        v.missingTokenCallee = f.callee();
                    }
                }
                v.deployErr = deployErr;
                v.missingTokenErr = missingToken;
                double ok =
                        (1 - baseErr)
                                * (1 - v.timeoutShare)
                                * (1 - v.depTimeoutShare)
                                * (1 - deployErr)
                                * (1 - missingToken);
                v.err = Math.min(1, Math.max(0, 1 - ok));
                v.inFlight = v.served * v.total;
                ComponentState state = state(v);
                boolean healthy = v.backlog == 0 && v.u < 0.9 && v.err < 0.01;
                truth.record(k, v.index, state, healthy);
            }
            for (Service v : services) metrics(v, t0);
            for (FaultWindow w : faults) {
                FaultSpec f = w.spec();
                if (f.kind() == FaultKind.FLAPPING
                        && w.active(t0)
                        && !emitsNormally(f.service(), f.metric())) {
                    metric(f.service(), f.metric(), flap(w, t0, 0), 2, t0);
                }
            }
        }

        /**
         * The queue after one interval of {@code dt} seconds: what it held and what arrived, less
         * what was served. When the interval serves the whole queue, the subtraction leaves a
         * rounding residue of about 1e-13 in about a third of the drains instead of 0, and adding
         * that residue to the next demand changes nothing, so it stays for good and the service is
         * never healthy again ({@code backlog == 0} is part of the health test). A rest below a
         * billionth of a second of the service's capacity is therefore an empty queue.
         */
        static double backlogAfter(
                double backlog, double demand, double served, double capacity, double dt) {
            double left = backlog + (demand - served) * dt;
            return left <= capacity * DRAINED_S ? 0 : left;
        }

        private static double ramp(double latency, double timeout) {
            return Math.min(1, Math.max(0, (latency - timeout / 2) / (timeout / 2)));
        }

        private ComponentState state(Service v) {
            if (v.err >= 0.5 || v.total >= v.timeout) return ComponentState.MAJOR_OUTAGE;
            if (v.err >= 0.05 || v.total >= v.timeout / 2) return ComponentState.PARTIAL_OUTAGE;
            if (v.err >= 0.01 || v.total >= 3 * v.normalLatency || v.u >= 0.9)
                return ComponentState.DEGRADED_PERFORMANCE;
            return ComponentState.OPERATIONAL;
        }

        private void metrics(Service v, long t0) {
            double latencyMs =
                    Math.min(
                            v.timeout * 1000,
                            v.latencyNow
                                    * 1000
                                    * Math.max(0.5, 1 + traffic.noise() / 2 * rng.gaussian()));
            double cpu = Math.max(0, Math.min(100, v.cpu + 0.5 * rng.gaussian()));
            double[] values = {
                v.served,
                latencyMs,
                v.err,
                cpu,
                v.backlog,
                v.inFlight,
                v.connections > 0 ? Math.min(100, v.inFlight / v.connections * 100) : 0
            };
            for (int m = 0; m < METRICS.length; m++) {
                if (m == POOL && v.connections <= 0) continue;
                double value = values[m];
                for (FaultWindow w : v.faults) {
                    if (w.kind() == FaultKind.FLAPPING
                            && w.active(t0)
                            && METRICS[m].equals(w.spec().metric())) {
                        value = flap(w, t0, value);
                    }
                }
                sb.setLength(0);
                sb.append("{\"ts\":\"");
                text.appendTimestamp(sb, t0);
                sb.append(v.metricPrefix[m]);
                JsonText.appendFixed(sb, value, DECIMALS[m]);
                sb.append(v.labels);
                metricsOut.add(t0, v.name, sb.toString());
            }
        }

        private void metric(String service, String name, double value, int decimals, long t0) {
            text.startRecord(sb, t0, JsonText.quote(service));
            sb.append(",\"metric\":").append(JsonText.quote(name)).append(",\"value\":");
            JsonText.appendFixed(sb, value, decimals);
            sb.append(",\"labels\":{\"host\":").append(JsonText.quote(service + "-1")).append("}}");
            metricsOut.add(t0, service, sb.toString());
        }

        /**
         * A flapping metric: around + amplitude·sin(2π t/period) + noise, blended in by the ramp.
         */
        private double flap(FaultWindow w, long t0, double normal) {
            FaultSpec f = w.spec();
            double phase = 2 * Math.PI * (t0 - w.onset()) / f.period().toMillis();
            double swing =
                    f.around()
                            + f.amplitude() * Math.sin(phase)
                            + 0.05 * f.amplitude() * rng.gaussian();
            double st = w.strength(t0);
            return (1 - st) * normal + st * swing;
        }

        /** Whether the model writes this metric of this service every interval anyway. */
        private boolean emitsNormally(String service, String metric) {
            for (Service v : services) {
                if (!v.name.equals(service)) continue;
                for (int m = 0; m < METRICS.length; m++) {
                    if (METRICS[m].equals(metric)) return m != POOL || v.connections > 0;
                }
            }
            return false;
        }

        // ---- auth failures -----------------------------------------------------------------

        private void authFailures(long t0) {
            if (tokenService != null) {
                Service v = tokenService;
                long n =
                        Math.min(
                                VERIFY_ERROR_CAP,
                                rng.stochasticRound(v.err * v.demand * dt / VERIFY_ERROR_SAMPLING));
                for (long i = 0; i < n; i++) {
                    sessions.verifyError(t0, pickCaller(v), verifyErrorText(v), authOut);
                }
            }
            for (Service v : services) {
                if (v.missingTokenErr <= 0) continue;
                String callee = v.missingTokenCallee;
                String quotedCallee = JsonText.quote(callee);
                double rate =
                        Math.min(
                                MISSING_TOKEN_CAP_PER_SECOND,
                                v.served * v.load.callsTo(callee) * v.missingTokenErr);
                long n = rng.stochasticRound(rate * dt);
                for (long i = 0; i < n; i++) {
                    long ts = t0 + rng.nextLong(dtMs);
                    text.startRecord(sb, ts, quotedCallee);
                    sb.append(",\"type\":\"MISSING_TOKEN\",\"caller\":")
                            .append(v.quotedName)
                            .append(",\"outcome\":\"rejected\",\"error\":\"no bearer token\"}");
                    authOut.add(ts, callee, sb.toString());
                }
            }
        }

        private String pickCaller(Service v) {
            if (v.callers.isEmpty()) return null;
            return v.callers.get(rng.nextInt(v.callers.size())).name;
        }

        private String verifyErrorText(Service v) {
            double timeouts = v.timeoutShare + v.depTimeoutShare;
            double r = rng.nextDouble() * (timeouts + v.deployErr + v.load.errorRatio());
            if (r < timeouts) return "timeout after " + Math.round(v.timeout * 1000) + " ms";
            if (r < timeouts + v.deployErr) return "internal error";
            return rng.nextDouble() < 0.5 ? "token expired" : "invalid signature";
        }

        // ---- logs ---------------------------------------------------------------------------

        private void logs(int k, long t0, long t1) {
            while (!notes.isEmpty() && notes.get(0).ts < t1) {
                Note n = notes.remove(0);
                logsOut.add(Math.max(n.ts, t0), n.service, n.json);
            }
            boolean healthLine = (t0 - startMs) % HEALTH_LINE_EVERY_MS < dtMs;
            for (Service v : services) {
                if (healthLine) healthLine(v, t0);
                if (v.err > 0.01) errorLines(v, t0);
            }
        }

        private void healthLine(Service v, long t0) {
            long ts = t0 + rng.nextLong(dtMs);
            text.startRecord(sb, ts, v.quotedName);
            sb.append(",\"level\":\"INFO\",\"message\":\"health report\",\"attributes\":{")
                    .append("\"requests_per_s\":\"");
            JsonText.appendFixed(sb, v.served, 1);
            sb.append("\",\"latency_ms\":\"");
            JsonText.appendFixed(sb, v.latencyNow * 1000, 1);
            sb.append("\",\"error_ratio\":\"");
            JsonText.appendFixed(sb, v.err, 4);
            sb.append('"');
            String host = dbHost(v, t0);
            if (host != null) {
                double active =
                        v.connections > 0 ? Math.min(v.connections, v.inFlight) : v.inFlight;
                sb.append(",\"db.host\":").append(JsonText.quote(host));
                sb.append(",\"db.pool.active\":\"").append(Math.round(active)).append('"');
            }
            sb.append("}}");
            logsOut.add(ts, v.name, sb.toString());
        }

        /** The database host the service uses at t0: a wrong-host fault's while it lasts. */
        private String dbHost(Service v, long t0) {
            for (FaultWindow w : v.faults) {
                if (w.kind() == FaultKind.WRONG_HOST && w.active(t0)) return w.spec().host();
            }
            return v.load.dbHost();
        }

        private void errorLines(Service v, long t0) {
            double failures = v.err * v.demand * dt;
            long n =
                    Math.min(
                            ERROR_LINES_CAP,
                            Math.max(1, rng.stochasticRound(failures / FAILURES_PER_LINE)));
            String level = v.err >= 0.05 ? "ERROR" : "WARN";
            double wMissing = v.missingTokenErr;
            double wUpstream = v.slowestDep == null ? 0 : v.depTimeoutShare;
            double wDeadline =
                    v.ownTimeoutShare + Math.max(0, v.timeoutShare - v.ownTimeoutShare) / 2;
            double wDeploy = v.deployErr;
            double sum = wMissing + wUpstream + wDeadline + wDeploy;
            for (long i = 0; i < n; i++) {
                long ts = t0 + rng.nextLong(dtMs);
                double r = rng.nextDouble() * sum;
                String message;
                String attributes = null;
                if (sum <= 0 || r >= wMissing + wUpstream + wDeadline) {
                    message = "500 Internal Server Error: unhandled exception in request handler";
                } else if (r < wMissing) {
                    message = "401 Unauthorized: request without bearer token";
                    attributes = "{\"callee\":" + JsonText.quote(v.missingTokenCallee) + "}";
                } else if (r < wMissing + wUpstream) {
                    Service d = v.slowestDep;
                    message =
                            "upstream timeout calling "
                                    + d.name
                                    + " after "
                                    + Math.round(d.timeout * 1000)
                                    + " ms";
                    attributes = "{\"upstream\":" + d.quotedName + "}";
                } else {
                    message = "deadline exceeded";
                }
                logsOut.add(ts, v.name, line(ts, v.quotedName, level, message, attributes));
            }
        }

        /** A log record; attributes is a JSON object or null. */
        private String line(
                long ts, String quotedService, String level, String message, String attributes) {
            StringBuilder b = new StringBuilder(160);
            text.startRecord(b, ts, quotedService);
            b.append(",\"level\":\"")
                    .append(level)
                    .append("\",\"message\":")
                    .append(JsonText.quote(message));
            if (attributes != null) b.append(",\"attributes\":").append(attributes);
            return b.append('}').toString();
        }

        /** One-off log lines at fault onsets and ends, by time. */
        private void notes() {
            for (FaultWindow w : faults) {
                FaultSpec f = w.spec();
                if (f.kind() == FaultKind.WRONG_HOST) {
                    notes.add(note(w.onset(), f.service(), "WARN", f.host()));
                    Traffic.ServiceLoad l = traffic.services().get(f.service());
                    if (w.end() < endMs && l != null && l.dbHost() != null) {
                        notes.add(note(w.end(), f.service(), "INFO", l.dbHost()));
                    }
                } else if (f.kind() == FaultKind.BAD_DEPLOY) {
                    notes.add(
                            log(
                                    w.onset(),
                                    f.service(),
                                    "INFO",
                                    "started version " + f.version(),
                                    "{\"version\":" + JsonText.quote(f.version()) + "}"));
                }
            }
            notes.sort(Comparator.comparingLong(n -> n.ts)); // stable: ties keep fault order
        }

        private Note note(long ts, String service, String level, String host) {
            return log(
                    ts,
                    service,
                    level,
                    "connected to database host " + host,
                    "{\"db.host\":" + JsonText.quote(host) + "}");
        }

        private Note log(long ts, String service, String level, String message, String attrs) {
            return new Note(ts, service, line(ts, JsonText.quote(service), level, message, attrs));
        }

        // ---- changes ------------------------------------------------------------------------

        /** Every change event of the scenario (actions and bad deploys), by time. */
        private void changes() {
            for (ActionSpec a : s.actions()) {
                changes.add(
                        change(
                                s.instant(a.at()).toEpochMilli(),
                                a.service(),
                                a.kind().name(),
                                a.version(),
                                a.description()));
            }
            for (FaultWindow w : faults) {
                FaultSpec f = w.spec();
                if (f.kind() == FaultKind.BAD_DEPLOY) {
                    changes.add(
                            change(
                                    w.onset(),
                                    f.service(),
                                    "DEPLOY",
                                    f.version(),
                                    f.description() == null
                                            ? "deploy " + f.version()
                                            : f.description()));
                }
            }
            changes.sort(Comparator.comparingLong(c -> c.ts)); // stable: ties keep file order
        }

        private Change change(
                long ts, String service, String kind, String version, String description) {
            StringBuilder b = new StringBuilder("{\"ts\":\"");
            text.appendTimestamp(b, ts);
            b.append("\",\"service\":")
                    .append(JsonText.quote(service))
                    .append(",\"kind\":\"")
                    .append(kind)
                    .append('"');
            if (version != null) b.append(",\"version\":").append(JsonText.quote(version));
            if (description != null)
                b.append(",\"description\":").append(JsonText.quote(description));
            b.append('}');
            return new Change(ts, service, b.toString());
        }
    }

    private record Change(long ts, String key, String json) {}

    private record Note(long ts, String service, String json) {}

    /** One simulated service: its settings and its state in the current interval. */
    static final class Service {
        final int order;
        final int index;
        final String name;
        final String quotedName;
        final Traffic.ServiceLoad load;
        final double capacity;
        final double latency;
        final double timeout;
        final int connections;
        final String[] metricPrefix = new String[METRICS.length];
        final String labels;
        Service[] deps;
        final List<Service> callers = new ArrayList<>();
        final List<FaultWindow> faults = new ArrayList<>();
        double normalLatency;

        double backlog;
        double extraIn;
        double base;
        double ownExtra;
        double demand;
        double cap;
        double served;
        double u;
        double ownLatency;
        double total;
        double latencyNow;
        double timeoutShare;
        double ownTimeoutShare;
        double depTimeoutShare;
        double deployErr;
        double missingTokenErr;
        String missingTokenCallee;
        Service slowestDep;
        double err;
        double cpu;
        double inFlight;

        /**
         * @param order position in the model's order (callers first)
         * @param index position among the simulated services in job-file order (truth order)
         */
        Service(int order, int index, String name, Traffic.ServiceLoad load) {
            this.order = order;
            this.index = index;
            this.name = name;
            this.quotedName = JsonText.quote(name);
            this.load = load;
            this.capacity = load.capacity();
            this.latency = load.latency().toNanos() / 1e9;
            this.timeout = load.timeout().toNanos() / 1e9;
            this.connections = load.connections() == null ? 0 : load.connections();
            for (int m = 0; m < METRICS.length; m++) {
                metricPrefix[m] =
                        "\",\"service\":"
                                + quotedName
                                + ",\"metric\":\""
                                + METRICS[m]
                                + "\",\"value\":";
            }
            labels = ",\"labels\":{\"host\":" + JsonText.quote(name + "-1") + "}}";
        }
    }
}
