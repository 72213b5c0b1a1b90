package io.incidentanalyzer.replay;

import io.incidentanalyzer.ingest.DeadLetters;
import io.incidentanalyzer.ingest.FutureTimestamps;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads one recorded file, one record per line, and decodes each line inside the source with the
 * topic's {@link RecordDecoder}, as the Kafka source does with each record: the same bytes give the
 * same {@link Decoded}, and watermarks are per file as they are per partition.
 *
 * <p>A line is the bytes up to {@code \n}, without it and without a {@code \r} before it; they are
 * passed on unchanged (not decoded as text first), so broken UTF-8 reaches the decoder and the dead
 * letter as it is in the file; a binary format's line is its record in base64. A line may decode to
 * several events (an OTLP request, an Alertmanager group), each judged below against the lines
 * around its own, never against its siblings. A rejected line's dead letter names the file as
 * {@code sourceTopic}, partition 0 and the 0-based line number as {@code offset}. Empty lines are
 * skipped but counted, so that line numbers stay those of an editor minus one.
 *
 * <p>A replay has no wall clock to judge a timestamp by, so a record is judged by its file: one
 * more than {@code maxFuture} ahead of both the highest event time admitted from the lines before
 * its own and the next line's newest event time is a FUTURE_TIMESTAMP rejection ({@link
 * FutureTimestamps}), before the watermark generator sees it. Sparse files keep their gaps (a
 * change at 09:00 after one at 08:45 is followed by later ones), while a lone record dated 2099 is
 * far ahead of the records on both sides of it. The first line has nothing before it and is judged
 * by the next alone; the last has nothing after it and is admitted (it can make no later record
 * late). The events of one line are one record's: a line was written no earlier than its newest
 * event, so siblings hours apart (the alerts of one Alertmanager group) are not judged against each
 * other, and the next line counts by its newest event too.
 */
final class JsonLinesFormat extends SimpleStreamFormat<Decoded> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final RecordDecoder decoder;
    private final String countersId;
    private final Duration maxFuture;
    private final boolean base64Lines;

    /**
     * @param topic the file's name relative to the input directory, reported in dead letters
     * @param countersId the {@link ReplayCounters} to add to; null counts nothing
     * @param maxFuture {@code limits.maxFuture}: how far a record may be ahead of its neighbours
     * @param base64Lines whether each line holds a binary record in base64 (otlp-proto)
     */
    JsonLinesFormat(
            String topic,
            RecordDecoder decoder,
            String countersId,
            Duration maxFuture,
            boolean base64Lines) {
        this.base64Lines = base64Lines;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.countersId = countersId;
        this.maxFuture = Objects.requireNonNull(maxFuture, "maxFuture");
    }

    @Override
    public Reader<Decoded> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(
                stream, topic, decoder, ReplayCounters.lookup(countersId), maxFuture, base64Lines);
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }

    /**
     * Not restorable mid-file by offset: it reports no checkpointed position, so Flink would read
     * the file again from the start and skip the records already emitted (line numbers stay right).
     * A replay does not checkpoint anyway.
     */
    static final class LineReader implements Reader<Decoded> {
        /**
         * Lines read past a record to find the next decoded one; a record followed by more broken
         * lines than this is judged by the record before it alone.
         */
        static final int LOOKAHEAD = 64;

        private final InputStream in;
        private final String topic;
        private final RecordDecoder decoder;
        private final ReplayCounters counters;
        private final Duration maxFuture;
        private final boolean base64Lines;

        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private byte[] line = new byte[1024];
        private int lineLength;
        private long lineNumber = -1;

        /**
         * Outcomes decoded and not handed out yet, in file order: the rest of the current line's (a
         * batch record) and of whole lines read ahead.
         */
        private final ArrayDeque<Line> ahead = new ArrayDeque<>();

        /** The highest event time admitted from the lines before the current one; MIN_VALUE. */
        private long highest = Long.MIN_VALUE;

        /** The highest event time admitted from the current line so far; MIN_VALUE. */
        private long highestInLine = Long.MIN_VALUE;

        /** The number of the line whose outcomes are being handed out; -1 before the first. */
        private long currentLine = -1;

        private long unreportedRecords;
        private long unreportedMaxTs = Long.MIN_VALUE;

        LineReader(
                InputStream in,
                String topic,
                RecordDecoder decoder,
                ReplayCounters counters,
                Duration maxFuture,
                boolean base64Lines) {
            this.in = in;
            this.base64Lines = base64Lines;
            this.topic = topic;
            this.decoder = decoder;
            this.counters = counters;
            this.maxFuture = maxFuture;
        }

        /**
         * One outcome of a non-empty line: its 0-based number, its bytes and what they decoded to.
         * A line holding a batch (an OTLP request) gives one of these per event.
         */
        private record Line(long number, byte[] bytes, Decoded decoded) {}

        @Override
        public Decoded read() throws IOException {
            if (ahead.isEmpty() && !readLine()) {
                report();
                return null;
            }
            Line next = ahead.poll();
            if (next.number() != currentLine) {
                highest = Math.max(highest, highestInLine);
                highestInLine = Long.MIN_VALUE;
                currentLine = next.number();
            }
            Decoded d = admit(next);
            count(d);
            return d;
        }

        /**
         * Reads and decodes the next non-empty line, adding all its outcomes to {@link #ahead};
         * false at the end of the file.
         */
        private boolean readLine() throws IOException {
            while (nextLine()) {
                lineNumber++;
                if (lineLength == 0) {
                    continue;
                }
                byte[] bytes = Arrays.copyOf(line, lineLength);
                for (Decoded d : decodeLine(bytes)) {
                    ahead.add(new Line(lineNumber, bytes, d));
                }
                return true;
            }
            return false;
        }

        /**
         * The line's outcomes. A binary format's line is its record in base64 (docs/formats.md,
         * "Recorded input"); a line that is not base64 is a MALFORMED dead letter.
         */
        private List<Decoded> decodeLine(byte[] bytes) {
            if (!base64Lines) {
                return RecordDecoders.decodeAll(decoder, topic, 0, lineNumber, bytes);
            }
            byte[] record;
            try {
                record = Base64.getDecoder().decode(trimmed(bytes));
            } catch (IllegalArgumentException e) {
                return List.of(
                        Decoded.rejected(
                                DeadLetters.of(
                                        RejectReason.MALFORMED,
                                        "line is not base64 (a binary format's replay file holds"
                                                + " one base64 record per line): "
                                                + e.getMessage(),
                                        topic,
                                        0,
                                        lineNumber,
                                        bytes)));
            }
            return RecordDecoders.decodeAll(decoder, topic, 0, lineNumber, record);
        }

        private static byte[] trimmed(byte[] bytes) {
            int start = 0;
            int end = bytes.length;
            while (start < end && (bytes[start] == ' ' || bytes[start] == '\t')) start++;
            while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) end--;
            return start == 0 && end == bytes.length
                    ? bytes
                    : Arrays.copyOfRange(bytes, start, end);
        }

        /** The line's record, or its FUTURE_TIMESTAMP rejection (see the class comment). */
        private Decoded admit(Line l) throws IOException {
            Decoded d = l.decoded();
            if (d.isRejected()) {
                return d;
            }
            boolean first = highest == Long.MIN_VALUE;
            if (first || FutureTimestamps.jumpsAhead(d.ts(), highest, maxFuture)) {
                long next = nextLineNewest(l.number());
                if (next != Long.MIN_VALUE
                        && FutureTimestamps.jumpsAhead(d.ts(), next, maxFuture)) {
                    String around =
                            "the records around it in "
                                    + topic
                                    + " (before: "
                                    + (first ? "none" : Instant.ofEpochMilli(highest))
                                    + ", next: "
                                    + Instant.ofEpochMilli(next)
                                    + ")";
                    return FutureTimestamps.reject(
                            d, around, maxFuture, topic, 0, l.number(), l.bytes());
                }
            }
            highestInLine = Math.max(highestInLine, d.ts());
            return d;
        }

        /**
         * The newest event time of the first line after {@code current} that decoded to a record,
         * read ahead as far as needed (at most {@link #LOOKAHEAD} lines); MIN_VALUE at the end of
         * the file or when none is that close. Lines are read whole, so all of a line's outcomes
         * are in {@link #ahead} together.
         */
        private long nextLineNewest(long current) throws IOException {
            long number = -1;
            long newest = Long.MIN_VALUE;
            int linesAhead = 0;
            for (Line a : ahead) {
                if (a.number() == current) {
                    continue;
                }
                if (a.number() != number) {
                    if (newest != Long.MIN_VALUE) {
                        return newest;
                    }
                    number = a.number();
                    linesAhead++;
                }
                if (!a.decoded().isRejected()) {
                    newest = Math.max(newest, a.decoded().ts());
                }
            }
            while (newest == Long.MIN_VALUE && linesAhead < LOOKAHEAD) {
                int before = ahead.size();
                if (!readLine()) {
                    return Long.MIN_VALUE;
                }
                linesAhead++;
                int i = 0;
                for (Line a : ahead) {
                    if (i++ >= before && !a.decoded().isRejected()) {
                        newest = Math.max(newest, a.decoded().ts());
                    }
                }
            }
            return newest;
        }

        /** Reads the next line into {@link #line}; false at the end of the file. */
        private boolean nextLine() throws IOException {
            lineLength = 0;
            boolean any = false;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buffer, 0, buffer.length);
                    if (n < 0) {
                        break;
                    }
                    pos = 0;
                    limit = n;
                    continue;
                }
                any = true;
                int start = pos;
                while (pos < limit && buffer[pos] != '\n') {
                    pos++;
                }
                append(start, pos - start);
                if (pos < limit) {
                    pos++; // the '\n'
                    trimCarriageReturn();
                    return true;
                }
            }
            // End of file: a last line without '\n' still counts.
            trimCarriageReturn();
            return any;
        }

        private void append(int start, int length) {
            if (lineLength + length > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
            }
            System.arraycopy(buffer, start, line, lineLength, length);
            lineLength += length;
        }

        private void trimCarriageReturn() {
            if (lineLength > 0 && line[lineLength - 1] == '\r') {
                lineLength--;
            }
        }

        private void count(Decoded d) {
            unreportedRecords++;
            if (!d.isRejected() && d.ts() > unreportedMaxTs) {
                unreportedMaxTs = d.ts();
            }
            if (unreportedRecords >= ReplayCounters.BATCH) {
                report();
            }
        }

        private void report() {
            if (counters != null && unreportedRecords > 0) {
                counters.add(unreportedRecords, unreportedMaxTs);
            }
            unreportedRecords = 0;
            unreportedMaxTs = Long.MIN_VALUE;
        }

        @Override
        public void close() throws IOException {
            report();
            in.close();
        }
    }
}
