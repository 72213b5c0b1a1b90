package io.incidentanalyzer.detect;

/**
 * Keyed state of the backlog detector for one series: the last value of each of the latest
 * intervals (a small ring) and the episode while a signal is open. A mutable Flink POJO; -1 means
 * unset.
 */
public class BacklogState {
    public int rule;

    /** Closed intervals' last values, oldest first once full; {@code filled} of them are valid. */
    public double[] steps;

    public int filled;

    /** The interval being filled (its index: event time / interval) and its latest value. */
    public long bucket = Long.MIN_VALUE;

    public double current;

    public boolean open;
    public String signalId;
    public long onset = -1;

    /** The value when the growth began: the signal clears once the queue is back to it. */
    public double startLevel;

    public double peak;
    public long peakTs = -1;
    public double lastReportedPeak;

    /** First sample back at or below the clear level, while open. */
    public long drainedSince = -1;

    public long lastSeen = -1;
    public long timer = -1;

    public BacklogState() {}

    /** Appends a closed interval's value, dropping the oldest when the ring is full. */
    void push(double value) {
        if (filled == steps.length) {
            System.arraycopy(steps, 1, steps, 0, steps.length - 1);
            filled--;
        }
        steps[filled++] = value;
    }
}
