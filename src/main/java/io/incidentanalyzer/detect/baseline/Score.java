package io.incidentanalyzer.detect.baseline;

/**
 * How one sample compares with its series' baseline, computed before the sample is learned.
 *
 * @param expected what the baseline predicted for this instant (seasonal slot or flat level)
 * @param scale the robust spread the deviation is measured in (never below the floor)
 * @param deviation signed robust z-score: (value − expected) / scale; 0 while warming up
 * @param anomaly how much news the sample is, in [0, 1]: grows with how rare a deviation this
 *     large, a recent mean deviation this large, or a recent swing from sample to sample this
 *     large, has been for this series (0 up to one in a thousand), less what the last half hour
 *     already showed; high at the start of something unusual, back to 0 once it lasts (then {@code
 *     deviation} still says it is away from the baseline)
 * @param warm whether the series had enough history to be scored
 */
public record Score(double expected, double scale, double deviation, double anomaly, boolean warm) {

    static Score cold(double value) {
        return new Score(value, 0, 0, 0, false);
    }

    /** The value relative to the expectation: 2.0 is twice the usual. NaN when expected is 0. */
    public double ratio(double value) {
        return expected == 0 ? Double.NaN : value / expected;
    }
}
