package io.incidentanalyzer.detect;

import io.incidentanalyzer.detect.baseline.BaselineState;

/**
 * Keyed state of the baseline-shift detector for one series: its baseline, always, and the episode
 * fields while samples are shifted or a signal is open. Times are event time, epoch milliseconds;
 * {@code -1} means unset. A mutable Flink POJO.
 */
public class BaselineShiftState {
    public BaselineState baseline = new BaselineState();

    /** Index of the governing rule in the job file. */
    public int rule;

    /** First sample of the current run of shifted samples; -1 when none. */
    public long shiftedSince = -1;

    /** Whether the signal has opened (the run lasted the sustain time). */
    public boolean open;

    public String signalId;
    public long onset = -1;

    /** The baseline's expectation when the run began: what the series is compared with. */
    public double expected;

    public double scale;

    /** The sample furthest from the expectation (in the watched direction) and when. */
    public double peak;

    public long peakTs = -1;
    public double peakDeviation;

    /** The baseline core's anomaly score, in [0, 1], of the first shifted sample. */
    public double onsetAnomaly;

    public double lastReportedDeviation;

    /** Event time of the last OPEN or UPDATE: an open shift reports at least every reportEvery. */
    public long lastReportedAt = -1;

    public double last;

    /** First sample of the current run back within half the margins, while open. */
    public long calmSince = -1;

    public long lastSeen = -1;

    /** The one timer registered for this series (no data, forget), so it is registered once. */
    public long timer = -1;

    /**
     * The slow-onset test's statistics ({@link CreepTest}), upward and downward, in spreads, and
     * the first sample of each one's current positive run (-1 when it is zero).
     */
    public double creepUp;

    public long creepUpSince = -1;
    public double creepDown;
    public long creepDownSince = -1;

    /** The first sample its baseline learned from: the slow-onset test waits for a seasoned one. */
    public long firstSeen = -1;

    /** Whether the open signal was opened by the slow-onset test rather than by its margins. */
    public boolean creepOpened;

    public BaselineShiftState() {}

    /** Ends the episode; the baseline stays, and so does the slow-onset test unless it was open. */
    void endEpisode() {
        boolean wasOpen = open;
        shiftedSince = -1;
        open = false;
        signalId = null;
        onset = -1;
        peakTs = -1;
        peakDeviation = 0;
        onsetAnomaly = 0;
        lastReportedDeviation = 0;
        calmSince = -1;
        if (!wasOpen) return; // a blip: the slow-onset test keeps counting
        creepOpened = false;
        creepUp = 0;
        creepUpSince = -1;
        creepDown = 0;
        creepDownSince = -1;
    }
}
