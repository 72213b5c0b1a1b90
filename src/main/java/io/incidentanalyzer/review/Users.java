package io.incidentanalyzer.review;

import io.incidentanalyzer.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The engineers who may sign in: a users file of lines {@code name:pbkdf2-sha256:ITERATIONS:SALT:
 * HASH} (salt and hash base64), made by {@code bin/analyzer review hash-password}. Passwords are
 * hashed with the JDK's PBKDF2WithHmacSHA256; blank lines and lines starting with {@code #} are
 * skipped.
 */
public final class Users {
    static final String SCHEME = "pbkdf2-sha256";

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int ITERATIONS = 600_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private record Hash(int iterations, byte[] salt, byte[] hash) {}

    private final Map<String, Hash> users;
    // Checked against when the name is unknown, so that the answer takes as long either way.
    private final Hash dummy;

    private Users(Map<String, Hash> users) {
        this.users = Map.copyOf(users);
        int iterations = ITERATIONS;
        for (Hash h : users.values()) iterations = h.iterations();
        this.dummy = new Hash(iterations, new byte[16], new byte[32]);
    }

    /** Reads a users file; a malformed line is a one-line error naming it. */
    public static Users load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("review --users " + file + ": cannot read it (" + e + ")");
        }
        Map<String, Hash> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split(":");
            String where = "review --users " + file + " line " + (i + 1);
            try {
                if (f.length != 5 || !NAME.matcher(f[0]).matches() || !f[1].equals(SCHEME))
                    throw new IllegalArgumentException();
                Hash h =
                        new Hash(
                                Integer.parseInt(f[2]),
                                Base64.getDecoder().decode(f[3]),
                                Base64.getDecoder().decode(f[4]));
                if (h.iterations() < 1 || h.salt().length < 8 || h.hash().length < 16)
                    throw new IllegalArgumentException();
                if (out.put(f[0], h) != null) {
                    throw new ConfigException(where + ": user " + f[0] + " appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        where
                                + ": expected NAME:"
                                + SCHEME
                                + ":ITERATIONS:SALT:HASH as bin/analyzer review hash-password"
                                + " prints it");
            }
        }
        if (out.isEmpty()) throw new ConfigException("review --users " + file + ": no user in it");
        return new Users(out);
    }

    /** The users file line for this user and password, with a fresh salt. */
    public static String line(String name, char[] password, int iterations) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(
                    "user name " + name + ": use 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return name
                + ":"
                + SCHEME
                + ":"
                + iterations
                + ":"
                + b64.encodeToString(salt)
                + ":"
                + b64.encodeToString(pbkdf2(password, salt, iterations));
    }

    /** Whether this user exists and this is their password. */
    boolean check(String name, char[] password) {
        Hash h = name == null ? null : users.get(name);
        Hash against = h != null ? h : dummy;
        byte[] given = pbkdf2(password, against.salt(), against.iterations());
        return MessageDigest.isEqual(given, against.hash()) && h != null;
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 256))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }
}
