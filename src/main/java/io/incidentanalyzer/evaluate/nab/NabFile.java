package io.incidentanalyzer.evaluate.nab;

import java.util.List;

/**
 * One NAB series with a detector's scores: its rows (event time, value, anomaly score) and its
 * labelled windows as inclusive row ranges.
 *
 * @param name the corpus-relative path, e.g. {@code
 *     realAWSCloudwatch/ec2_cpu_utilization_24ae8d.csv}
 * @param timestamps event time of each row, epoch milliseconds (NAB's timestamps read as UTC)
 * @param values the series' values
 * @param scores the detector's anomaly score of each row; a row is a detection when its score
 *     reaches the threshold
 * @param windows the labelled anomaly windows, in time order
 */
public record NabFile(
        String name, long[] timestamps, double[] values, double[] scores, List<RowWindow> windows) {

    /** A labelled window: rows {@code left..right}, both inclusive. */
    public record RowWindow(int left, int right) {
        public int width() {
            return right - left + 1;
        }

        public boolean contains(int row) {
            return row >= left && row <= right;
        }
    }

    public int rows() {
        return timestamps.length;
    }

    /** Whether {@code row} lies inside a labelled window (the result file's {@code label}). */
    public boolean labelled(int row) {
        for (RowWindow w : windows) {
            if (w.contains(row)) return true;
        }
        return false;
    }

    /** The same series with other scores (a detector's output). */
    public NabFile withScores(double[] newScores) {
        if (newScores.length != timestamps.length) {
            throw new IllegalArgumentException(
                    name + ": " + newScores.length + " scores for " + timestamps.length + " rows");
        }
        return new NabFile(name, timestamps, values, newScores, windows);
    }
}
