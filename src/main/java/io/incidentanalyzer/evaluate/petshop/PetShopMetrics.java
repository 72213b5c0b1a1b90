package io.incidentanalyzer.evaluate.petshop;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.evaluate.rca.CsvTable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One PetShop {@code metrics.csv}: three header rows (node, metric, statistic), a fourth naming the
 * {@code unix_timestamp} column, then one row per 5-minute step; an empty cell is a missing sample.
 *
 * @param timestamps epoch ms of each row
 * @param series every column, keyed by {@link #key}, values NaN where missing
 */
record PetShopMetrics(long[] timestamps, Map<String, double[]> series) {

    static String key(String node, String metric, String statistic) {
        return node + "|" + metric + "|" + statistic;
    }

    static String nodeOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }

    static PetShopMetrics read(Path file) {
        CsvTable csv = CsvTable.read(file);
        List<String[]> lines = csv.rows();
        if (lines.size() < 4) {
            throw new ConfigException(
                    file
                            + ": expected three header rows (node, metric, statistic), the"
                            + " unix_timestamp row and data rows; found "
                            + lines.size()
                            + " lines");
        }
        String[] nodes = lines.get(0);
        String[] metrics = lines.get(1);
        String[] stats = lines.get(2);
        if (metrics.length != nodes.length || stats.length != nodes.length) {
            throw new ConfigException(
                    file + ": the three header rows (node, metric, statistic) differ in length");
        }
        int rows = lines.size() - 4;
        long[] ts = new long[rows];
        double[][] values = new double[nodes.length][rows];
        for (int r = 0; r < rows; r++) {
            double t = csv.number(r + 4, 0);
            if (Double.isNaN(t)) {
                throw new ConfigException(
                        file + " line " + (r + 5) + ": first cell is not a unix timestamp");
            }
            ts[r] = Math.round(t * 1000);
            for (int c = 1; c < nodes.length; c++) values[c][r] = csv.number(r + 4, c);
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int c = 1; c < nodes.length; c++) {
            series.putIfAbsent(key(nodes[c], metrics[c], stats[c]), values[c]);
        }
        return new PetShopMetrics(ts, series);
    }
}
