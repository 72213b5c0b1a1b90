package io.incidentanalyzer.ingest.format;

import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.RejectReason;
import java.util.Locale;
import java.util.Map;

/**
 * What a Keycloak user event means for the token stream, shared by the JSON and the log-line form.
 * Keycloak logs what a person or client did; the analyzer counts what happened to tokens, so the
 * mapping takes the events that issue, refresh, verify or end tokens and leaves the rest as
 * NOT_ANALYSED dead letters:
 *
 * <ul>
 *   <li>{@code CODE_TO_TOKEN}, {@code CLIENT_LOGIN}, {@code TOKEN_EXCHANGE}: tokens issued → LOGIN;
 *   <li>{@code LOGIN}: → LOGIN only when it issued the tokens itself (a direct grant); a browser
 *       login ({@code response_type} in its details) issues them later, at CODE_TO_TOKEN, and
 *       counting both would count each session twice;
 *   <li>{@code REFRESH_TOKEN} → REFRESH, {@code REFRESH_TOKEN_ERROR} → REFRESH_ERROR;
 *   <li>{@code INTROSPECT_TOKEN} → VERIFY, {@code INTROSPECT_TOKEN_ERROR} → VERIFY_ERROR (a
 *       resource server checking a token);
 *   <li>{@code LOGOUT} → LOGOUT.
 * </ul>
 *
 * The client is {@code clientId}; the outcome {@code ok}, or {@code error} with Keycloak's error
 * code ({@code invalid_token}, {@code expired_code}, …) in {@code error}.
 */
final class KeycloakEvents {
    private KeycloakEvents() {}

    /** The auth event type of a Keycloak event type, or a NOT_ANALYSED rejection. */
    static AuthEventType type(String type, String responseType) throws Reject {
        String t = type.trim().toUpperCase(Locale.ROOT);
        switch (t) {
            case "CODE_TO_TOKEN", "CLIENT_LOGIN", "TOKEN_EXCHANGE":
                return AuthEventType.LOGIN;
            case "LOGIN":
                if (responseType == null) {
                    return AuthEventType.LOGIN;
                }
                throw new Reject(
                        RejectReason.NOT_ANALYSED,
                        "Keycloak LOGIN of a browser flow (response_type "
                                + responseType
                                + "): its tokens are counted at CODE_TO_TOKEN");
            case "REFRESH_TOKEN":
                return AuthEventType.REFRESH;
            case "REFRESH_TOKEN_ERROR":
                return AuthEventType.REFRESH_ERROR;
            case "INTROSPECT_TOKEN":
                return AuthEventType.VERIFY;
            case "INTROSPECT_TOKEN_ERROR":
                return AuthEventType.VERIFY_ERROR;
            case "LOGOUT":
                return AuthEventType.LOGOUT;
            default:
                throw new Reject(
                        RejectReason.NOT_ANALYSED,
                        "Keycloak event type "
                                + (t.length() > 60 ? t.substring(0, 60) + "…" : t)
                                + " has no token event; leave it out of the realm's enabled"
                                + " event types");
        }
    }

    /**
     * The auth event of one Keycloak event; {@code fields} holds its top-level fields and details
     * by Keycloak's names.
     */
    static AuthEvent event(long ts, String service, Map<String, String> fields) throws Reject {
        return event(
                ts,
                service,
                fields.get("type"),
                fields.get("response_type"),
                fields.get("clientId"),
                fields.get("userId"),
                fields.get("sessionId"),
                fields.get("ipAddress"),
                fields.get("error"));
    }

    /** The auth event of one Keycloak event from the fields it reads, each possibly null. */
    static AuthEvent event(
            long ts,
            String service,
            String type,
            String responseType,
            String clientId,
            String userId,
            String sessionId,
            String ipAddress,
            String error)
            throws Reject {
        if (type == null || type.isBlank()) {
            throw Reject.missing("type");
        }
        error = blankToNull(error);
        return new AuthEvent(
                ts,
                service,
                type(type, blankToNull(responseType)),
                blankToNull(clientId),
                null,
                blankToNull(userId),
                blankToNull(sessionId),
                blankToNull(ipAddress),
                null,
                error == null ? "ok" : "error",
                error);
    }

    /** Keycloak's log form writes absent values as the text null. */
    private static String blankToNull(String s) {
        return s == null || s.isBlank() || s.equals("null") ? null : s;
    }
}
