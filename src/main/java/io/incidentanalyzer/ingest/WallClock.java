package io.incidentanalyzer.ingest;

import java.io.Serializable;

/**
 * The wall clock as input admission reads it ({@link FutureTimestamps}); shipped to the Kafka
 * sources, so serializable. Tests set their own; nothing in detection or correlation reads it.
 */
@FunctionalInterface
public interface WallClock extends Serializable {
    /** This host's time, epoch milliseconds. */
    WallClock SYSTEM = System::currentTimeMillis;

    long millis();
}
