package io.incidentanalyzer.replay;

/** The replay's Flink job could not start or failed; the cause is Flink's error. */
public final class ReplayFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
