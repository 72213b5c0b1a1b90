package io.incidentanalyzer.review;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The review service's browser sessions. Every browser gets a random session cookie on its first
 * page; the forms carry a CSRF token derived from it (HMAC-SHA256 under a per-process key), so a
 * form posted from another site, which cannot read the cookie, cannot carry the token. A signed-in
 * engineer's session id is remembered with the user and an expiry; a sign-in makes a new id. Failed
 * sign-ins are limited per user name and per client address.
 */
final class Sessions {
    static final String COOKIE = "review_session";

    /** How long a sign-in lasts. */
    static final long LIFETIME_MS = 8 * 3_600_000L;

    /** Failed sign-ins allowed per user name or client address in {@link #WINDOW_MS}. */
    static final int MAX_FAILURES = 5;

    static final long WINDOW_MS = 15 * 60_000L;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

    private record Session(String user, long expires) {}

    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec csrfKey;
    private final LongSupplier clock;
    private final Map<String, Session> signedIn = new HashMap<>();
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    Sessions(LongSupplier clock) {
        this.clock = clock;
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.csrfKey = new SecretKeySpec(k, "HmacSHA256");
    }

    /** A new random session id. */
    String newId() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Whether a cookie value has the form of a session id. */
    static boolean wellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The CSRF token of a session. */
    String csrf(String id) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(csrfKey);
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(m.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code token} is the CSRF token of session {@code id}. */
    boolean csrfMatches(String id, String token) {
        if (!wellFormed(id) || token == null) return false;
        return MessageDigest.isEqual(
                csrf(id).getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.US_ASCII));
    }

    /** Remembers a sign-in under a new session id, which it returns. */
    synchronized String signIn(String user) {
        prune();
        String id = newId();
        signedIn.put(id, new Session(user, clock.getAsLong() + LIFETIME_MS));
        return id;
    }

    /** The signed-in user of a session, or null (none, expired or signed out). */
    synchronized String user(String id) {
        if (!wellFormed(id)) return null;
        Session s = signedIn.get(id);
        if (s == null) return null;
        if (clock.getAsLong() >= s.expires()) {
            signedIn.remove(id);
            return null;
        }
        return s.user();
    }

    synchronized void signOut(String id) {
        if (id != null) signedIn.remove(id);
    }

    /** Whether sign-ins for this user name or from this address are held back for now. */
    synchronized boolean limited(String user, String address) {
        return recent("user:" + user) >= MAX_FAILURES || recent("ip:" + address) >= MAX_FAILURES;
    }

    synchronized void failed(String user, String address) {
        long now = clock.getAsLong();
        for (String k : new String[] {"user:" + user, "ip:" + address}) {
            failures.computeIfAbsent(k, x -> new ArrayDeque<>()).addLast(now);
        }
        // Bounded: an attacker trying many names must not grow this without end.
        if (failures.size() > 10_000) prune();
    }

    private int recent(String key) {
        Deque<Long> d = failures.get(key);
        if (d == null) return 0;
        long since = clock.getAsLong() - WINDOW_MS;
        while (!d.isEmpty() && d.peekFirst() <= since) d.removeFirst();
        return d.size();
    }

    private void prune() {
        long now = clock.getAsLong();
        signedIn.values().removeIf(s -> now >= s.expires());
        for (Iterator<Map.Entry<String, Deque<Long>>> i = failures.entrySet().iterator();
                i.hasNext(); ) {
            Deque<Long> d = i.next().getValue();
            while (!d.isEmpty() && d.peekFirst() <= now - WINDOW_MS) d.removeFirst();
            if (d.isEmpty()) i.remove();
        }
        if (failures.size() > 10_000) failures.clear();
    }
}
