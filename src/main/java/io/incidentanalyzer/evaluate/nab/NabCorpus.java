package io.incidentanalyzer.evaluate.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.incidentanalyzer.config.ConfigException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A NAB corpus folder on disk: {@code data/<dir>/<file>.csv} ({@code timestamp,value}), {@code
 * labels/combined_windows.json} (the windows of every file, by corpus-relative path) and result
 * files {@code <results>/<dir>/<detector>_<file>.csv} ({@code timestamp,value,anomaly_score,label},
 * further columns ignored). Rows are taken in file order, as NAB's runner takes them, even where
 * time goes back (one warning per file says where). Every mistake is a {@link ConfigException}
 * naming the file and the fix.
 */
public final class NabCorpus {

    /** NAB writes {@code 2014-02-14 14:30:00}; labels add {@code .000000}. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private final Path root;
    private final Map<String, List<long[]>> labels;
    private final Consumer<String> warnings;

    private NabCorpus(Path root, Map<String, List<long[]>> labels, Consumer<String> warnings) {
        this.root = root;
        this.labels = labels;
        this.warnings = warnings;
    }

    /**
     * Opens the corpus folder {@code root} (with {@code data/} and the labels file); {@code
     * warnings} receives one line per file whose time goes back (without a {@code warning:}
     * prefix).
     */
    public static NabCorpus open(Path root, Consumer<String> warnings) {
        if (!Files.isDirectory(root)) {
            throw new ConfigException(
                    root
                            + ": no such directory; pass a NAB corpus folder (with data/ and"
                            + " labels/)");
        }
        Path labelsFile = root.resolve("labels").resolve("combined_windows.json");
        if (!Files.isRegularFile(labelsFile)) {
            throw new ConfigException(
                    labelsFile
                            + ": no such file; a NAB corpus folder needs"
                            + " labels/combined_windows.json (NAB's labels/combined_windows.json)");
        }
        return new NabCorpus(root, readLabels(labelsFile), warnings);
    }

    /** The corpus-relative paths of its files, e.g. {@code realAWSCloudwatch/x.csv}, sorted. */
    public List<String> names() {
        return List.copyOf(labels.keySet());
    }

    public Path root() {
        return root;
    }

    /** The data file of a corpus entry. */
    public Path dataFile(String name) {
        return root.resolve("data").resolve(name);
    }

    /** Reads a data file's rows ({@code timestamp,value}), with no scores yet (all zero). */
    public NabFile readData(String name) {
        Path file = dataFile(name);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(
                    file
                            + ": no such file, but "
                            + root.resolve("labels/combined_windows.json")
                            + " lists "
                            + name
                            + "; pass the corpus folder that holds its data/");
        }
        return read(name, name, file, false);
    }

    /**
     * Reads the result file of a corpus entry under {@code results} (a detector's folder such as
     * {@code results/ARTime}): {@code <dir>/<detector>_<file>}, or {@code <dir>/<file>}.
     */
    public NabFile readResult(Path results, String name) {
        Path relative = Path.of(name);
        String file = relative.getFileName().toString();
        Path dir = relative.getParent() == null ? results : results.resolve(relative.getParent());
        Path prefixed = dir.resolve(results.getFileName() + "_" + file);
        Path plain = dir.resolve(file);
        Path found = Files.isRegularFile(prefixed) ? prefixed : plain;
        if (!Files.isRegularFile(found)) {
            throw new ConfigException(
                    prefixed
                            + ": no such file; --results needs one result file per labelled file"
                            + " (NAB layout: <results>/<dir>/<detector>_<file>.csv)");
        }
        return read(name, found.toString(), found, true);
    }

    /**
     * Reads {@code file}, the rows of corpus entry {@code name}; warnings call it {@code shown}.
     */
    private NabFile read(String name, String shown, Path file, boolean withScores) {
        List<String> lines;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines = in.lines().toList();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file + ": cannot read the file (" + e.getMessage() + ")");
        }
        if (lines.isEmpty()) {
            throw new ConfigException(file + ": the file is empty; expected a header line");
        }
        List<String> header = Arrays.asList(lines.get(0).strip().split(",", -1));
        int tsCol = column(file, header, "timestamp");
        int valueCol = column(file, header, "value");
        int scoreCol = withScores ? column(file, header, "anomaly_score") : -1;
        int n = lines.size() - 1;
        while (n > 0 && lines.get(n).isBlank()) n--;
        long[] ts = new long[n];
        double[] values = new double[n];
        double[] scores = new double[n];
        int firstBack = -1;
        int backs = 0;
        for (int i = 0; i < n; i++) {
            String line = lines.get(i + 1);
            String[] cells = line.split(",", -1);
            int lineNo = i + 2;
            if (cells.length < header.size()) {
                throw new ConfigException(
                        file
                                + ":"
                                + lineNo
                                + ": expected "
                                + header.size()
                                + " columns ("
                                + String.join(",", header)
                                + "), found "
                                + cells.length
                                + "; fix or remove the line");
            }
            ts[i] = parseTime(file + ":" + lineNo, cells[tsCol]);
            values[i] = number(file, lineNo, "value", cells[valueCol]);
            if (scoreCol >= 0) scores[i] = number(file, lineNo, "anomaly_score", cells[scoreCol]);
            if (i > 0 && ts[i] < ts[i - 1]) {
                if (firstBack < 0) firstBack = i;
                backs++;
            }
        }
        if (backs > 0) {
            warnings.accept(
                    shown
                            + " row "
                            + (firstBack + 2)
                            + ": time goes back from "
                            + formatTime(ts[firstBack - 1])
                            + " to "
                            + formatTime(ts[firstBack])
                            + "; rows are taken in file order, as NAB does ("
                            + (backs == 1 ? "1 row goes" : backs + " rows go")
                            + " back in this file)");
        }
        return new NabFile(name, ts, values, scores, rowWindows(file, name, ts));
    }

    /**
     * The labelled windows of {@code name} as row ranges of {@code ts}: each window runs, in file
     * order, from the first to the last row whose timestamp lies inside it, so where time goes back
     * every row of a repeated stretch inside a window belongs to it. NAB's scorer opens a window at
     * the row of its start and closes it at the row of its end (its labels name timestamps that
     * occur once in the file): the same rows, unless time goes back across a window's edge.
     */
    private List<NabFile.RowWindow> rowWindows(Path file, String name, long[] ts) {
        List<NabFile.RowWindow> windows = new ArrayList<>();
        long[] previous = null;
        for (long[] w : labels.get(name)) {
            int left = -1;
            int right = -1;
            for (int i = 0; i < ts.length; i++) {
                if (ts[i] >= w[0] && ts[i] <= w[1]) {
                    if (left < 0) left = i;
                    right = i;
                }
            }
            if (left < 0) {
                throw new ConfigException(
                        file
                                + ": the labelled window "
                                + span(w)
                                + " holds no row; check that the labels match this file");
            }
            if (!windows.isEmpty() && left <= windows.get(windows.size() - 1).right()) {
                // NabScorer walks the windows in row order and needs their rows disjoint
                throw new ConfigException(
                        file
                                + ": the labelled windows "
                                + span(previous)
                                + " and "
                                + span(w)
                                + " share rows because time goes back between them; fix the"
                                + " labels or the file's row order");
            }
            windows.add(new NabFile.RowWindow(left, right));
            previous = w;
        }
        return windows;
    }

    /** A window as {@code start .. end}. */
    private static String span(long[] window) {
        return formatTime(window[0]) + " .. " + formatTime(window[1]);
    }

    private static int column(Path file, List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new ConfigException(
                    file
                            + ":1: no column '"
                            + name
                            + "' in the header "
                            + String.join(",", header)
                            + "; NAB files start with timestamp,value"
                            + (name.equals("anomaly_score") ? ",anomaly_score,label" : ""));
        }
        return i;
    }

    private static double number(Path file, int lineNo, String field, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    file
                            + ":"
                            + lineNo
                            + ": "
                            + field
                            + " '"
                            + text
                            + "' is not a number; fix the line");
        }
    }

    /**
     * A NAB timestamp ({@code yyyy-MM-dd HH:mm:ss}, optional fraction) as epoch ms, read as UTC.
     */
    static long parseTime(String where, String text) {
        String t = text.strip();
        try {
            LocalDateTime time =
                    LocalDateTime.parse(t.length() > 19 ? t.substring(0, 19) : t, TIMESTAMP);
            return time.toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new ConfigException(
                    where
                            + ": timestamp '"
                            + text
                            + "' is not of the form 2014-02-14 14:30:00; fix the line");
        }
    }

    /** Formats epoch ms as a NAB timestamp. */
    static String formatTime(long ms) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), 0, ZoneOffset.UTC)
                .format(TIMESTAMP);
    }

    private static Map<String, List<long[]>> readLabels(Path file) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(
                    file + ": not valid JSON (" + e.getMessage() + "); fix the file");
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(
                    file + ": expected an object of \"<dir>/<file>.csv\": [[start, end], ...]");
        }
        Map<String, List<long[]>> labels = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        for (String name : names) {
            JsonNode list = root.get(name);
            String where = file + ": \"" + name + "\"";
            if (!list.isArray()) {
                throw new ConfigException(where + ": expected a list of [start, end] windows");
            }
            List<long[]> windows = new ArrayList<>();
            Iterator<JsonNode> it = list.elements();
            for (int i = 0; it.hasNext(); i++) {
                JsonNode w = it.next();
                if (!w.isArray()
                        || w.size() != 2
                        || !w.get(0).isTextual()
                        || !w.get(1).isTextual()) {
                    throw new ConfigException(
                            where
                                    + "["
                                    + i
                                    + "]: expected [\"2014-02-26 13:45:00.000000\", \"2014-02-27"
                                    + " 06:25:00.000000\"]");
                }
                long start = parseTime(where + "[" + i + "][0]", w.get(0).asText());
                long end = parseTime(where + "[" + i + "][1]", w.get(1).asText());
                if (end < start
                        || (!windows.isEmpty() && start <= windows.get(windows.size() - 1)[1])) {
                    throw new ConfigException(
                            where
                                    + "["
                                    + i
                                    + "]: windows must end after they start and not overlap,"
                                    + " in time order; fix the window");
                }
                windows.add(new long[] {start, end});
            }
            labels.put(name, windows);
        }
        return labels;
    }

    /**
     * Writes a scored file in NAB result format ({@code timestamp,value,anomaly_score,label}, label
     * 1 inside a window) as {@code <out>/<dir>/<detector>_<file>}; returns the path.
     */
    public static Path writeResult(Path out, String detector, NabFile f) {
        Path relative = Path.of(f.name());
        Path dir = relative.getParent() == null ? out : out.resolve(relative.getParent());
        Path file = dir.resolve(detector + "_" + relative.getFileName());
        try {
            Files.createDirectories(dir);
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("timestamp,value,anomaly_score,label\n");
                for (int i = 0; i < f.rows(); i++) {
                    w.write(formatTime(f.timestamps()[i]));
                    w.write(',');
                    w.write(number(f.values()[i]));
                    w.write(',');
                    w.write(number(f.scores()[i]));
                    w.write(f.labelled(i) ? ",1\n" : ",0\n");
                }
            }
        } catch (IOException e) {
            throw new ConfigException(
                    file + ": cannot write (" + e.getMessage() + "); choose another --out");
        }
        return file;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : Double.toString(v);
    }
}
