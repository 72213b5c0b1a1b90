package io.incidentanalyzer.model;

/**
 * One token event from the auth log: a login, refresh, verification or a request that came without
 * a token. Optional fields are {@code null} when the producer did not send them.
 *
 * @param ts event time, epoch milliseconds
 * @param service the service that logged the event (usually the token verifier)
 * @param caller the service that sent the request, when known (MISSING_TOKEN per caller)
 */
public record AuthEvent(
        long ts,
        String service,
        AuthEventType type,
        String clientId,
        String clientVersion,
        String userId,
        String sessionId,
        String ip,
        String caller,
        String outcome,
        String error) {}
