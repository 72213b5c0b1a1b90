package io.incidentanalyzer.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RemoteWrite}'s descriptors against the wire layout of Prometheus's prompb (field numbers
 * and types written out by hand here, not from the same descriptors), unknown fields (metadata)
 * skipped, and bytes that are no WriteRequest refused.
 */
class RemoteWriteTest {

    @Test
    void readsTheSeriesLabelsAndSamplesOfPrompb() throws IOException {
        byte[] label1 =
                message(
                        o -> {
                            o.writeString(1, "__name__");
                            o.writeString(2, "up");
                        });
        byte[] label2 =
                message(
                        o -> {
                            o.writeString(1, "job");
                            o.writeString(2, "database");
                        });
        byte[] sample =
                message(
                        o -> {
                            o.writeDouble(1, 0.5);
                            o.writeInt64(2, 1708072380250L);
                        });
        byte[] series =
                message(
                        o -> {
                            o.writeByteArray(1, label1);
                            o.writeByteArray(1, label2);
                            o.writeByteArray(2, sample);
                        });
        // field 3: metadata (MetricMetadata), which the gateway does not read
        byte[] request =
                message(
                        o -> {
                            o.writeByteArray(1, series);
                            o.writeByteArray(3, message(m -> m.writeString(2, "up")));
                        });
        List<RemoteWrite.Sample> samples = RemoteWrite.samples(request);
        assertThat(samples)
                .containsExactly(
                        new RemoteWrite.Sample(
                                Map.of("__name__", "up", "job", "database"), 0.5, 1708072380250L));
    }

    @Test
    void bytesThatAreNoWriteRequestAreRefused() {
        assertThatThrownBy(() -> RemoteWrite.samples(new byte[] {(byte) 0xff, 0x01, 0x02}))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void valuesAreWrittenAsPrometheusWritesThem() {
        assertThat(GatewayServer.promValue(Double.NaN)).isEqualTo("NaN");
        assertThat(GatewayServer.promValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(GatewayServer.promValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(Double.parseDouble(GatewayServer.promValue(0.975))).isEqualTo(0.975);
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        w.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
