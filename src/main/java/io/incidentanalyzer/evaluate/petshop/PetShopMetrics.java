package io.incidentanalyzer.evaluate.petshop;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        if (lines.size() < 4) {
            throw new ConfigException(
                    file
                            + ": expected three header rows (node, metric, statistic), the"
                            + " unix_timestamp row and data rows; found "
                            + lines.size()
                            + " lines");
        }
        String[] nodes = split(lines.get(0));
        String[] metrics = split(lines.get(1));
        String[] stats = split(lines.get(2));
        if (metrics.length != nodes.length || stats.length != nodes.length) {
            throw new ConfigException(
                    file + ": the three header rows (node, metric, statistic) differ in length");
        }
        int rows = lines.size() - 4;
        long[] ts = new long[rows];
        double[][] values = new double[nodes.length][rows];
        for (int r = 0; r < rows; r++) {
            String[] cells = split(lines.get(r + 4));
            try {
                ts[r] = Math.round(Double.parseDouble(cells[0]) * 1000);
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        file + " line " + (r + 5) + ": first cell is not a unix timestamp");
            }
            for (int c = 1; c < nodes.length; c++) {
                String cell = c < cells.length ? cells[c].trim() : "";
                double v = Double.NaN;
                if (!cell.isEmpty()) {
                    try {
                        v = Double.parseDouble(cell);
                    } catch (NumberFormatException e) {
                        throw new ConfigException(
                                file
                                        + " line "
                                        + (r + 5)
                                        + " column "
                                        + (c + 1)
                                        + ": not a number: "
                                        + cell);
                    }
                }
                values[c][r] = v;
            }
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int c = 1; c < nodes.length; c++) {
            series.putIfAbsent(key(nodes[c], metrics[c], stats[c]), values[c]);
        }
        return new PetShopMetrics(ts, series);
    }

    /** Splits a CSV line; PetShop names contain no quotes or commas. */
    private static String[] split(String line) {
        List<String> cells = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ',') {
                cells.add(line.substring(start, i));
                start = i + 1;
            }
        }
        return cells.toArray(String[]::new);
    }
}
