package io.incidentanalyzer.gateway;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prometheus remote-write 1.0's request, {@code prometheus.WriteRequest} from Prometheus's {@code
 * prompb/remote.proto} and {@code types.proto}: the three messages the gateway reads (time series
 * of labels and samples), declared here as protobuf descriptors and read with protobuf-java's
 * {@link DynamicMessage}. No maintained Java artifact publishes these classes (the Prometheus Java
 * client has no remote-write types), and generating code would add protoc to the build for three
 * messages. Fields the gateway does not use (metadata, exemplars, histograms) are unknown fields to
 * this schema and skipped, which protobuf allows.
 */
public final class RemoteWrite {
    /** The WriteRequest message: {@code repeated TimeSeries timeseries = 1}. */
    public static final Descriptors.Descriptor WRITE_REQUEST;

    /** TimeSeries: {@code repeated Label labels = 1; repeated Sample samples = 2}. */
    public static final Descriptors.Descriptor TIME_SERIES;

    /** Label: {@code string name = 1; string value = 2}. */
    public static final Descriptors.Descriptor LABEL;

    /** Sample: {@code double value = 1; int64 timestamp = 2} (epoch milliseconds). */
    public static final Descriptors.Descriptor SAMPLE;

    static {
        FileDescriptorProto file =
                FileDescriptorProto.newBuilder()
                        .setName("prometheus/remote.proto")
                        .setPackage("prometheus")
                        .setSyntax("proto3")
                        .addMessageType(
                                message(
                                        "WriteRequest",
                                        repeated("timeseries", 1, ".prometheus.TimeSeries")))
                        .addMessageType(
                                message(
                                        "TimeSeries",
                                        repeated("labels", 1, ".prometheus.Label"),
                                        repeated("samples", 2, ".prometheus.Sample")))
                        .addMessageType(
                                message(
                                        "Label",
                                        scalar("name", 1, Type.TYPE_STRING),
                                        scalar("value", 2, Type.TYPE_STRING)))
                        .addMessageType(
                                message(
                                        "Sample",
                                        scalar("value", 1, Type.TYPE_DOUBLE),
                                        scalar("timestamp", 2, Type.TYPE_INT64)))
                        .build();
        try {
            Descriptors.FileDescriptor fd =
                    Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[0]);
            WRITE_REQUEST = fd.findMessageTypeByName("WriteRequest");
            TIME_SERIES = fd.findMessageTypeByName("TimeSeries");
            LABEL = fd.findMessageTypeByName("Label");
            SAMPLE = fd.findMessageTypeByName("Sample");
        } catch (Descriptors.DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RemoteWrite() {}

    /** One sample of one series: its labels ({@code __name__} included), sorted by name. */
    public record Sample(Map<String, String> labels, double value, long timestampMs) {}

    /** The samples of a WriteRequest, in order; throws on bytes that are not one. */
    public static List<Sample> samples(byte[] request) throws InvalidProtocolBufferException {
        DynamicMessage req = DynamicMessage.parseFrom(WRITE_REQUEST, request);
        Descriptors.FieldDescriptor seriesField = WRITE_REQUEST.findFieldByNumber(1);
        Descriptors.FieldDescriptor labelsField = TIME_SERIES.findFieldByNumber(1);
        Descriptors.FieldDescriptor samplesField = TIME_SERIES.findFieldByNumber(2);
        List<Sample> out = new ArrayList<>();
        for (Object s : (List<?>) req.getField(seriesField)) {
            DynamicMessage series = (DynamicMessage) s;
            Map<String, String> labels = new TreeMap<>();
            for (Object l : (List<?>) series.getField(labelsField)) {
                DynamicMessage label = (DynamicMessage) l;
                labels.put(
                        (String) label.getField(LABEL.findFieldByNumber(1)),
                        (String) label.getField(LABEL.findFieldByNumber(2)));
            }
            Map<String, String> fixed = java.util.Collections.unmodifiableMap(labels);
            for (Object p : (List<?>) series.getField(samplesField)) {
                DynamicMessage sample = (DynamicMessage) p;
                out.add(
                        new Sample(
                                fixed,
                                (Double) sample.getField(SAMPLE.findFieldByNumber(1)),
                                (Long) sample.getField(SAMPLE.findFieldByNumber(2))));
            }
        }
        return out;
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        DescriptorProto.Builder b = DescriptorProto.newBuilder().setName(name);
        for (FieldDescriptorProto f : fields) b.addField(f);
        return b.build();
    }

    private static FieldDescriptorProto repeated(String name, int number, String type) {
        return FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setLabel(Label.LABEL_REPEATED)
                .setType(Type.TYPE_MESSAGE)
                .setTypeName(type)
                .build();
    }

    private static FieldDescriptorProto scalar(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setLabel(Label.LABEL_OPTIONAL)
                .setType(type)
                .build();
    }
}
