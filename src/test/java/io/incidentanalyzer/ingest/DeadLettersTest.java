package io.incidentanalyzer.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void keepsValidUtf8AsText() {
        DeadLetter d =
                DeadLetters.of(
                        RejectReason.NOT_JSON,
                        "bad",
                        "logs",
                        1,
                        2L,
                        "caf\u00e9 \u2603".getBytes(StandardCharsets.UTF_8));

        assertThat(d.raw()).isEqualTo("caf\u00e9 \u2603");
        assertThat(d.rawEncoding()).isEqualTo("utf-8");
        assertThat(d)
                .extracting(DeadLetter::sourceTopic, DeadLetter::partition, DeadLetter::offset)
                .containsExactly("logs", 1, 2L);
    }

    @Test
    void keepsInvalidUtf8AsBase64() {
        // An overlong encoding of '/', which a lenient decoder would silently replace.
        byte[] raw = {(byte) 0xC0, (byte) 0xAF};

        DeadLetter d = DeadLetters.of(RejectReason.NOT_JSON, "bad", "logs", 1, 2L, raw);

        assertThat(d.rawEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(d.raw())).isEqualTo(raw);
    }

    @Test
    void keepsNullRawAsNullText() {
        DeadLetter d = DeadLetters.of(RejectReason.NOT_JSON, "tombstone", "logs", 1, 2L, null);

        assertThat(d.raw()).isNull();
        assertThat(d.rawEncoding()).isEqualTo("utf-8");
    }

    @Test
    void truncatesTooLargeRecordWithoutSplittingACharacter() {
        // 4095 ASCII bytes, then a 3-byte snowman across the 4096-byte cut.
        byte[] raw = new byte[5000];
        Arrays.fill(raw, (byte) 'a');
        byte[] snowman = "\u2603".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(snowman, 0, raw, 4095, 3);

        DeadLetter d =
                DeadLetters.of(RejectReason.TOO_LARGE, "record is 5000 bytes", "m", 0, 0L, raw);

        assertThat(d.rawEncoding()).isEqualTo("utf-8");
        assertThat(d.raw()).hasSize(4095).doesNotContain("\u2603");
        assertThat(d.detail()).isEqualTo("record is 5000 bytes (raw truncated to 4095 bytes)");
    }

    @Test
    void keepsSmallTooLargeRecordWhole() {
        DeadLetter d =
                DeadLetters.of(
                        RejectReason.TOO_LARGE,
                        "record is 20 bytes; limit is 10",
                        "m",
                        0,
                        0L,
                        "01234567890123456789".getBytes(StandardCharsets.UTF_8));

        assertThat(d.raw()).isEqualTo("01234567890123456789");
        assertThat(d.detail()).isEqualTo("record is 20 bytes; limit is 10");
    }
}
