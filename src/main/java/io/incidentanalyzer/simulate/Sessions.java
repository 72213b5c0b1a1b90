package io.incidentanalyzer.simulate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The user sessions of a simulation and the token events they cause (LOGIN, REFRESH, LOGOUT), kept
 * in flat arrays indexed by a slot number. Each live session has exactly one pending wake-up in a
 * timer wheel of one bucket per interval, so an interval costs the sessions that have something to
 * do in it, never a scan of all sessions.
 *
 * <p>A wake-up decides what is due at its time: the session's end (LOGOUT), a refresh at {@code
 * tokenLifetime − refreshBefore} after the last token (REFRESH), a looping refresh every {@code
 * refreshEvery} while a refresh storm has the session, or, once refresh is disabled, a new LOGIN
 * when the token expires. It then schedules the next one. A wake-up that finds nothing due (the
 * mode changed since it was scheduled: a storm ended, refresh was switched off) just reschedules.
 * Stale wheel entries are skipped by a per-slot generation number.
 */
final class Sessions {
    static final int LOGIN = 0;
    static final int REFRESH = 1;
    static final int LOGOUT = 2;
    private static final String[] TYPES = {"LOGIN", "REFRESH", "LOGOUT"};
    private static final int[] IP_FIRST_OCTETS = {
        31, 37, 45, 62, 77, 80, 82, 84, 86, 89, 94, 145, 178, 185, 188, 212, 217
    };

    /** A client type: its share of the sessions and its usual version. */
    record Client(String id, double cumulativeShare, String versionFragment) {}

    /** A refresh storm on the sessions of one client. */
    record Storm(
            int client,
            double adoption,
            long onset,
            long end,
            long ramp,
            long every,
            String fragment) {

        /** When the session with adoption draw {@code u} starts looping; -1 if it never does. */
        long turn(double u) {
            if (u >= adoption) return -1;
            return onset + (long) (u / adoption * ramp);
        }
    }

    private final Rng rng;
    private final JsonText text;
    private final StringBuilder sb = new StringBuilder(256);
    private final long startMs;
    private final long dtMs;
    private final int ticks;
    private final long lifetime;
    private final long period;
    private final double meanLengthMs;
    private final long disableAt;
    private final Client[] clients;
    private final Storm[] storms;
    private final String tokenService;
    private final String quotedTokenService;
    private final String[] typeHead;
    private final int userPool;
    private final long idSalt;

    // Per slot.
    private long[] issued = new long[0];
    private long[] endAt = new long[0];
    private long[] wakeAt = new long[0];
    private long[] lastTs = new long[0];
    private int[] gen = new int[0];
    private byte[] client = new byte[0];
    private double[] adoptionDraw = new double[0];
    private String[] ident = new String[0];
    private int[] activePos = new int[0];
    private int slots;

    private int[] active = new int[0];
    private int activeCount;
    private int[] free = new int[0];
    private int freeCount;
    private long sessionCounter;

    // Timer wheel: bucket (tick % wheel) holds (generation << 32 | slot) entries.
    private final int wheel;
    private final long[][] buckets;
    private final int[] bucketSize;

    private int lifecycleEvents;

    Sessions(
            Rng rng,
            JsonText text,
            Traffic traffic,
            long startMs,
            long dtMs,
            int ticks,
            long disableAt,
            List<Client> clients,
            List<Storm> storms) {
        this.rng = rng;
        this.text = text;
        this.startMs = startMs;
        this.dtMs = dtMs;
        this.ticks = ticks;
        this.lifetime = traffic.tokenLifetime().toMillis();
        this.period = lifetime - traffic.refreshBefore().toMillis();
        this.meanLengthMs = traffic.sessionLength().toMillis();
        this.disableAt = disableAt;
        this.clients = clients.toArray(new Client[0]);
        this.storms = storms.toArray(new Storm[0]);
        this.tokenService = traffic.tokenService();
        this.quotedTokenService = JsonText.quote(tokenService);
        this.userPool = Math.max(1, traffic.sessions() * 2);
        this.idSalt = rng.nextLong();
        typeHead = new String[TYPES.length];
        for (int i = 0; i < TYPES.length; i++) {
            typeHead[i] =
                    "\",\"service\":" + quotedTokenService + ",\"type\":\"" + TYPES[i] + "\",";
        }
        long horizon = lifetime;
        for (Storm s : storms) horizon = Math.max(horizon, s.every());
        wheel = (int) (horizon / dtMs) + 3;
        buckets = new long[wheel][];
        bucketSize = new int[wheel];
        for (int i = 0; i < wheel; i++) buckets[i] = new long[16];
    }

    /** The clients of a traffic section, with their usual version fragments. */
    static List<Client> clients(Traffic t) {
        List<Client> out = new ArrayList<>();
        double cumulative = 0;
        for (Traffic.ClientSpec c : t.clients()) {
            cumulative += c.share();
            out.add(new Client(c.id(), cumulative, fragment(c.id(), c.version())));
        }
        return out;
    }

    /** {@code "clientId":"web","clientVersion":"1.0",} */
    static String fragment(String clientId, String version) {
        return "\"clientId\":"
                + JsonText.quote(clientId)
                + ",\"clientVersion\":"
                + JsonText.quote(version)
                + ",";
    }

    int active() {
        return activeCount;
    }

    /** Sessions already running when the scenario starts: no LOGIN, tokens of random age. */
    void seed(long target, long t0) {
        for (long i = 0; i < target; i++) {
            int slot = open();
            issued[slot] = t0 - (long) (rng.nextDouble() * period);
            endAt[slot] = t0 + 1 + (long) rng.exponential(meanLengthMs);
            lastTs[slot] = t0 - 1;
            schedule(slot, t0);
        }
    }

    /**
     * One interval: due wake-ups, then sessions ended or started to bring the count to {@code
     * target}. Returns the number of LOGIN and REFRESH events (the token service's lifecycle work).
     */
    int tick(int k, long t0, long target, TickBuffer auth) {
        lifecycleEvents = 0;
        int b = k % wheel;
        wakeUps(b, auth);
        long tickEnd = t0 + dtMs;
        while (activeCount > target) {
            int slot = active[rng.nextInt(activeCount)];
            long ts = Math.max(t0 + rng.nextLong(dtMs), lastTs[slot] + 1);
            emit(LOGOUT, Math.min(ts, tickEnd - 1), slot, auth, versionAt(slot, ts));
            close(slot);
        }
        while (activeCount < target) {
            long ts = t0 + rng.nextLong(dtMs);
            int slot = open();
            issued[slot] = ts;
            endAt[slot] = ts + 1 + (long) rng.exponential(meanLengthMs);
            emit(LOGIN, ts, slot, auth, versionAt(slot, ts));
            lifecycleEvents++;
            schedule(slot, ts);
        }
        wakeUps(b, auth); // sessions that started and already end in this interval
        return lifecycleEvents;
    }

    /**
     * Runs the wake-ups of bucket b, including those scheduled into it meanwhile, and empties it.
     */
    private void wakeUps(int b, TickBuffer auth) {
        for (int i = 0; i < bucketSize[b]; i++) {
            long entry = buckets[b][i];
            int slot = (int) entry;
            if ((int) (entry >>> 32) != gen[slot]) continue;
            wake(slot, wakeAt[slot], auth);
        }
        bucketSize[b] = 0;
    }

    private void wake(int slot, long t, TickBuffer auth) {
        if (t >= endAt[slot]) {
            emit(LOGOUT, t, slot, auth, versionAt(slot, t));
            close(slot);
            return;
        }
        boolean off = t >= disableAt;
        int storm = off ? -1 : stormAt(slot, t);
        long due = off ? issued[slot] + lifetime : issued[slot] + interval(storm);
        if (t >= due) {
            emit(off ? LOGIN : REFRESH, t, slot, auth, versionAt(slot, t));
            lifecycleEvents++;
            issued[slot] = t;
        }
        schedule(slot, t);
    }

    private long interval(int storm) {
        return storm >= 0 ? storms[storm].every() : period;
    }

    /** Schedules the slot's next wake-up after {@code t}: its next due event or mode change. */
    private void schedule(int slot, long t) {
        boolean off = t >= disableAt;
        long next;
        if (off) {
            next = issued[slot] + lifetime;
        } else {
            next = issued[slot] + interval(stormAt(slot, t));
            for (Storm s : storms) {
                if (s.client() != client[slot]) continue;
                long turn = s.turn(adoptionDraw[slot]);
                if (turn > t && turn < s.end() && turn < disableAt) next = Math.min(next, turn);
            }
        }
        next = Math.max(t + 1, Math.min(next, endAt[slot]));
        long k = (next - startMs) / dtMs;
        if (k >= ticks) return; // after the scenario: nothing more to say about it
        wakeAt[slot] = next;
        int g = ++gen[slot];
        int b = (int) (k % wheel);
        if (bucketSize[b] == buckets[b].length) {
            buckets[b] = Arrays.copyOf(buckets[b], bucketSize[b] * 2);
        }
        buckets[b][bucketSize[b]++] = (long) g << 32 | slot;
    }

    /** The storm looping this session at {@code t}, or -1. */
    private int stormAt(int slot, long t) {
        for (int i = 0; i < storms.length; i++) {
            Storm s = storms[i];
            if (s.client() != client[slot] || t >= s.end()) continue;
            long turn = s.turn(adoptionDraw[slot]);
            if (turn >= 0 && t >= turn) return i;
        }
        return -1;
    }

    /**
     * The client version fragment of the session at {@code t} (a storm's version while looping).
     */
    private String versionAt(int slot, long t) {
        int storm = stormAt(slot, t);
        return storm >= 0 ? storms[storm].fragment() : clients[client[slot]].versionFragment();
    }

    private void emit(int type, long ts, int slot, TickBuffer auth, String version) {
        sb.setLength(0);
        sb.append("{\"ts\":\"");
        text.appendTimestamp(sb, ts);
        sb.append(typeHead[type])
                .append(version)
                .append(ident[slot])
                .append(",\"outcome\":\"success\"}");
        auth.add(ts, tokenService, sb.toString());
        lastTs[slot] = ts;
    }

    /**
     * A VERIFY_ERROR for a random live session at a random time of the interval (not before that
     * session's last event).
     */
    void verifyError(long t0, String caller, String error, TickBuffer auth) {
        if (activeCount == 0) return;
        int slot = active[rng.nextInt(activeCount)];
        long ts = t0 + rng.nextLong(dtMs);
        ts = Math.min(Math.max(ts, lastTs[slot]), t0 + dtMs - 1);
        text.startRecord(sb, ts, quotedTokenService);
        sb.append(",\"type\":\"VERIFY_ERROR\",").append(versionAt(slot, ts)).append(ident[slot]);
        if (caller != null) sb.append(",\"caller\":").append(JsonText.quote(caller));
        sb.append(",\"outcome\":\"failure\",\"error\":").append(JsonText.quote(error)).append('}');
        auth.add(ts, tokenService, sb.toString());
    }

    private int open() {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (slots == issued.length) grow();
            slot = slots++;
        }
        double r = rng.nextDouble();
        int c = 0;
        while (c < clients.length - 1 && r >= clients[c].cumulativeShare()) c++;
        client[slot] = (byte) c;
        adoptionDraw[slot] = rng.nextDouble();
        ident[slot] = identity();
        activePos[slot] = activeCount;
        active[activeCount++] = slot;
        return slot;
    }

    private void close(int slot) {
        gen[slot]++; // any wheel entry of this session is stale now
        int pos = activePos[slot];
        int last = active[--activeCount];
        active[pos] = last;
        activePos[last] = pos;
        ident[slot] = null;
        if (freeCount == free.length) free = Arrays.copyOf(free, Math.max(16, free.length * 2));
        free[freeCount++] = slot;
    }

    /** {@code "userId":"u-123","sessionId":"s-<16 hex>","ip":"a.b.c.d"} of a new session. */
    private String identity() {
        long id = mix(idSalt + ++sessionCounter * 0x9E3779B97F4A7C15L);
        int user = 1 + rng.nextInt(userPool);
        int ip = rng.nextInt(1 << 24);
        StringBuilder b = new StringBuilder(80);
        b.append("\"userId\":\"u-").append(user).append("\",\"sessionId\":\"s-");
        String hex = Long.toHexString(id);
        for (int i = hex.length(); i < 16; i++) b.append('0');
        b.append(hex).append("\",\"ip\":\"");
        b.append(IP_FIRST_OCTETS[rng.nextInt(IP_FIRST_OCTETS.length)])
                .append('.')
                .append(ip >>> 16)
                .append('.')
                .append(ip >>> 8 & 0xFF)
                .append('.')
                .append(1 + (ip & 0xFF) % 254)
                .append('"');
        return b.toString();
    }

    /** SplitMix64's finalizer: a counter becomes an id that looks random and never repeats. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private void grow() {
        int n = Math.max(1024, issued.length * 2);
        issued = Arrays.copyOf(issued, n);
        endAt = Arrays.copyOf(endAt, n);
        wakeAt = Arrays.copyOf(wakeAt, n);
        lastTs = Arrays.copyOf(lastTs, n);
        gen = Arrays.copyOf(gen, n);
        client = Arrays.copyOf(client, n);
        adoptionDraw = Arrays.copyOf(adoptionDraw, n);
        ident = Arrays.copyOf(ident, n);
        activePos = Arrays.copyOf(activePos, n);
        active = Arrays.copyOf(active, n);
    }
}
