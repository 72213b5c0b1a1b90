package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing key's place and the signatures it makes. */
class ReviewSignerTest {
    private static final byte[] RECORD =
            "{\"id\":\"r1\",\"action\":\"PUBLISH_UPDATE\"}".getBytes(StandardCharsets.UTF_8);

    private static byte[] header(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aMissingKeyFileIsMadeOwnerOnlyAndTheSameKeyIsReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/review-signing.key");
        ReviewSigner first = ReviewSigner.load(null, "REVIEW_SIGNING_KEY", file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        ReviewSigner again = ReviewSigner.load(null, "REVIEW_SIGNING_KEY", file);
        assertThat(again.verify(RECORD, header(first.sign(RECORD)))).isTrue();
    }

    @Test
    void aSignatureFitsOnlyItsRecordAndItsKey() {
        ReviewSigner a = ReviewSigner.load("a".repeat(32), "K", Path.of("unused"));
        ReviewSigner b = ReviewSigner.load("b".repeat(32), "K", Path.of("unused"));
        String sig = a.sign(RECORD);
        assertThat(sig).startsWith("v1:");
        assertThat(a.verify(RECORD, header(sig))).isTrue();
        assertThat(b.verify(RECORD, header(sig))).isFalse();
        byte[] altered = RECORD.clone();
        altered[8] = 'X';
        assertThat(a.verify(altered, header(sig))).isFalse();
        assertThat(a.verify(RECORD, null)).isFalse();
    }

    @Test
    void aShortOrUnreadableKeyIsAConfigError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ReviewSigner.load("short", "REVIEW_SIGNING_KEY", dir))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("REVIEW_SIGNING_KEY: the review signing key must be");
        Path bad = Files.writeString(dir.resolve("bad.key"), "not base64 !!");
        assertThatThrownBy(() -> ReviewSigner.load(null, "REVIEW_SIGNING_KEY", bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("review signing key " + bad + ": cannot read it");
    }
}
