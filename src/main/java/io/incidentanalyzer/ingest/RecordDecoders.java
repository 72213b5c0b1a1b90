package io.incidentanalyzer.ingest;

import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.Limits;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;

/**
 * Where every input path gets its decoder and calls it: the Kafka sources and the replay's file
 * sources use the same decoder for the same topic format, so the same bytes give the same event or
 * the same dead letter whichever way they arrive.
 */
public final class RecordDecoders {
    private RecordDecoders() {}

    /** The decoder for {@code topic}'s format, reading events of {@code kind}. */
    public static RecordDecoder forTopic(InputTopic topic, StreamKind kind, Limits limits) {
        return switch (topic.format()) {
            case NATIVE_JSON -> NativeJsonDecoder.forKind(kind, limits.maxRecordBytes());
        };
    }

    /**
     * Decodes one record and always returns one envelope. The contract says decoders never throw
     * and never return null; this guards against one that does, so that a plug-in decoder's bug
     * becomes a dead letter instead of a failed job (which would read the same record again).
     */
    public static Decoded decode(
            RecordDecoder decoder, String topic, int partition, long offset, byte[] value) {
        try {
            Decoded decoded = decoder.decode(topic, partition, offset, value);
            if (decoded != null) {
                return decoded;
            }
            return reject(
                    "decoder error: decoder returned no result", topic, partition, offset, value);
        } catch (RuntimeException e) {
            return reject(
                    "decoder error: "
                            + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()),
                    topic,
                    partition,
                    offset,
                    value);
        }
    }

    private static Decoded reject(
            String detail, String topic, int partition, long offset, byte[] value) {
        return Decoded.rejected(
                DeadLetters.of(RejectReason.BAD_VALUE, detail, topic, partition, offset, value));
    }
}
