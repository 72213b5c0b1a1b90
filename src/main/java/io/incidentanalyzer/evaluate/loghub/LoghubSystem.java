package io.incidentanalyzer.evaluate.loghub;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One system of a Loghub-2k folder, read from {@code <S>/<S>_2k.log_structured.csv}: each line's
 * message ({@code Content}), in file order, with its ground truth. The event ({@code EventId})
 * decides grouping accuracy; the template ({@code EventTemplate}) decides parsing accuracy and is
 * taken from {@code <S>_2k.log_structured_corrected.csv} (the ICSE'22 corrections) when that file
 * exists, else from the structured file itself. The corrections change templates, not the grouping:
 * their {@code EventId}s partition the lines exactly as the original's do.
 *
 * @param name the system, e.g. {@code Apache}
 * @param structured the file the lines and events come from
 * @param templatesFrom the file the ground-truth templates come from
 * @param lines the lines in file order
 */
public record LoghubSystem(String name, Path structured, Path templatesFrom, List<Line> lines) {

    /** Suffix of a system's structured file (its lines with their ground truth). */
    static final String STRUCTURED = ".log_structured.csv";

    /** Suffix of the corrected ground truth beside it. */
    static final String CORRECTED = ".log_structured_corrected.csv";

    /**
     * A line of the log.
     *
     * @param content the message, the part a log parser sees
     * @param eventId the ground-truth event
     * @param template the ground-truth template, {@code <*>} for each variable part
     */
    public record Line(String content, String eventId, String template) {}

    /**
     * The systems of a Loghub folder: every sub-folder holding a {@code *_2k.log_structured.csv},
     * by name; {@code root} itself when it is one system's folder.
     */
    public static List<LoghubSystem> readAll(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ConfigException(
                    root
                            + ": no such directory; pass the Loghub-2k folder (with <S>/<S>_2k"
                            + STRUCTURED
                            + " per system)");
        }
        if (structuredFile(root) != null) return List.of(read(root));
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs =
                    s.filter(Files::isDirectory)
                            .filter(d -> structuredFile(d) != null)
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new ConfigException(root + ": cannot list the folder (" + e.getMessage() + ")");
        }
        if (dirs.isEmpty()) {
            throw new ConfigException(
                    root
                            + ": no system folder with a <S>_2k"
                            + STRUCTURED
                            + " file; pass the Loghub-2k folder (Loghub's layout: <S>/<S>_2k"
                            + STRUCTURED
                            + ")");
        }
        List<LoghubSystem> systems = new ArrayList<>(dirs.size());
        for (Path d : dirs) systems.add(read(d));
        return systems;
    }

    /**
     * Reads the system in folder {@code dir}: its structured file and, if present, the corrected
     * one.
     */
    public static LoghubSystem read(Path dir) {
        Path structured = structuredFile(dir);
        if (structured == null) {
            throw new ConfigException(
                    dir
                            + ": no *"
                            + STRUCTURED
                            + " file; a Loghub system folder holds <S>_2k"
                            + STRUCTURED);
        }
        String file = structured.getFileName().toString();
        String name = file.substring(0, file.length() - STRUCTURED.length());
        name = name.endsWith("_2k") ? name.substring(0, name.length() - 3) : name;
        List<List<String>> rows = records(structured);
        int content = column(structured, rows.get(0), "Content");
        int event = column(structured, rows.get(0), "EventId");
        int template = column(structured, rows.get(0), "EventTemplate");
        Path corrected =
                structured.resolveSibling(
                        file.substring(0, file.length() - STRUCTURED.length()) + CORRECTED);
        List<List<String>> truth = rows;
        int truthTemplate = template;
        Path templatesFrom = structured;
        if (Files.isRegularFile(corrected)) {
            truth = records(corrected);
            truthTemplate = column(corrected, truth.get(0), "EventTemplate");
            templatesFrom = corrected;
            if (truth.size() != rows.size()) {
                throw new ConfigException(
                        corrected
                                + ": "
                                + (truth.size() - 1)
                                + " lines, but "
                                + structured
                                + " has "
                                + (rows.size() - 1)
                                + "; the two must describe the same lines (remove the corrected"
                                + " file to score against the structured one)");
            }
        }
        List<Line> lines = new ArrayList<>(rows.size() - 1);
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            List<String> truthRow = truth.get(r);
            int width = rows.get(0).size();
            if (row.size() != width || truthRow.size() != truth.get(0).size()) {
                Path where = row.size() != width ? structured : templatesFrom;
                throw new ConfigException(
                        where
                                + ": record "
                                + r
                                + " has "
                                + (row.size() != width ? row.size() : truthRow.size())
                                + " fields, the header "
                                + (row.size() != width ? width : truth.get(0).size())
                                + "; quote fields that hold commas");
            }
            lines.add(new Line(row.get(content), row.get(event), truthRow.get(truthTemplate)));
        }
        if (lines.isEmpty()) {
            throw new ConfigException(structured + ": no lines after the header");
        }
        return new LoghubSystem(name, structured, templatesFrom, List.copyOf(lines));
    }

    private static Path structuredFile(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(
                            p -> {
                                String f = p.getFileName().toString();
                                return f.endsWith(STRUCTURED) && Files.isRegularFile(p);
                            })
                    .sorted()
                    .findFirst()
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The file's records without blank lines; at least a header. */
    private static List<List<String>> records(Path file) {
        List<List<String>> rows = new ArrayList<>(Csv.read(file));
        rows.removeIf(r -> r.size() == 1 && r.get(0).isEmpty());
        if (rows.isEmpty()) {
            throw new ConfigException(file + ": the file is empty; expected a header line");
        }
        return rows;
    }

    private static int column(Path file, List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new ConfigException(
                    file
                            + ": no "
                            + name
                            + " column in the header ("
                            + String.join(",", header)
                            + "); Loghub's structured files have LineId,...,Content,EventId,"
                            + "EventTemplate");
        }
        return i;
    }
}
