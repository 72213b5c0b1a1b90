package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * The sequential test that flags a slow onset (docs/detectors.md#slow-onsets): a one-sided CUSUM of
 * a series' deviations from its baseline, in robust spreads. {@code creep:} under a detector's
 * settings; every field has a default.
 *
 * @param slack spreads subtracted from every sample's deviation: the CUSUM grows only while the
 *     series runs more than this above its baseline. 1 is the textbook choice for a shift of 2
 *     spreads (half the shift to be found), the size of the 2× moment
 * @param limit the sum of deviations beyond the slack at which the test alarms
 * @param margin the share of a rule's margins ({@code minDeviation}, and baseline shift: {@code
 *     minChange}; refresh storm: {@code minRatio} − 1) that the sample at the alarm must also
 *     reach: a creep is flagged while it is small, but not while it is negligible
 * @param after how long a series must have been learned before the test runs: a baseline without
 *     its daily profile lags the day's ramps, and a lag of one or two spreads that lasts an hour
 *     adds up like a slow onset (the default: the baseline's season, a day)
 */
public record CreepSettings(Double slack, Double limit, Double margin, Duration after)
        implements Serializable {
    public static final double DEFAULT_SLACK = 1.0;
    public static final double DEFAULT_LIMIT = 8.0;
    public static final double DEFAULT_MARGIN = 0.5;

    public CreepSettings {
        slack = slack == null ? DEFAULT_SLACK : slack;
        limit = limit == null ? DEFAULT_LIMIT : limit;
        margin = margin == null ? DEFAULT_MARGIN : margin;
        after = after == null ? Duration.ofDays(1) : after;
    }

    public static CreepSettings defaults() {
        return new CreepSettings(null, null, null, null);
    }
}
