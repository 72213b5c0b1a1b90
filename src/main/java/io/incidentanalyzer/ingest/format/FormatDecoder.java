package io.incidentanalyzer.ingest.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.ingest.DeadLetters;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.Reject;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The skeleton every producer format's decoder shares: the size limit first, then the format's own
 * {@link #read}, which adds events (and rejections of the parts it could not read) to an {@link
 * Events}; a {@link Reject} thrown from it rejects the whole record, and anything else thrown is a
 * decoder bug that costs one record. Subclasses are small: they only map fields.
 */
public abstract class FormatDecoder implements RecordDecoder {
    private static final long serialVersionUID = 1L;

    /** The stream read; null for the optional traces input, which is none of the four. */
    protected final StreamKind kind;

    private final String stream;
    private final int maxRecordBytes;

    protected FormatDecoder(StreamKind kind, int maxRecordBytes) {
        this(
                Objects.requireNonNull(kind, "kind"),
                kind.name().toLowerCase(Locale.ROOT),
                maxRecordBytes);
    }

    /** A decoder for an input outside the four streams (traces), named {@code stream}. */
    protected FormatDecoder(String stream, int maxRecordBytes) {
        this(null, Objects.requireNonNull(stream, "stream"), maxRecordBytes);
    }

    private FormatDecoder(StreamKind kind, String stream, int maxRecordBytes) {
        this.kind = kind;
        this.stream = stream;
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be positive, got " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    private transient ObjectMapper mapper;

    /** The record as a JSON object, or NOT_JSON; the mapper is built once per task. */
    protected final JsonNode jsonObject(byte[] value) throws Reject {
        if (mapper == null) {
            mapper = JsonInput.mapper();
        }
        return JsonInput.parseObject(mapper, value);
    }

    /** MALFORMED for a null (tombstone) or empty value of a non-JSON format. */
    protected static void requireBytes(byte[] value) throws Reject {
        if (value == null || value.length == 0) {
            throw new Reject(
                    RejectReason.MALFORMED,
                    "record value is " + (value == null ? "null" : "empty"));
        }
    }

    /** Reads one record value, possibly null or empty (a tombstone), into {@code out}. */
    protected abstract void read(byte[] value, Events out) throws Reject;

    @Override
    public final List<Decoded> decodeAll(String topic, int partition, long offset, byte[] value) {
        Events out = new Events(kind, stream, topic, partition, offset, value);
        try {
            JsonInput.checkSize(value, maxRecordBytes);
            read(value, out);
            return out.finish();
        } catch (Reject r) {
            return List.of(out.rejected(r.reason(), r.getMessage()));
        } catch (RuntimeException e) {
            // Last resort: a bug here must cost one record, not the job.
            return List.of(
                    Decoded.rejected(DeadLetters.decoderError(e, topic, partition, offset, value)));
        }
    }

    /**
     * The record's one outcome. A record of a batch format that holds several is one rejection
     * here, never a silent choice of one: the input paths call {@link #decodeAll}.
     */
    @Override
    public final Decoded decode(String topic, int partition, long offset, byte[] value) {
        return single(decodeAll(topic, partition, offset, value), topic, partition, offset, value);
    }

    /**
     * A record's one outcome from all of them: a record that holds several is one rejection, never
     * a silent choice of one.
     */
    static Decoded single(
            List<Decoded> all, String topic, int partition, long offset, byte[] value) {
        if (all.size() == 1) {
            return all.get(0);
        }
        return Decoded.rejected(
                DeadLetters.of(
                        RejectReason.BAD_VALUE,
                        "record holds " + all.size() + " outcomes; read it with decodeAll",
                        topic,
                        partition,
                        offset,
                        value));
    }
}
