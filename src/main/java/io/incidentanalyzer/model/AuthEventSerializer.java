package io.incidentanalyzer.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * A hand-written serializer of {@link AuthEvent} for the auth shuffles, where every auth event is
 * serialized once by its source and deserialized once by its detector: a fifth of the refresh-storm
 * detector's time and a tenth of the auth source's went to Flink's reflective {@code
 * PojoSerializer}, which reads each field through reflection, builds the record through its
 * constructor by reflection, and writes and reads strings one character at a time
 * (docs/benchmarks.md).
 *
 * <p>Format: the time, the type's ordinal (−1 for none), a bit mask of the string fields present,
 * then each present string. An ASCII string (every id, name and address the auth logs hold) is its
 * length (times two, as a variable-length integer) and its bytes, read back in one block; any other
 * string is a one-bit marker and Flink's {@link StringValue} form, so every string comes back
 * exactly, unpaired surrogates included.
 *
 * <p>Only the stream uses it ({@link #TYPE}, set on the auth filters): {@link AuthEvent} itself
 * stays a Flink POJO, and so does the detectors' buffered state, whose savepoints keep their
 * format.
 */
public final class AuthEventSerializer extends TypeSerializerSingleton<AuthEvent> {
    private static final long serialVersionUID = 1L;

    public static final AuthEventSerializer INSTANCE = new AuthEventSerializer();

    /** The type information that selects this serializer, for {@code .returns(...)}. */
    public static final TypeInformation<AuthEvent> TYPE = new AuthEventTypeInfo();

    private static final AuthEventType[] TYPES = AuthEventType.values();

    /** The string fields, in the order of the mask's bits. */
    private static final int FIELDS = 9;

    private AuthEventSerializer() {}

    @Override
    public boolean isImmutableType() {
        return true; // a record of immutable fields
    }

    @Override
    public AuthEvent createInstance() {
        return new AuthEvent(0, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public AuthEvent copy(AuthEvent from) {
        return from;
    }

    @Override
    public AuthEvent copy(AuthEvent from, AuthEvent reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(AuthEvent e, DataOutputView out) throws IOException {
        out.writeLong(e.ts());
        out.writeByte(e.type() == null ? -1 : e.type().ordinal());
        String[] fields = {
            e.service(),
            e.clientId(),
            e.clientVersion(),
            e.userId(),
            e.sessionId(),
            e.ip(),
            e.caller(),
            e.outcome(),
            e.error()
        };
        int present = 0;
        for (int f = 0; f < FIELDS; f++) {
            if (fields[f] != null) present |= 1 << f;
        }
        out.writeShort(present);
        for (String s : fields) {
            if (s != null) writeString(s, out);
        }
    }

    @Override
    public AuthEvent deserialize(DataInputView in) throws IOException {
        long ts = in.readLong();
        byte type = in.readByte();
        int present = in.readUnsignedShort();
        String[] fields = new String[FIELDS];
        for (int f = 0; f < FIELDS; f++) {
            if ((present & 1 << f) != 0) fields[f] = readString(in);
        }
        return new AuthEvent(
                ts,
                fields[0],
                type < 0 ? null : TYPES[type],
                fields[1],
                fields[2],
                fields[3],
                fields[4],
                fields[5],
                fields[6],
                fields[7],
                fields[8]);
    }

    @Override
    public AuthEvent deserialize(AuthEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeString(String s, DataOutputView out) throws IOException {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                out.writeByte(1); // not ASCII: Flink's form follows
                StringValue.writeString(s, out);
                return;
            }
        }
        writeVarInt(n << 1, out);
        // Not out.writeBytes(s): Flink 2.2.1's DataOutputSerializer counts those bytes twice.
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String readString(DataInputView in) throws IOException {
        int header = readVarInt(in);
        if ((header & 1) != 0) return StringValue.readString(in);
        byte[] ascii = new byte[header >>> 1];
        in.readFully(ascii);
        return new String(ascii, StandardCharsets.ISO_8859_1);
    }

    /** Seven bits a byte, low first, the high bit set on every byte but the last. */
    private static void writeVarInt(int v, DataOutputView out) throws IOException {
        while ((v & ~0x7F) != 0) {
            out.writeByte(v & 0x7F | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarInt(DataInputView in) throws IOException {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
    }

    @Override
    public TypeSerializerSnapshot<AuthEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: its snapshot restores the one instance. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AuthEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Selects {@link AuthEventSerializer} for a stream of auth events. */
    private static final class AuthEventTypeInfo extends TypeInformation<AuthEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<AuthEvent> getTypeClass() {
            return AuthEvent.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<AuthEvent> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "AuthEvent (AuthEventSerializer)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AuthEventTypeInfo;
        }

        @Override
        public int hashCode() {
            return AuthEventTypeInfo.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof AuthEventTypeInfo;
        }
    }
}
