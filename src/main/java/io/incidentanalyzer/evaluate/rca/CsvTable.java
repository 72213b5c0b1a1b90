package io.incidentanalyzer.evaluate.rca;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A metrics CSV as the root-cause benchmarks write it (PetShop's and Nezha's): plain comma
 * separated cells, no quoting (their names hold no comma), blank lines ignored. Numbers are read
 * with {@link #number}, an empty cell being a missing sample.
 */
public final class CsvTable {
    private final Path file;
    private final List<String[]> rows;

    private CsvTable(Path file, List<String[]> rows) {
        this.file = file;
        this.rows = rows;
    }

    public static CsvTable read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        List<String[]> rows = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (!line.isBlank()) rows.add(split(line));
        }
        return new CsvTable(file, rows);
    }

    public Path file() {
        return file;
    }

    /** Every non-blank row, the header rows included. */
    public List<String[]> rows() {
        return rows;
    }

    /** The index of the header cell {@code name} in the first row, or -1. */
    public int column(String name) {
        if (rows.isEmpty()) return -1;
        String[] header = rows.get(0);
        for (int i = 0; i < header.length; i++) if (header[i].trim().equals(name)) return i;
        return -1;
    }

    /** The index of the header cell {@code name}; a missing one is a {@link ConfigException}. */
    public int required(String name) {
        int c = column(name);
        if (c < 0) throw new ConfigException(file + ": no column " + name + " in the header");
        return c;
    }

    /** Row {@code r}'s cell {@code c} as a number; NaN when blank or beyond the row's end. */
    public double number(int r, int c) {
        String[] row = rows.get(r);
        String cell = c < row.length ? row[c].trim() : "";
        if (cell.isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    file + " row " + (r + 1) + " column " + (c + 1) + ": not a number: " + cell);
        }
    }

    /** Row {@code r}'s cell {@code c}, trimmed; empty beyond the row's end. */
    public String text(int r, int c) {
        String[] row = rows.get(r);
        return c < row.length ? row[c].trim() : "";
    }

    static String[] split(String line) {
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
