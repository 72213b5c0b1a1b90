package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The auth events of one detector key that one source subtask saw between two of its watermarks,
 * shuffled to the detector as one record ({@link AuthBundler}, {@link AuthUnbundler}). Columns
 * instead of event objects: a value that repeats the previous event's in the same field (the
 * service, the caller, the client version, the error) is stored once per run, so the shuffle writes
 * and reads it once and the detector's sketches hash one string instance. Events keep their arrival
 * order. A Flink POJO.
 */
public class AuthBundle {
    /** The string fields of an event, in this order per event in {@link #fields}. */
    static final int STRING_FIELDS = 9;

    private static final AuthEventType[] TYPES = AuthEventType.values();

    /** The detector key all the events share. */
    public String key;

    public long[] ts;

    /** Per event, the type's ordinal + 1, or 0 for none. */
    public byte[] types;

    /** The distinct runs of string values; {@link #fields} points into it. */
    public String[] strings;

    /** {@value #STRING_FIELDS} indexes into {@link #strings} per event, -1 for null. */
    public int[] fields;

    /** For Flink; use {@link Builder}. */
    public AuthBundle() {}

    /** The number of events. */
    public int size() {
        return ts.length;
    }

    /** The {@code i}-th event, equal to the one added. */
    public AuthEvent event(int i) {
        int f = i * STRING_FIELDS;
        return new AuthEvent(
                ts[i],
                text(f + 1),
                types[i] == 0 ? null : TYPES[types[i] - 1],
                text(f + 3),
                text(f + 4),
                text(f + 5),
                text(f),
                text(f + 6),
                text(f + 2),
                text(f + 7),
                text(f + 8));
    }

    /** All events, in the order they were added. */
    public List<AuthEvent> events() {
        List<AuthEvent> all = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) all.add(event(i));
        return all;
    }

    private String text(int field) {
        int s = fields[field];
        return s < 0 ? null : strings[s];
    }

    /** Collects one key's events; reused after {@link #build}. */
    static final class Builder {
        private final String key;
        private long[] ts = new long[16];
        private byte[] types = new byte[16];
        private int[] fields = new int[16 * STRING_FIELDS];
        private String[] strings = new String[16];
        private int distinct;

        /** Per field, the index of the last value written in it, -1 for none (or null). */
        private final int[] last = new int[STRING_FIELDS];

        private int size;
        private long minTs = Long.MAX_VALUE;

        Builder(String key) {
            this.key = key;
            Arrays.fill(last, -1);
        }

        int size() {
            return size;
        }

        /** The earliest event time added since the last build. */
        long minTs() {
            return minTs;
        }

        void add(AuthEvent e) {
            if (size == ts.length) {
                ts = Arrays.copyOf(ts, 2 * size);
                types = Arrays.copyOf(types, 2 * size);
                fields = Arrays.copyOf(fields, 2 * size * STRING_FIELDS);
            }
            ts[size] = e.ts();
            types[size] = (byte) (e.type() == null ? 0 : e.type().ordinal() + 1);
            int f = size * STRING_FIELDS;
            fields[f] = intern(0, e.sessionId());
            fields[f + 1] = intern(1, e.service());
            fields[f + 2] = intern(2, e.caller());
            fields[f + 3] = intern(3, e.clientId());
            fields[f + 4] = intern(4, e.clientVersion());
            fields[f + 5] = intern(5, e.userId());
            fields[f + 6] = intern(6, e.ip());
            fields[f + 7] = intern(7, e.outcome());
            fields[f + 8] = intern(8, e.error());
            size++;
            minTs = Math.min(minTs, e.ts());
        }

        /**
         * The index of {@code value} in field {@code field}: the previous event's when equal (one
         * comparison, no hashing: a distinct value costs what it would without the bundle).
         */
        private int intern(int field, String value) {
            if (value == null) return -1;
            int previous = last[field];
            if (previous >= 0 && value.equals(strings[previous])) return previous;
            if (distinct == strings.length) strings = Arrays.copyOf(strings, 2 * distinct);
            strings[distinct] = value;
            last[field] = distinct;
            return distinct++;
        }

        /** The events added since the last build, as a bundle; the builder starts afresh. */
        AuthBundle build() {
            AuthBundle b = new AuthBundle();
            b.key = key;
            b.ts = Arrays.copyOf(ts, size);
            b.types = Arrays.copyOf(types, size);
            b.fields = Arrays.copyOf(fields, size * STRING_FIELDS);
            b.strings = Arrays.copyOf(strings, distinct);
            Arrays.fill(strings, 0, distinct, null);
            distinct = 0;
            Arrays.fill(last, -1);
            size = 0;
            minTs = Long.MAX_VALUE;
            return b;
        }
    }
}
