package io.incidentanalyzer.model;

/** What happened to a token, as written by the token service's log. */
public enum AuthEventType {
    LOGIN,
    REFRESH,
    REFRESH_ERROR,
    VERIFY,
    VERIFY_ERROR,
    MISSING_TOKEN,
    LOGOUT
}
