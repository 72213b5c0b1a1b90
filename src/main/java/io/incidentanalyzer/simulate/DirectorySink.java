package io.incidentanalyzer.simulate;

import io.incidentanalyzer.ingest.StreamKind;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes each stream to its own JSON-lines file in a directory: {@code metrics.jsonl}, {@code
 * auth.jsonl}, {@code logs.jsonl} and {@code changes.jsonl}, one record per line. The directory is
 * created if missing; existing stream files are overwritten (all four, so a rerun never leaves a
 * stale stream behind).
 */
public final class DirectorySink implements SimulationSink {
    private static final int BUFFER_CHARS = 1 << 20;

    private final Path dir;
    private final Map<StreamKind, Writer> writers = new EnumMap<>(StreamKind.class);

    public DirectorySink(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        try {
            for (StreamKind k : StreamKind.values()) {
                writers.put(
                        k,
                        new BufferedWriter(
                                new OutputStreamWriter(
                                        Files.newOutputStream(file(dir, k)),
                                        StandardCharsets.UTF_8),
                                BUFFER_CHARS));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The file of {@code stream} in {@code dir}, e.g. {@code DIR/metrics.jsonl}. */
    public static Path file(Path dir, StreamKind stream) {
        return dir.resolve(stream.name().toLowerCase(Locale.ROOT) + ".jsonl");
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void emit(StreamKind stream, long ts, String key, String json) throws IOException {
        Writer w = writers.get(stream);
        w.write(json);
        w.write('\n');
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (Writer w : writers.values()) {
            try {
                w.close();
            } catch (IOException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        writers.clear();
        if (failure != null) throw failure;
    }
}
