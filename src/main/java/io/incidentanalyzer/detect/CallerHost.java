package io.incidentanalyzer.detect;

/**
 * What the dependency-drift detector remembers of one caller of a dependency: the host it last
 * reported, since when, and its signal while one is open. Times are event time, epoch milliseconds;
 * {@code -1} means unset. A mutable Flink POJO.
 */
public class CallerHost {
    public String caller;

    /** The host it last reported, lower-cased. */
    public String host;

    /** Its first report of {@link #host} in the current run of reports. */
    public long since = -1;

    public long lastSeen = -1;

    public boolean open;
    public String signalId;
    public long onset = -1;

    /** The host in the last OPEN or UPDATE; another unexpected host reports an UPDATE. */
    public String reportedHost;

    /** What it should have used, in words, when the signal opened. */
    public String expected;

    public CallerHost() {}
}
