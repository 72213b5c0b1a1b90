package io.incidentanalyzer.ingest;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.RejectReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Builds {@link DeadLetter}s that keep the rejected bytes: as text when they are valid UTF-8, so
 * that an engineer can read and replay them, and as base64 otherwise, so that nothing is lost.
 */
public final class DeadLetters {

    /** A TOO_LARGE record keeps at most this many bytes: enough to recognise it. */
    public static final int MAX_RAW_BYTES_WHEN_TOO_LARGE = 4096;

    public static final String UTF_8 = "utf-8";
    public static final String BASE64 = "base64";

    private DeadLetters() {}

    public static DeadLetter of(
            RejectReason reason,
            String detail,
            String topic,
            int partition,
            long offset,
            byte[] raw) {
        byte[] kept = raw;
        String fullDetail = detail;
        if (raw != null
                && reason == RejectReason.TOO_LARGE
                && raw.length > MAX_RAW_BYTES_WHEN_TOO_LARGE) {
            int cut = utf8Boundary(raw, MAX_RAW_BYTES_WHEN_TOO_LARGE);
            kept = Arrays.copyOf(raw, cut);
            fullDetail = detail + " (raw truncated to " + cut + " bytes)";
        }
        if (kept == null) {
            return new DeadLetter(reason, fullDetail, topic, partition, offset, null, UTF_8);
        }
        String text = strictUtf8(kept);
        if (text != null) {
            return new DeadLetter(reason, fullDetail, topic, partition, offset, text, UTF_8);
        }
        return new DeadLetter(
                reason,
                fullDetail,
                topic,
                partition,
                offset,
                Base64.getEncoder().encodeToString(kept),
                BASE64);
    }

    /**
     * The BAD_VALUE dead letter of a record whose decoder threw: the last resort that makes a
     * decoder's bug cost one record instead of the job.
     */
    public static DeadLetter decoderError(
            RuntimeException e, String topic, int partition, long offset, byte[] raw) {
        return of(
                RejectReason.BAD_VALUE,
                "decoder error: "
                        + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()),
                topic,
                partition,
                offset,
                raw);
    }

    /** The bytes as a string if they are well-formed UTF-8, else {@code null}. */
    static String strictUtf8(byte[] bytes) {
        // A fresh decoder per call: CharsetDecoder is stateful and not thread-safe.
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * The largest cut at or below {@code limit} that does not split a UTF-8 sequence, so that a
     * truncated text record stays readable text instead of turning into base64. For bytes that are
     * not UTF-8 at all the cut moves back by at most three bytes.
     */
    private static int utf8Boundary(byte[] raw, int limit) {
        int cut = limit;
        // Step back over continuation bytes (10xxxxxx) to the start of the split character.
        while (cut > limit - 3 && (raw[cut] & 0xC0) == 0x80) {
            cut--;
        }
        return cut;
    }
}
