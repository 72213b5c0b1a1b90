package io.incidentanalyzer.testing;

import com.google.protobuf.DynamicMessage;
import io.incidentanalyzer.gateway.RemoteWrite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote-write bodies for tests, built with the gateway's own descriptors of the 1.0
 * protocol's WriteRequest: {@code snappy(writeRequest(series(labels, sample(v, ts))))}.
 */
public final class RemoteWriteBodies {
    private RemoteWriteBodies() {}

    /** The body as Prometheus sends it: the request, snappy-compressed (block format). */
    public static byte[] snappy(DynamicMessage writeRequest) {
        try {
            return Snappy.compress(writeRequest.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DynamicMessage writeRequest(DynamicMessage... series) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(RemoteWrite.WRITE_REQUEST);
        for (DynamicMessage s : series) {
            b.addRepeatedField(RemoteWrite.WRITE_REQUEST.findFieldByName("timeseries"), s);
        }
        return b.build();
    }

    public static DynamicMessage series(Map<String, String> labels, DynamicMessage... samples) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(RemoteWrite.TIME_SERIES);
        labels.forEach(
                (k, v) ->
                        b.addRepeatedField(
                                RemoteWrite.TIME_SERIES.findFieldByName("labels"),
                                DynamicMessage.newBuilder(RemoteWrite.LABEL)
                                        .setField(RemoteWrite.LABEL.findFieldByName("name"), k)
                                        .setField(RemoteWrite.LABEL.findFieldByName("value"), v)
                                        .build()));
        for (DynamicMessage s : samples) {
            b.addRepeatedField(RemoteWrite.TIME_SERIES.findFieldByName("samples"), s);
        }
        return b.build();
    }

    public static DynamicMessage sample(double value, long ts) {
        return DynamicMessage.newBuilder(RemoteWrite.SAMPLE)
                .setField(RemoteWrite.SAMPLE.findFieldByName("value"), value)
                .setField(RemoteWrite.SAMPLE.findFieldByName("timestamp"), ts)
                .build();
    }
}
