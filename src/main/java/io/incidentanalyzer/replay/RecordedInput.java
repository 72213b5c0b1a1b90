package io.incidentanalyzer.replay;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.ingest.StreamKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The files of a recorded input directory, per stream (docs/formats.md, "Recorded input"): {@code
 * DIR/metrics.jsonl} and the files {@code DIR/metrics/*.jsonl}, and the same for auth, logs and
 * changes, and for the job's optional inputs {@code externalAlerts} and {@code traces}. Every
 * stream is optional; a directory without any of them is a mistake.
 *
 * @param dir the directory
 * @param files the files of each stream in the order they are named here: {@code <stream>.jsonl}
 *     first, then {@code <stream>/*.jsonl} sorted by name; an empty list for a missing stream
 * @param optional the same for the optional inputs, by their job-file name ({@link
 *     #EXTERNAL_ALERTS}, {@link #TRACES})
 */
public record RecordedInput(
        Path dir, Map<StreamKind, List<Path>> files, Map<String, List<Path>> optional) {

    public static final String EXTENSION = ".jsonl";

    /** The optional inputs' names in file names, as in the job file's {@code topics:}. */
    public static final String EXTERNAL_ALERTS = "externalAlerts";

    public static final String TRACES = "traces";

    private static final List<String> OPTIONAL = List.of(EXTERNAL_ALERTS, TRACES);

    public RecordedInput {
        Map<StreamKind, List<Path>> copy = new EnumMap<>(StreamKind.class);
        for (StreamKind kind : StreamKind.values()) {
            copy.put(kind, List.copyOf(files.getOrDefault(kind, List.of())));
        }
        files = Collections.unmodifiableMap(copy);
        Map<String, List<Path>> extra = new java.util.TreeMap<>();
        for (String name : OPTIONAL) {
            extra.put(name, List.copyOf(optional.getOrDefault(name, List.of())));
        }
        optional = Collections.unmodifiableMap(extra);
    }

    /** The four streams' files only. */
    public RecordedInput(Path dir, Map<StreamKind, List<Path>> files) {
        this(dir, files, Map.of());
    }

    /** The stream's name in file names: metrics, auth, logs, changes. */
    public static String streamName(StreamKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Finds the recorded files in {@code dir}.
     *
     * @throws ConfigException when {@code dir} is not a directory, holds none of the expected
     *     files, or one of them cannot be read; the message names the path and what is expected
     */
    public static RecordedInput find(Path dir) {
        if (!Files.exists(dir)) {
            throw new ConfigException(dir + ": no such directory; " + expected());
        }
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(dir + ": is a file, not a directory; " + expected());
        }
        Map<StreamKind, List<Path>> files = new EnumMap<>(StreamKind.class);
        int total = 0;
        for (StreamKind kind : StreamKind.values()) {
            List<Path> found = filesOf(dir, streamName(kind));
            total += found.size();
            files.put(kind, found);
        }
        Map<String, List<Path>> optional = new java.util.TreeMap<>();
        for (String name : OPTIONAL) {
            List<Path> found = filesOf(dir, name);
            total += found.size();
            optional.put(name, found);
        }
        if (total == 0) {
            throw new ConfigException(dir + ": no recorded input in it; " + expected());
        }
        return new RecordedInput(dir, files, optional);
    }

    /** {@code DIR/<name>.jsonl}, then {@code DIR/<name>/*.jsonl} sorted by name. */
    private static List<Path> filesOf(Path dir, String name) {
        List<Path> found = new ArrayList<>();
        Path single = dir.resolve(name + EXTENSION);
        if (Files.isRegularFile(single)) {
            found.add(single);
        }
        Path sub = dir.resolve(name);
        if (Files.isDirectory(sub)) {
            found.addAll(jsonLinesIn(sub));
        }
        for (Path f : found) {
            if (!Files.isReadable(f)) {
                throw new ConfigException(f + ": cannot be read; check its permissions");
            }
        }
        return found;
    }

    /** The dead letters' source topic for a file: its path relative to the directory. */
    public String topicOf(Path file) {
        return dir.relativize(file).toString().replace(dir.getFileSystem().getSeparator(), "/");
    }

    private static List<Path> jsonLinesIn(Path sub) {
        try (Stream<Path> listing = Files.list(sub)) {
            return listing.filter(
                            p -> {
                                String name = p.getFileName().toString();
                                return name.endsWith(EXTENSION)
                                        && !name.startsWith(".")
                                        && Files.isRegularFile(p);
                            })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigException(sub + ": cannot list the directory (" + e.getMessage() + ")");
        }
    }

    private static String expected() {
        String names =
                Stream.concat(
                                Arrays.stream(StreamKind.values()).map(k -> streamName(k)),
                                OPTIONAL.stream())
                        .map(n -> n + EXTENSION)
                        .collect(Collectors.joining(", "));
        return "expected a directory holding one or more of "
                + names
                + " (one record per line), or directories metrics/, auth/, logs/, changes/,"
                + " externalAlerts/, traces/ of *.jsonl files (docs/formats.md, \"Recorded input"
                + " (replay)\")";
    }
}
