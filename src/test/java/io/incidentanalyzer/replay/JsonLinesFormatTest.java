package io.incidentanalyzer.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.ingest.NativeJsonDecoder;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line reader alone: what is a line, which line number a rejection gets, what is counted. */
class JsonLinesFormatTest {

    private static final String SAMPLE =
            "{\"ts\":%d,\"service\":\"database\",\"metric\":\"cpu_utilization\",\"value\":97.5}";
    private static final long T = 1708068000000L;

    private static List<Decoded> readAll(byte[] file, ReplayCounters counters) throws IOException {
        JsonLinesFormat.LineReader reader =
                new JsonLinesFormat.LineReader(
                        new ByteArrayInputStream(file),
                        "metrics.jsonl",
                        NativeJsonDecoder.forKind(StreamKind.METRICS, 1024),
                        counters);
        List<Decoded> out = new ArrayList<>();
        for (Decoded d = reader.read(); d != null; d = reader.read()) {
            out.add(d);
        }
        reader.close();
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rejectionNamesTheFileAndTheZeroBasedLineCountingEmptyLines() throws IOException {
        String file =
                SAMPLE.formatted(T)
                        + "\r\n" // CRLF: the \r is not part of the record
                        + "\n" // empty line: skipped, still counted
                        + "not json\n"
                        + SAMPLE.formatted(T + 1000); // last line without \n

        List<Decoded> out = readAll(bytes(file), null);

        assertThat(out).hasSize(3);
        assertThat(out.get(0).metric().value()).isEqualTo(97.5);
        DeadLetter d = out.get(1).rejected();
        assertThat(d.reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(d.sourceTopic()).isEqualTo("metrics.jsonl");
        assertThat(d.partition()).isZero();
        assertThat(d.offset()).isEqualTo(2);
        assertThat(d.raw()).isEqualTo("not json");
        assertThat(out.get(2).ts()).isEqualTo(T + 1000);
    }

    @Test
    void bytesReachTheDecoderUnchanged() throws IOException {
        byte[] file = {'{', (byte) 0xff, 0x00, '}', '\n'};

        DeadLetter d = readAll(file, null).get(0).rejected();

        assertThat(d.rawEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(d.raw()))
                .containsExactly('{', (byte) 0xff, 0x00, '}');
    }

    @Test
    void linesLongerThanTheReadBufferStayWhole() throws IOException {
        String padding = "x".repeat(200_000);
        String file = "{\"pad\":\"" + padding + "\"}\n" + SAMPLE.formatted(T) + "\n";

        List<Decoded> out = readAll(bytes(file), null);

        assertThat(out).hasSize(2);
        assertThat(out.get(0).rejected().reason()).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(out.get(0).rejected().detail()).startsWith("record is 200010 bytes");
        assertThat(out.get(1).metric().service()).isEqualTo("database");
    }

    @Test
    void countsRecordsAndTheNewestEventTimeOnceTheFileEnds() throws IOException {
        StringBuilder file = new StringBuilder();
        int n = ReplayCounters.BATCH * 2 + 7;
        for (int i = 0; i < n; i++) {
            file.append(SAMPLE.formatted(T + 1000L * ((i * 7919L) % n))).append('\n');
        }
        file.append("\n{broken\n");
        ReplayCounters counters = ReplayCounters.register();
        try {
            readAll(bytes(file.toString()), counters);

            assertThat(counters.records()).isEqualTo(n + 1);
            assertThat(counters.maxEventTime()).isEqualTo(T + 1000L * (n - 1));
        } finally {
            counters.unregister();
        }
    }

    @Test
    void anEmptyFileHasNoRecords() throws IOException {
        assertThat(readAll(new byte[0], null)).isEmpty();
        assertThat(readAll(bytes("\n\r\n"), null)).isEmpty();
    }
}
