package io.incidentanalyzer.config;

import io.incidentanalyzer.model.Severity;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of the dependency-drift detector (docs/detectors.md#dependency-drift): which log
 * attributes name the host a service uses for which dependency, and when a differing host becomes a
 * signal. The expected hosts themselves are {@code services.<dependency>.hosts}.
 *
 * @param attributes log attribute → the dependency service whose host it names, e.g. {@code
 *     db.host: database}; empty (the default) watches nothing
 * @param sustain how long a caller must keep reporting an unexpected host before the signal opens;
 *     0 opens at the first line that names it (a host is a fact, not a statistic)
 * @param noDataAfter a caller that reports nothing for this long is forgotten: its signal clears
 *     and it no longer counts as a peer
 * @param minPeers callers that must agree on a host before it counts as the expected one, when the
 *     dependency has no configured hosts
 * @param maxCallers callers remembered per dependency; past it the least recently seen is dropped
 */
public record DependencyDriftSettings(
        Map<String, String> attributes,
        Duration sustain,
        Duration noDataAfter,
        Integer minPeers,
        Integer maxCallers,
        Severity severity)
        implements Serializable {

    public static final Duration DEFAULT_SUSTAIN = Duration.ZERO;
    public static final Duration DEFAULT_NO_DATA_AFTER = Duration.ofMinutes(5);
    public static final int DEFAULT_MIN_PEERS = 2;
    public static final int DEFAULT_MAX_CALLERS = 64;

    public DependencyDriftSettings {
        attributes =
                attributes == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        sustain = sustain == null ? DEFAULT_SUSTAIN : sustain;
        noDataAfter = noDataAfter == null ? DEFAULT_NO_DATA_AFTER : noDataAfter;
        minPeers = minPeers == null ? DEFAULT_MIN_PEERS : minPeers;
        maxCallers = maxCallers == null ? DEFAULT_MAX_CALLERS : maxCallers;
        severity = severity == null ? Severity.MAJOR : severity;
    }

    public static DependencyDriftSettings defaults() {
        return new DependencyDriftSettings(null, null, null, null, null, null);
    }
}
