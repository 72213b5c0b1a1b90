package io.incidentanalyzer.testing;

import static io.incidentanalyzer.testing.Fixtures.cpu;
import static io.incidentanalyzer.testing.Fixtures.t;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.model.MetricSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Recorded input for replay tests: native JSON lines and the files that hold them. */
public final class Recordings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Recordings() {}

    /** A sample as one line of the native metrics format (ts in epoch milliseconds). */
    public static String line(MetricSample s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The integration test's episode: database CPU at 99% from t(60) to t(180), 40% before and
     * after, and a steady "api" series, every 10 s from t(0) to t(600), in event-time order.
     */
    public static List<String> databaseSaturation() {
        List<String> lines = new ArrayList<>();
        for (long s = 0; s <= 600; s += 10) {
            lines.add(line(cpu("database", t(s), s >= 60 && s <= 180 ? 99 : 40)));
            lines.add(line(cpu("api", t(s), 30)));
        }
        return lines;
    }

    /** Writes {@code lines} to {@code dir/name}, each ended by {@code \n}. */
    public static Path write(Path dir, String name, List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        return write(dir, name, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static Path write(Path dir, String name, byte[] content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
