package io.incidentanalyzer.replay;

import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.model.Decoded;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
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
 * letter as it is in the file. A rejected line's dead letter names the file as {@code sourceTopic},
 * partition 0 and the 0-based line number as {@code offset}. Empty lines are skipped but counted,
 * so that line numbers stay those of an editor minus one.
 */
final class JsonLinesFormat extends SimpleStreamFormat<Decoded> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final RecordDecoder decoder;
    private final String countersId;

    /**
     * @param topic the file's name relative to the input directory, reported in dead letters
     * @param countersId the {@link ReplayCounters} to add to; null counts nothing
     */
    JsonLinesFormat(String topic, RecordDecoder decoder, String countersId) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.countersId = countersId;
    }

    @Override
    public Reader<Decoded> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, topic, decoder, ReplayCounters.lookup(countersId));
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
        private final InputStream in;
        private final String topic;
        private final RecordDecoder decoder;
        private final ReplayCounters counters;

        private final byte[] buffer = new byte[64 * 1024];
        private int pos;
        private int limit;
        private byte[] line = new byte[1024];
        private int lineLength;
        private long lineNumber = -1;

        private long unreportedRecords;
        private long unreportedMaxTs = Long.MIN_VALUE;

        LineReader(InputStream in, String topic, RecordDecoder decoder, ReplayCounters counters) {
            this.in = in;
            this.topic = topic;
            this.decoder = decoder;
            this.counters = counters;
        }

        @Override
        public Decoded read() throws IOException {
            while (nextLine()) {
                lineNumber++;
                if (lineLength == 0) {
                    continue;
                }
                Decoded d =
                        RecordDecoders.decode(
                                decoder, topic, 0, lineNumber, Arrays.copyOf(line, lineLength));
                count(d);
                return d;
            }
            report();
            return null;
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
