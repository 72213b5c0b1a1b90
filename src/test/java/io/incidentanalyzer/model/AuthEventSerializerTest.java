package io.incidentanalyzer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class AuthEventSerializerTest {
    private static final AuthEventSerializer SERIALIZER = AuthEventSerializer.INSTANCE;

    /** ASCII, Latin-1, other planes, an unpaired surrogate, empty, long, and none. */
    private static final String[] TEXTS = {
        "s-c8201ef03d2d39b3",
        "178.207.168.24",
        "",
        "café",
        "トークン",
        "emoji \uD83D\uDE00",
        "lone \uD800 surrogate",
        "x".repeat(300),
        null
    };

    @Test
    void everyEventComesBackEqualOneAfterAnother() throws Exception {
        List<AuthEvent> events = randomEvents(2_000);
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (AuthEvent e : events) SERIALIZER.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (AuthEvent e : events) {
            assertThat(SERIALIZER.deserialize(in)).isEqualTo(e);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void copyingSerializedBytesKeepsTheEvent() throws Exception {
        for (AuthEvent e : randomEvents(200)) {
            DataOutputSerializer first = new DataOutputSerializer(64);
            SERIALIZER.serialize(e, first);
            DataOutputSerializer second = new DataOutputSerializer(64);
            SERIALIZER.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);
            assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
        }
    }

    @Test
    void theSnapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<AuthEvent> snapshot = SERIALIZER.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<AuthEvent> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isSameAs(SERIALIZER);
        assertThat(
                        SERIALIZER
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(read)
                                .isCompatibleAsIs())
                .isTrue();
    }

    @Test
    void theTypeSelectsTheSerializerAndTheRecordStaysAPojo() {
        TypeSerializer<AuthEvent> chosen =
                AuthEventSerializer.TYPE.createSerializer(new SerializerConfigImpl());
        assertThat(chosen).isSameAs(SERIALIZER);
        assertThat(AuthEventSerializer.TYPE.getTypeClass()).isEqualTo(AuthEvent.class);
        // State keeps Flink's POJO serializer (ModelSerializationTest): only streams opt in.
        assertThat(
                        org.apache.flink.api.common.typeinfo.TypeInformation.of(AuthEvent.class)
                                .createSerializer(new SerializerConfigImpl()))
                .isNotInstanceOf(AuthEventSerializer.class);
    }

    private static List<AuthEvent> randomEvents(int n) {
        Random random = new Random(20);
        List<AuthEvent> events = new ArrayList<>(n);
        AuthEventType[] types = AuthEventType.values();
        for (int i = 0; i < n; i++) {
            events.add(
                    new AuthEvent(
                            random.nextLong(),
                            text(random),
                            random.nextInt(types.length + 1) == types.length
                                    ? null
                                    : types[random.nextInt(types.length)],
                            text(random),
                            text(random),
                            text(random),
                            text(random),
                            text(random),
                            text(random),
                            text(random),
                            text(random)));
        }
        return events;
    }

    private static String text(Random random) {
        return TEXTS[random.nextInt(TEXTS.length)];
    }
}
