package io.incidentanalyzer.simulate;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline load of a scenario: user sessions with a daily cycle, their clients and token
 * behaviour, and the request rates and capacities of the services.
 *
 * @param sessions active sessions at the daily peak
 * @param quietShare active sessions at the quietest hour, as a share of the peak (0..1)
 * @param peakHour local hour of the daily peak (the quietest hour is 12 hours away)
 * @param noise relative noise on rates (0.03 = ±3 %)
 * @param sessionLength mean length of a session; ended sessions are replaced by new logins
 * @param tokenLifetime lifetime of an access token
 * @param refreshBefore how long before expiry a well-behaved client refreshes
 * @param tokenService the service that handles logins and refreshes and writes the auth log
 * @param clients the client types in use and their shares of the sessions
 * @param services load of each simulated service; services of the job file not listed here send no
 *     metrics
 */
public record Traffic(
        Integer sessions,
        Double quietShare,
        Double peakHour,
        Double noise,
        Duration sessionLength,
        Duration tokenLifetime,
        Duration refreshBefore,
        String tokenService,
        List<ClientSpec> clients,
        Map<String, ServiceLoad> services) {

    public Traffic {
        quietShare = quietShare == null ? 0.2 : quietShare;
        peakHour = peakHour == null ? 14.0 : peakHour;
        noise = noise == null ? 0.03 : noise;
        sessionLength = sessionLength == null ? Duration.ofHours(2) : sessionLength;
        tokenLifetime = tokenLifetime == null ? Duration.ofMinutes(15) : tokenLifetime;
        refreshBefore = refreshBefore == null ? Duration.ofMinutes(1) : refreshBefore;
        tokenService = tokenService == null ? "token-verification" : tokenService;
        clients = clients == null ? List.of() : List.copyOf(clients);
        services =
                services == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(services));
    }

    /**
     * One type of client and the version in use before any fault.
     *
     * @param share share of the sessions using this client (the shares add up to 1)
     */
    public record ClientSpec(String id, String version, Double share) {}

    /**
     * The load and capacity of one service.
     *
     * @param rps requests per second at the daily peak, calls from other services included
     * @param capacity requests per second the service can serve; above it a backlog builds
     * @param latency typical response time when lightly loaded, own work only
     * @param timeout how long its callers wait before they give up (errors)
     * @param connections database connection pool size (connection_pool_utilization)
     * @param dbHost the database host the service connects to, written in its logs
     * @param calls calls to each dependency per request of extra load (default 1)
     * @param errorRatio share of requests failing on a normal day
     * @param refreshCost for the token service: work of one token refresh or login, in requests
     */
    public record ServiceLoad(
            Double rps,
            Double capacity,
            Duration latency,
            Duration timeout,
            Integer connections,
            String dbHost,
            Map<String, Double> calls,
            Double errorRatio,
            Double refreshCost) {
        public ServiceLoad {
            latency = latency == null ? Duration.ofMillis(50) : latency;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            calls =
                    calls == null
                            ? Map.of()
                            : Collections.unmodifiableMap(new LinkedHashMap<>(calls));
            errorRatio = errorRatio == null ? 0.001 : errorRatio;
            refreshCost = refreshCost == null ? 1.0 : refreshCost;
        }

        /** Calls per request to {@code dependency} (1 unless the scenario says otherwise). */
        public double callsTo(String dependency) {
            return calls.getOrDefault(dependency, 1.0);
        }
    }
}
