package io.incidentanalyzer.detect.auth;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The bundles the auth detectors' shuffle carries: every event comes back as it went in, and the
 * bundler sends each one before the next watermark, status change, barrier or end of input.
 */
class AuthBundlerTest {
    private static final String[] CLIENTS = {"web", "ios", null};

    @Test
    void bundleIsAFlinkPojo() {
        assertSerializedAsPojoWithoutKryo(AuthBundle.class);
    }

    @Test
    void everyEventComesBackAsItWentInThroughFlinksSerializer() throws Exception {
        Random rnd = new Random(7);
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) events.add(randomEvent(rnd, i));
        AuthBundle.Builder builder = new AuthBundle.Builder("k");
        events.forEach(builder::add);
        AuthBundle bundle = builder.build();

        TypeSerializer<AuthBundle> serializer =
                TypeInformation.of(AuthBundle.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1024);
        serializer.serialize(bundle, out);
        AuthBundle back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(back.key).isEqualTo("k");
        assertThat(back.events()).containsExactlyElementsOf(events);
        // Runs of a repeated value are stored once: far fewer strings than fields.
        assertThat(back.strings.length).isLessThan(events.size() * 5);
    }

    @Test
    void aBuilderStartsAfreshAfterEachBundle() {
        Random rnd = new Random(11);
        AuthBundle.Builder builder = new AuthBundle.Builder("k");
        List<AuthEvent> first = List.of(randomEvent(rnd, 1), randomEvent(rnd, 2));
        first.forEach(builder::add);
        assertThat(builder.build().events()).containsExactlyElementsOf(first);
        List<AuthEvent> second = List.of(randomEvent(rnd, 3));
        second.forEach(builder::add);
        AuthBundle b = builder.build();
        assertThat(b.events()).containsExactlyElementsOf(second);
        assertThat(builder.size()).isZero();
    }

    @Test
    void eventsWaitForTheNextWatermarkAndAreSentBeforeIt() throws Exception {
        try (var h = harness()) {
            h.processElement(refresh("a", 1_000), 1_000);
            h.processElement(refresh("b", 1_500), 1_500);
            h.processElement(refresh("a", 1_200), 1_200);
            assertThat(h.getOutput()).isEmpty();

            h.processWatermark(new Watermark(900));

            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(3);
            assertThat(bundle(out.get(0)).key).isEqualTo("a");
            assertThat(bundle(out.get(0)).events())
                    .containsExactly(refresh("a", 1_000), refresh("a", 1_200));
            assertThat(((StreamRecord<?>) out.get(0)).getTimestamp()).isEqualTo(1_000);
            assertThat(bundle(out.get(1)).events()).containsExactly(refresh("b", 1_500));
            assertThat(out.get(2)).isEqualTo(new Watermark(900));
        }
    }

    @Test
    void anEventBehindTheWatermarkIsSentAtOnceInItsPlace() throws Exception {
        try (var h = harness()) {
            h.processWatermark(new Watermark(5_000));
            h.processElement(refresh("a", 6_000), 6_000);
            h.processElement(refresh("a", 4_000), 4_000);

            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).hasSize(2);
            assertThat(bundle(out.get(1)).events()).containsExactly(refresh("a", 4_000));
        }
    }

    @Test
    void aStatusChangeABarrierAndTheEndOfInputSendWhatWaits() throws Exception {
        try (var h = harness()) {
            h.processElement(refresh("a", 1_000), 1_000);
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            assertThat(h.getOutput()).hasSize(2);
            assertThat(h.getOutput().poll()).isInstanceOf(StreamRecord.class);

            h.getOutput().clear();
            h.processElement(refresh("a", 2_000), 2_000);
            h.prepareSnapshotPreBarrier(1);
            assertThat(h.getOutput()).hasSize(1);

            h.getOutput().clear();
            h.processElement(refresh("a", 3_000), 3_000);
            ((AuthBundler) h.getOneInputOperator()).finish();
            assertThat(bundle(h.getOutput().poll()).events()).containsExactly(refresh("a", 3_000));
        }
    }

    @Test
    void aFullBundleIsSentEarly() throws Exception {
        try (var h = harness()) {
            for (int i = 0; i < AuthBundler.MAX_EVENTS; i++) {
                h.processElement(refresh("a", 1_000 + i), 1_000 + i);
            }
            assertThat(h.getOutput()).hasSize(1);
            assertThat(bundle(h.getOutput().poll()).size()).isEqualTo(AuthBundler.MAX_EVENTS);
        }
    }

    @Test
    void theUnbundlerSendsEachEventWithItsOwnTime() throws Exception {
        AuthBundle.Builder builder = new AuthBundle.Builder("a");
        builder.add(refresh("a", 3_000));
        builder.add(refresh("a", 1_000));
        try (var h = new OneInputStreamOperatorTestHarness<>(new AuthUnbundler())) {
            h.open();
            h.processElement(builder.build(), 1_000);
            assertThat(h.extractOutputStreamRecords())
                    .containsExactly(
                            new StreamRecord<>(refresh("a", 3_000), 3_000),
                            new StreamRecord<>(refresh("a", 1_000), 1_000));
        }
    }

    private static OneInputStreamOperatorTestHarness<AuthEvent, AuthBundle> harness()
            throws Exception {
        var h =
                new OneInputStreamOperatorTestHarness<AuthEvent, AuthBundle>(
                        new AuthBundler(new ServiceKey()));
        h.open();
        return h;
    }

    private static final class ServiceKey implements KeySelector<AuthEvent, String> {
        @Override
        public String getKey(AuthEvent e) {
            return e.service();
        }
    }

    private static AuthBundle bundle(Object record) {
        return (AuthBundle) ((StreamRecord<?>) record).getValue();
    }

    private static AuthEvent refresh(String service, long ts) {
        return new AuthEvent(
                ts,
                service,
                AuthEventType.REFRESH,
                "web",
                "1.2",
                "u1",
                "s1",
                "10.0.0.1",
                null,
                "ok",
                null);
    }

    private static AuthEvent randomEvent(Random rnd, int i) {
        AuthEventType[] types = AuthEventType.values();
        return new AuthEvent(
                rnd.nextInt(10_000),
                rnd.nextInt(20) == 0 ? null : "svc-" + rnd.nextInt(2),
                rnd.nextInt(20) == 0 ? null : types[rnd.nextInt(types.length)],
                CLIENTS[rnd.nextInt(CLIENTS.length)],
                rnd.nextBoolean() ? "2.0" : "2.1",
                "user-" + rnd.nextInt(50),
                "session-" + i,
                rnd.nextInt(10) == 0 ? null : "10.0.0." + rnd.nextInt(255),
                rnd.nextInt(3) == 0 ? null : "caller",
                rnd.nextBoolean() ? "ok" : "",
                rnd.nextInt(5) == 0 ? "expired" : null);
    }
}
