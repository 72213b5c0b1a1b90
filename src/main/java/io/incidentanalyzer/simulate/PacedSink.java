package io.incidentanalyzer.simulate;

import io.incidentanalyzer.ingest.StreamKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.LongSupplier;

/**
 * Slows a simulation down to a multiple of real time: {@code speed} seconds of event time per
 * second of wall time (1 = live, 60 = an hour a minute). It waits in {@link #tick}, so each
 * interval's records go out once the wall clock has caught up with the interval's event time; the
 * records themselves pass straight through. A speed of 0 or less, or an infinite one, means no
 * pacing.
 */
public final class PacedSink implements SimulationSink {

    /** Waits for a number of nanoseconds (a test replaces it with a fake clock). */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final SimulationSink inner;
    private final double speed;
    private final long scenarioStartTs;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long wallStart;
    private boolean started;

    public PacedSink(SimulationSink inner, double speed, long scenarioStartTs) {
        this(
                inner,
                speed,
                scenarioStartTs,
                System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    PacedSink(
            SimulationSink inner,
            double speed,
            long scenarioStartTs,
            LongSupplier nanoTime,
            Sleeper sleeper) {
        if (Double.isNaN(speed)) throw new IllegalArgumentException("speed is NaN");
        this.inner = inner;
        this.speed = speed;
        this.scenarioStartTs = scenarioStartTs;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /** Whether this speed paces at all (finite and above 0). */
    public static boolean paces(double speed) {
        return speed > 0 && Double.isFinite(speed);
    }

    @Override
    public void tick(long eventTime) throws IOException {
        if (paces(speed)) {
            if (!started) {
                wallStart = nanoTime.getAsLong();
                started = true;
            }
            double eventSeconds = (eventTime - scenarioStartTs) / 1000.0;
            long due = wallStart + (long) (eventSeconds / speed * 1e9);
            long wait;
            while ((wait = due - nanoTime.getAsLong()) > 0) {
                try {
                    sleeper.sleepNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("simulation interrupted while pacing");
                }
            }
        }
        inner.tick(eventTime);
    }

    @Override
    public void emit(StreamKind stream, long ts, String key, String json) throws IOException {
        inner.emit(stream, ts, key, json);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
