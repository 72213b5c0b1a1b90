package io.incidentanalyzer.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.ingest.NativeJsonDecoder;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.AlertmanagerDecoder;
import io.incidentanalyzer.ingest.format.ServiceNames;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
        return readAll(file, counters, NativeJsonDecoder.forKind(StreamKind.METRICS, 1024));
    }

    private static List<Decoded> readAll(
            byte[] file, ReplayCounters counters, RecordDecoder decoder) throws IOException {
        JsonLinesFormat.LineReader reader =
                new JsonLinesFormat.LineReader(
                        new ByteArrayInputStream(file),
                        "metrics.jsonl",
                        decoder,
                        counters,
                        Duration.ofMinutes(5),
                        false);
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

    /** Lines of samples at the given event times. */
    private static byte[] samplesAt(long... ts) {
        StringBuilder file = new StringBuilder();
        for (long t : ts) file.append(SAMPLE.formatted(t)).append('\n');
        return bytes(file.toString());
    }

    private static final long Y2099 = 4070908800000L;
    private static final long MINUTE = 60_000;

    @Test
    void aLoneRecordFarAheadOfTheRecordsAroundItIsAFutureTimestamp() throws IOException {
        List<Decoded> out = readAll(samplesAt(T, T + 10_000, Y2099, T + 20_000, T + 30_000), null);

        assertThat(out)
                .extracting(Decoded::isRejected)
                .containsExactly(false, false, true, false, false);
        DeadLetter d = out.get(2).rejected();
        assertThat(d.reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(d.offset()).isEqualTo(2);
        assertThat(d.detail())
                .isEqualTo(
                        "ts 2099-01-01T00:00:00Z is more than 5m (limits.maxFuture) ahead of the"
                                + " records around it in metrics.jsonl (before:"
                                + " 2024-02-16T07:20:10Z, next: 2024-02-16T07:20:20Z)");
        assertThat(out.get(3).ts()).isEqualTo(T + 20_000);
    }

    @Test
    void aFirstRecordFarAheadOfTheNextIsAFutureTimestampToo() throws IOException {
        List<Decoded> out = readAll(samplesAt(Y2099, T, T + 10_000), null);

        assertThat(out.get(0).rejected().reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(out.get(0).rejected().detail())
                .contains("(before: none, next: 2024-02-16T07:20:00Z)");
        assertThat(out.subList(1, 3)).extracting(Decoded::ts).containsExactly(T, T + 10_000);
    }

    @Test
    void gapsInASparseFileAreNotFutureTimestamps() throws IOException {
        // Changes: 08:45, 09:00, 18:00 and the next morning; and a broken line after a gap.
        byte[] file =
                bytes(
                        SAMPLE.formatted(T)
                                + "\n"
                                + SAMPLE.formatted(T + 15 * MINUTE)
                                + "\nnot json\n"
                                + SAMPLE.formatted(T + 9 * 60 * MINUTE)
                                + "\n"
                                + SAMPLE.formatted(T + 25 * 60 * MINUTE)
                                + "\n");

        List<Decoded> out = readAll(file, null);

        assertThat(out)
                .filteredOn(d -> !d.isRejected())
                .extracting(Decoded::ts)
                .containsExactly(T, T + 15 * MINUTE, T + 9 * 60 * MINUTE, T + 25 * 60 * MINUTE);
        assertThat(out.get(2).rejected().reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(out.get(2).rejected().offset()).as("read ahead, still in order").isEqualTo(2);
    }

    private static final long HOUR = 60 * MINUTE;

    /** One Alertmanager webhook (one group) on one line, an alert firing since each time. */
    private static String webhook(long... startsAt) {
        StringBuilder alerts = new StringBuilder();
        for (int i = 0; i < startsAt.length; i++) {
            if (i > 0) alerts.append(',');
            alerts.append(
                    "{\"status\":\"firing\",\"labels\":{\"alertname\":\"A%d\",\"service\":\"s\"},\"startsAt\":\"%s\"}"
                            .formatted(i, java.time.Instant.ofEpochMilli(startsAt[i])));
        }
        return "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[" + alerts + "]}\n";
    }

    private static List<Decoded> readAlerts(String file) throws IOException {
        return readAll(
                bytes(file),
                null,
                new AlertmanagerDecoder(new ServiceNames(List.of("service"), null), 65536));
    }

    @Test
    void alertsOfOneWebhookHoursApartAreJudgedByTheLinesAroundItNotByEachOther()
            throws IOException {
        // A group whose second alert fired six hours after its first, notified again and again:
        // each line's alerts are as old as the line's newest one allows, none is in the future.
        String file =
                webhook(T)
                        + webhook(T + 6 * HOUR, T)
                        + webhook(T + 6 * HOUR, T)
                        + webhook(T, T + 6 * HOUR);

        List<Decoded> out = readAlerts(file);

        assertThat(out).hasSize(7).noneMatch(Decoded::isRejected);
        // A file of one such line, the newest alert first, is no different.
        assertThat(readAlerts(webhook(T + 6 * HOUR, T))).hasSize(2).noneMatch(Decoded::isRejected);
    }

    @Test
    void anAlertOfAWebhookDatedFarAheadOfTheLinesAroundItIsStillAFutureTimestamp()
            throws IOException {
        String file = webhook(T) + webhook(T + MINUTE, Y2099) + webhook(T + 2 * MINUTE);

        List<Decoded> out = readAlerts(file);

        assertThat(out).extracting(Decoded::isRejected).containsExactly(false, false, true, false);
        DeadLetter d = out.get(2).rejected();
        assertThat(d.reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
        assertThat(d.offset()).isEqualTo(1);
        assertThat(d.detail())
                .endsWith("(before: 2024-02-16T07:20:00Z, next: 2024-02-16T07:22:00Z)");
        // Its sibling dated now does not vouch for it, nor does it count as the line's newest.
        assertThat(readAlerts(webhook(Y2099, T) + webhook(T + MINUTE)))
                .extracting(Decoded::isRejected)
                .containsExactly(true, false, false);
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
