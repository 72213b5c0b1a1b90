package io.incidentanalyzer.evaluate.loghub;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a comma-separated file as RFC 4180 writes it (and pandas, which wrote Loghub's files): a
 * field in double quotes may hold commas, line breaks and doubled quotes; records end at CR LF or
 * LF outside quotes. The first record is the header.
 */
final class Csv {
    private Csv() {}

    /** The records of {@code file}, header first; a malformed file is a {@link ConfigException}. */
    static List<List<String>> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file + ": cannot read the file (" + e.getMessage() + ")");
        }
        return parse(file.toString(), text);
    }

    static List<List<String>> parse(String where, String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int n = text.length();
        int recordLine = 1;
        int line = 1;
        boolean quoted = false;
        boolean fieldStarted = false;
        while (i < n) {
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < n && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i < n && text.charAt(i) == '\n') i++;
                record.add(field.toString());
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
                recordLine = ++line;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new ConfigException(
                    where
                            + ":"
                            + recordLine
                            + ": a quoted field never ends; the file is cut short or its quotes"
                            + " are unbalanced");
        }
        if (fieldStarted || !field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
