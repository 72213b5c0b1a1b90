package io.incidentanalyzer.config;

import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.SignalKind;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analyzer knows about causes, as data ({@code patterns:} in the job file;
 * docs/formats.md#patterns): the known causal chains, the signals that name a cause by themselves,
 * the thresholds that decide an impact or a change's effect, the advice per cause kind and the
 * words for metrics. Every field has a default that a job file may override; a list given replaces
 * the default list, a map given replaces the default's entries for the keys it names.
 *
 * @param chains known causal chains of signal kinds, cause first: a node whose kind starts a chain
 *     that other anomalous nodes follow gains the ranker's chain factor
 * @param selfNaming signals that name a cause by themselves, whatever else is going on: they can be
 *     contributing causes, and a ranked service showing one is that cause
 * @param identifiedAtOnce cause kinds that speak for themselves once found: the incident is
 *     IDENTIFIED without waiting {@code correlation.identifyAfter}
 * @param thresholds impact and effect cut-offs
 * @param advice preventive measures the postmortem suggests per cause kind
 * @param statusAdvice a sentence the status update adds at MONITORING when the incident has a cause
 *     of that kind (each distinct sentence once)
 * @param metrics display names and units of metrics in drafts
 * @param waitingResources saturated metrics whose occupancy is requests waiting on their calls (a
 *     connection, thread or worker pool): such a pool fills when the calls take longer, so while a
 *     dependency of the service is anomalous from no later than the pool's onset and neither the
 *     service's own load nor another of its resources (CPU, memory) rose, the pool's saturation is
 *     that dependency's symptom, not the service's own resource fault
 */
public record PatternsConfig(
        List<List<SignalKind>> chains,
        List<SelfNaming> selfNaming,
        List<CauseKind> identifiedAtOnce,
        Thresholds thresholds,
        Map<CauseKind, List<String>> advice,
        Map<CauseKind, String> statusAdvice,
        MetricWords metrics,
        List<String> waitingResources)
        implements Serializable {

    private static final PatternsConfig DEFAULTS =
            new PatternsConfig(null, null, null, null, null, null, null, null);

    public PatternsConfig {
        chains =
                chains == null
                        ? List.of(
                                List.of(
                                        SignalKind.REFRESH_STORM,
                                        SignalKind.AUTH_FAILURES,
                                        SignalKind.SATURATION,
                                        SignalKind.BACKLOG_GROWTH))
                        : chains.stream()
                                .map(c -> c == null ? List.<SignalKind>of() : copy(c))
                                .toList();
        selfNaming =
                selfNaming == null
                        ? List.of(
                                new SelfNaming(
                                        SignalKind.REFRESH_STORM,
                                        null,
                                        CauseKind.TOKEN_REFRESH_STORM),
                                new SelfNaming(
                                        SignalKind.DEPENDENCY_DRIFT,
                                        null,
                                        CauseKind.DEPENDENCY_DRIFT),
                                new SelfNaming(
                                        SignalKind.AUTH_FAILURES,
                                        AuthEventType.MISSING_TOKEN,
                                        CauseKind.MISSING_TOKEN))
                        : copy(selfNaming);
        identifiedAtOnce =
                identifiedAtOnce == null
                        ? List.of(
                                CauseKind.TOKEN_REFRESH_STORM,
                                CauseKind.DEPENDENCY_DRIFT,
                                CauseKind.MISSING_TOKEN,
                                CauseKind.BAD_DEPLOY)
                        : copy(identifiedAtOnce);
        thresholds = thresholds == null ? Thresholds.defaults() : thresholds;
        advice = merge(defaultAdvice(), advice);
        statusAdvice = merge(defaultStatusAdvice(), statusAdvice);
        metrics = metrics == null ? MetricWords.defaults() : metrics;
        waitingResources =
                waitingResources == null
                        ? List.of(
                                "connection_pool_utilization",
                                "thread_pool_utilization",
                                "worker_pool_utilization")
                        : copy(waitingResources);
    }

    public static PatternsConfig defaults() {
        return DEFAULTS;
    }

    /** The chains as the ranker reads them: lists of signal-kind names. */
    public List<List<String>> chainNames() {
        List<List<String>> out = new ArrayList<>();
        for (List<SignalKind> c : chains) out.add(c.stream().map(Enum::name).toList());
        return List.copyOf(out);
    }

    /** The cause a signal of this kind names by itself, or null for a symptom. */
    public CauseKind namedBy(SignalKind kind, java.util.function.Predicate<AuthEventType> counts) {
        for (SelfNaming s : selfNaming) {
            if (s.signal() == kind && (s.authEvent() == null || counts.test(s.authEvent()))) {
                return s.cause();
            }
        }
        return null;
    }

    /**
     * Whether a saturation of {@code metric} can be requests waiting on the service's calls rather
     * than its own work ({@code waitingResources}).
     */
    public boolean waits(String metric) {
        return metric != null && waitingResources.contains(metric);
    }

    /** Whether a cause of this kind is IDENTIFIED as soon as it is the confident top one. */
    public boolean identifiedAtOnce(CauseKind kind) {
        return identifiedAtOnce.contains(kind);
    }

    /**
     * A signal that names a cause by itself.
     *
     * @param signal the signal's kind
     * @param authEvent only when the signal counts this authentication event (e.g. MISSING_TOKEN
     *     among auth failures); null: any signal of the kind
     * @param cause the cause it names
     */
    public record SelfNaming(SignalKind signal, AuthEventType authEvent, CauseKind cause)
            implements Serializable {}

    /**
     * Impact and effect cut-offs.
     *
     * @param onsetTolerance onsets closer than this count as simultaneous in the ranking
     * @param deployAfterOnset a deploy this long after a service's first signal still counts as
     *     before it (clocks and buckets disagree by that much)
     * @param severityScores how strong a signal of each severity is, for the ranker (CRITICAL sits
     *     where the ranker's calibrated scale reaches 1)
     * @param improvedAt a change after which the cause's signal moved by this share or less
     *     (negative: fell) improved it
     * @param worseAt a change after which it moved by this share or more made it worse
     * @param worthANumber below this relative change (either way) a cleared signal's figure is not
     *     worth a number in the drafts
     * @param majorOutageAt a share of failed requests ({@code correlation.errorMetric}) from which
     *     the service's components are in major outage
     * @param partialOutageAt ... from which they are in partial outage (below: degraded)
     * @param cascadeGap symptoms whose onsets follow each other within this are one cascade: one
     *     timeline line
     * @param updateHold a change of the components' states that lasts this long while the incident
     *     stays in one step drafts an intermediate status update
     */
    public record Thresholds(
            Duration onsetTolerance,
            Duration deployAfterOnset,
            Map<Severity, Double> severityScores,
            Double improvedAt,
            Double worseAt,
            Double worthANumber,
            Double majorOutageAt,
            Double partialOutageAt,
            Duration cascadeGap,
            Duration updateHold)
            implements Serializable {
        public Thresholds {
            onsetTolerance = onsetTolerance == null ? Duration.ofMinutes(1) : onsetTolerance;
            deployAfterOnset = deployAfterOnset == null ? Duration.ofMinutes(1) : deployAfterOnset;
            Map<Severity, Double> scores = new EnumMap<>(Severity.class);
            scores.put(Severity.CRITICAL, 1.0);
            scores.put(Severity.MAJOR, 0.8);
            scores.put(Severity.MINOR, 0.5);
            if (severityScores != null) scores.putAll(severityScores);
            severityScores = Collections.unmodifiableMap(scores);
            improvedAt = improvedAt == null ? -0.5 : improvedAt;
            worseAt = worseAt == null ? 0.25 : worseAt;
            worthANumber = worthANumber == null ? 0.05 : worthANumber;
            majorOutageAt = majorOutageAt == null ? 0.5 : majorOutageAt;
            partialOutageAt = partialOutageAt == null ? 0.05 : partialOutageAt;
            cascadeGap = cascadeGap == null ? Duration.ofMinutes(2) : cascadeGap;
            updateHold = updateHold == null ? Duration.ofMinutes(5) : updateHold;
        }

        static Thresholds defaults() {
            return new Thresholds(null, null, null, null, null, null, null, null, null, null);
        }

        /** A signal's strength for the ranker, by its severity. */
        public double score(Severity s) {
            return severityScores.get(s);
        }
    }

    /**
     * How drafts write a metric.
     *
     * @param names display names by metric, e.g. {@code queue_depth: queue length}; a metric
     *     without one is written by {@code nameRules}
     * @param units units by metric, e.g. {@code latency_ms: " ms"}; a metric without one takes the
     *     unit of the first {@code unitBySuffix} entry its name ends with, or none
     * @param nameRules replacements applied in order to a metric's name with its underscores as
     *     spaces, e.g. {@code {find: "cpu ", replace: "CPU "}}
     * @param unitBySuffix units by the end of a metric's name, e.g. {@code utilization: "%"}
     */
    public record MetricWords(
            Map<String, String> names,
            Map<String, String> units,
            List<Replace> nameRules,
            Map<String, String> unitBySuffix)
            implements Serializable {
        public MetricWords {
            names = names == null ? Map.of() : ordered(names);
            units = units == null ? Map.of() : ordered(units);
            nameRules =
                    nameRules == null
                            ? List.of(
                                    new Replace("cpu ", "CPU "),
                                    new Replace(" p95 ms", " p95 (ms)"))
                            : copy(nameRules);
            unitBySuffix =
                    unitBySuffix == null ? Map.of("utilization", "%") : ordered(unitBySuffix);
        }

        static MetricWords defaults() {
            return new MetricWords(null, null, null, null);
        }

        /** A metric name in words: "cpu_utilization" → "CPU utilization". */
        public String name(String metric) {
            String given = names.get(metric);
            if (given != null) return given;
            String s = metric.replace('_', ' ');
            for (Replace r : nameRules) s = s.replace(r.find(), r.replace());
            return s;
        }

        /** The unit written after a figure of the metric: "%" for a utilization, else "". */
        public String unit(String metric) {
            String given = units.get(metric);
            if (given != null) return given;
            for (Map.Entry<String, String> e : unitBySuffix.entrySet()) {
                if (metric.endsWith(e.getKey())) return e.getValue();
            }
            return "";
        }
    }

    /** One text replacement in a metric's display name. */
    public record Replace(String find, String replace) implements Serializable {}

    /** An unmodifiable copy that keeps null entries, for the validator to name. */
    private static <T> List<T> copy(List<T> l) {
        return Collections.unmodifiableList(new ArrayList<>(l));
    }

    private static <K, V> Map<K, V> ordered(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    private static <V> Map<CauseKind, V> merge(
            Map<CauseKind, V> defaults, Map<CauseKind, V> given) {
        Map<CauseKind, V> out = new EnumMap<>(CauseKind.class);
        out.putAll(defaults);
        if (given != null) out.putAll(given);
        return Collections.unmodifiableMap(out);
    }

    private static Map<CauseKind, List<String>> defaultAdvice() {
        Map<CauseKind, List<String>> a = new EnumMap<>(CauseKind.class);
        a.put(
                CauseKind.TOKEN_REFRESH_STORM,
                List.of(
                        "Refresh tokens only near their expiry in the clients, with backoff"
                                + " after a failed refresh.",
                        "Limit refreshes per session on the token service.",
                        "Alert on refreshes per active session against the token lifetime."));
        a.put(
                CauseKind.DEPENDENCY_DRIFT,
                List.of(
                        "Keep dependency hosts in one reviewed configuration and check them"
                                + " after every deploy and rollback."));
        a.put(
                CauseKind.MISSING_TOKEN,
                List.of(
                        "Renew service tokens before they expire, independently of user"
                                + " token refresh, and alert on requests without a token."));
        a.put(
                CauseKind.RESOURCE_SATURATION,
                List.of(
                        "Keep capacity headroom and limit ad-hoc workloads on shared"
                                + " resources."));
        a.put(
                CauseKind.SERVICE_SLOWDOWN,
                List.of(
                        "Profile the slow service; give its callers timeouts and circuit"
                                + " breakers."));
        a.put(
                CauseKind.BAD_DEPLOY,
                List.of(
                        "Release gradually (canary) and roll back automatically on error or"
                                + " latency shifts."));
        a.put(
                CauseKind.EXTERNAL_DEPENDENCY,
                List.of(
                        "Give calls to the vendor timeouts, retries with backoff and a"
                                + " fallback."));
        a.put(
                CauseKind.TRAFFIC_SURGE,
                List.of(
                        "Scale out automatically and shed load at the entry point; plan"
                                + " capacity for announced events."));
        return a;
    }

    private static Map<CauseKind, String> defaultStatusAdvice() {
        String relogin =
                "If you have a problem with logging in, please clear your cache and log in again.";
        Map<CauseKind, String> a = new EnumMap<>(CauseKind.class);
        a.put(CauseKind.TOKEN_REFRESH_STORM, relogin);
        a.put(CauseKind.MISSING_TOKEN, relogin);
        return a;
    }
}
