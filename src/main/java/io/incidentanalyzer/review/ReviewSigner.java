package io.incidentanalyzer.review;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the review records the service writes and checks those it reads: HMAC-SHA256 over the
 * record's value (its JSON exactly as written), carried in the record header {@link #HEADER} as
 * {@code v1:<base64url>}. A record written by anyone without the key is rejected on read, so write
 * access to the reviews topic alone cannot publish or decide anything.
 */
public final class ReviewSigner {
    /** The Kafka record header that carries the signature. */
    public static final String HEADER = "review-signature";

    private static final String VERSION = "v1:";
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    private ReviewSigner(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** A signer with this key (at least 32 bytes). */
    static ReviewSigner of(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new ConfigException(
                    "the review signing key must be at least " + MIN_KEY_BYTES + " bytes long");
        }
        return new ReviewSigner(key.clone());
    }

    /** A fresh random key that lives as long as this process (the demo's topics do too). */
    public static ReviewSigner ephemeral() {
        byte[] k = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(k);
        return new ReviewSigner(k);
    }

    /**
     * The key from {@code fromEnv} when set (its UTF-8 bytes, at least 32), else from {@code file}
     * (base64 text), which is created with 32 random bytes, readable by its owner only, when it
     * does not exist yet.
     */
    public static ReviewSigner load(String fromEnv, String envName, Path file) {
        if (fromEnv != null && !fromEnv.isBlank()) {
            byte[] k = fromEnv.strip().getBytes(StandardCharsets.UTF_8);
            if (k.length < MIN_KEY_BYTES) {
                throw new ConfigException(
                        envName
                                + ": the review signing key must be at least "
                                + MIN_KEY_BYTES
                                + " characters (e.g. openssl rand -base64 32)");
            }
            return new ReviewSigner(k);
        }
        try {
            if (!Files.exists(file)) create(file);
            byte[] k = Base64.getDecoder().decode(Files.readString(file).strip());
            return of(k);
        } catch (IOException | IllegalArgumentException | ConfigException e) {
            throw new ConfigException(
                    "review signing key "
                            + file
                            + ": cannot read it ("
                            + e.getMessage()
                            + "); remove it to have a new one made, or set "
                            + envName);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] k = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(k);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        try {
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            return; // another instance made it first: use theirs
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n");
    }

    /** The header value signing {@code value}. */
    String sign(byte[] value) {
        return VERSION + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(value));
    }

    /** Whether {@code signature} (a header value, maybe null) signs {@code value}. */
    boolean verify(byte[] value, byte[] signature) {
        if (signature == null) return false;
        byte[] expected = sign(value).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature);
    }

    private byte[] mac(byte[] value) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m.doFinal(value);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
