package io.incidentanalyzer.detect;

import io.incidentanalyzer.config.CreepSettings;
import java.io.Serializable;

/**
 * A one-sided CUSUM of deviations (in robust spreads) that flags a steady slow onset before any
 * single sample is far from its baseline (Page 1954). The statistic is {@code S = max(0, S + min(d,
 * cap) − slack)}; it alarms at {@code limit} while still rising. Each sample counts at most {@code
 * cap} spreads (the detector's own single-sample threshold), so one spike cannot carry it: a sample
 * that large is the ordinary path's, which needs its sustain time. The statistic is held at most at
 * twice the limit, so it falls below the limit within {@code limit / slack} samples once the series
 * is back. Stateless: the statistic and the start of its run live in the caller's keyed state.
 */
public final class CreepTest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double slack;
    private final double limit;
    private final double margin;
    private final long afterMs;

    public CreepTest(CreepSettings settings) {
        this.slack = settings.slack();
        this.limit = settings.limit();
        this.margin = settings.margin();
        this.afterMs = settings.after().toMillis();
    }

    /**
     * Whether a series learned since {@code firstSeen} is old enough for the test at {@code ts}.
     */
    public boolean runs(long firstSeen, long ts) {
        return firstSeen >= 0 && ts - firstSeen >= afterMs;
    }

    /**
     * The statistic after a sample {@code d} spreads beyond the baseline in the watched direction.
     */
    public double next(double statistic, double d, double cap) {
        double step = Math.min(d, cap) - slack;
        return Math.min(2 * limit, Math.max(0, statistic + step));
    }

    /** Whether the test alarms at this sample: the sum reached the limit and is still rising. */
    public boolean alarms(double statistic, double d) {
        return statistic >= limit && d > slack;
    }

    /** Whether an open episode still has the test's support. */
    public boolean holds(double statistic) {
        return statistic >= limit;
    }

    /** The share of a rule's relative margin that the alarm's sample must reach. */
    public double margin() {
        return margin;
    }

    /**
     * The start of the statistic's run after a sample at {@code ts}: unchanged while it stays
     * positive, {@code ts} when it just left zero, -1 when it is back at zero. The run's start is
     * the test's estimate of the onset.
     */
    public static long runStart(long since, double before, double after, long ts) {
        if (after <= 0) return -1;
        return before <= 0 || since < 0 ? ts : since;
    }
}
