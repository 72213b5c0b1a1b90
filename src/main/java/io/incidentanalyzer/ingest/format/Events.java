package io.incidentanalyzer.ingest.format;

import io.incidentanalyzer.ingest.DeadLetters;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.LogEvent;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcomes of one record while a {@link FormatDecoder} reads it. A part that cannot be read (a
 * data point with a NaN value, a log record without a time) is skipped, not the record: the record
 * then gets one dead letter that counts the skipped parts and names the first one's problem, so a
 * batch's good events still flow and none of its bad ones disappears silently.
 */
public final class Events {
    private final StreamKind kind;
    private final String stream;
    private final String topic;
    private final int partition;
    private final long offset;
    private final byte[] value;

    private final List<Decoded> events = new ArrayList<>();
    private int skipped;
    private RejectReason firstReason;
    private String firstDetail;

    Events(StreamKind kind, String stream, String topic, int partition, long offset, byte[] value) {
        this.kind = kind;
        this.stream = stream;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.value = value;
    }

    /**
     * The stream the record is read for; a format for several streams reads only its part. Null for
     * the optional traces input, which is none of the four.
     */
    public StreamKind kind() {
        return kind;
    }

    public void add(MetricSample m) {
        events.add(Decoded.of(m));
    }

    public void add(AuthEvent a) {
        events.add(Decoded.of(a));
    }

    public void add(LogEvent l) {
        events.add(Decoded.of(l));
    }

    public void add(ChangeEvent c) {
        events.add(Decoded.of(c));
    }

    public void add(Span s) {
        events.add(Decoded.of(s));
    }

    /** Skips one part of the record; {@code where} names it, e.g. "metric 'x' point 3". */
    public void skip(String where, Reject why) {
        if (skipped == 0) {
            firstReason = why.reason();
            firstDetail = where + ": " + why.getMessage();
        }
        skipped++;
    }

    /** The record's outcomes: its events, then one dead letter if any part was skipped. */
    List<Decoded> finish() throws Reject {
        if (skipped > 0) {
            String detail =
                    events.isEmpty() && skipped == 1
                            ? firstDetail
                            : skipped
                                    + " of "
                                    + (skipped + events.size())
                                    + " parts skipped; the first: "
                                    + firstDetail;
            events.add(rejected(firstReason, detail));
        }
        if (events.isEmpty()) {
            throw new Reject(RejectReason.MISSING_FIELD, "record holds no " + stream + " events");
        }
        return events;
    }

    Decoded rejected(RejectReason reason, String detail) {
        return Decoded.rejected(DeadLetters.of(reason, detail, topic, partition, offset, value));
    }
}
