package io.incidentanalyzer.correlate;

/**
 * The event-time timers of the correlator's key, as its parts set them: the function backs them
 * with its timer service, a unit test with a set. Flink keeps one timer per key and instant.
 */
interface Timers {
    void register(long timestamp) throws Exception;

    /** Deletes the timer at {@code timestamp}, unless buffered input waits for that instant. */
    void delete(long timestamp) throws Exception;
}
