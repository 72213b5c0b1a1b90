package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.InputFormat;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.Limits;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.CdEventsDecoderTest;
import io.incidentanalyzer.ingest.format.KeycloakDecoderTest;
import io.incidentanalyzer.ingest.format.KubernetesEventsDecoderTest;
import io.incidentanalyzer.ingest.format.OtlpExamples;
import io.incidentanalyzer.ingest.format.PrometheusAdapterDecoderTest;
import io.incidentanalyzer.ingest.format.TelegrafJsonDecoderTest;
import io.incidentanalyzer.model.Decoded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ns per record of each input format's decoder, built as the job builds it ({@link
 * RecordDecoders#forTopic}) and called as the sources call it ({@link RecordDecoders#decodeAll}),
 * on one realistic record of the format (the examples of docs/formats.md). Records of the batch
 * formats hold several events: {@link #EVENTS} says how many, for ns/event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecoderBenchmark {

    @Param({
        "native-json",
        "prometheus-kafka-adapter",
        "otlp-proto",
        "otlp-json",
        "telegraf-json",
        "keycloak-json",
        "keycloak-log",
        "cdevents",
        "kubernetes-events"
    })
    public String format;

    private RecordDecoder decoder;
    private byte[] record;

    static final long T0_NANOS = OtlpExamples.T0_NANOS;

    /** The stream and one record of each format. */
    record Input(StreamKind kind, byte[] record) {}

    static Input input(String format) {
        return switch (format) {
            case "native-json" ->
                    new Input(
                            StreamKind.METRICS,
                            utf8(
                                    "{\"ts\": \"2024-02-16T08:33:00Z\", \"service\": \"database\","
                                            + " \"metric\": \"cpu_utilization\", \"value\": 97.5,"
                                            + " \"labels\": {\"host\": \"db-1\"}}"));
            case "prometheus-kafka-adapter" ->
                    new Input(StreamKind.METRICS, utf8(PrometheusAdapterDecoderTest.SAMPLE));
            // The Collector's metrics request: a gauge and a cumulative counter, two events.
            case "otlp-proto" ->
                    new Input(
                            StreamKind.METRICS,
                            OtlpExamples.metricsProto("database", T0_NANOS, 97.5).toByteArray());
            case "otlp-json" ->
                    new Input(
                            StreamKind.METRICS,
                            utf8(OtlpExamples.metricsJson("database", T0_NANOS, 97.5)));
            // Four fields, three of them numbers: three events.
            case "telegraf-json" ->
                    new Input(StreamKind.METRICS, utf8(TelegrafJsonDecoderTest.SINGLE));
            case "keycloak-json" ->
                    new Input(StreamKind.AUTH, utf8(KeycloakDecoderTest.JSON_EVENT));
            case "keycloak-log" ->
                    new Input(StreamKind.AUTH, utf8(KeycloakDecoderTest.PLAIN_QUOTED));
            case "cdevents" -> new Input(StreamKind.CHANGES, utf8(CdEventsDecoderTest.DEPLOYED));
            case "kubernetes-events" ->
                    new Input(StreamKind.LOGS, utf8(KubernetesEventsDecoderTest.BACK_OFF));
            default -> throw new IllegalArgumentException(format);
        };
    }

    static InputFormat parse(String label) {
        for (InputFormat f : InputFormat.values()) {
            if (f.label().equals(label)) return f;
        }
        throw new IllegalArgumentException(label);
    }

    static RecordDecoder decoder(String format, StreamKind kind) {
        InputFormat f = parse(format);
        InputTopic topic =
                new InputTopic(
                        "t",
                        f,
                        f == InputFormat.TELEGRAF_JSON ? List.of("service") : null,
                        null,
                        null);
        return RecordDecoders.forTopic(topic, kind, new Limits(null, null));
    }

    @Setup
    public void setUp() {
        Input in = input(format);
        record = in.record();
        decoder = decoder(format, in.kind());
        List<Decoded> out = RecordDecoders.decodeAll(decoder, "t", 0, 0, record);
        if (out.stream().anyMatch(Decoded::isRejected)) {
            throw new IllegalStateException(format + ": the example is rejected: " + out);
        }
    }

    @Benchmark
    public List<Decoded> decode() {
        return RecordDecoders.decodeAll(decoder, "t", 0, 0, record);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Prints the events per record of each format, for ns/event. */
    public static void main(String[] args) {
        for (InputFormat format : InputFormat.values()) {
            String f = format.label();
            Input in = input(f);
            System.out.printf(
                    "%s: %d bytes, %d events%n",
                    f,
                    in.record().length,
                    RecordDecoders.decodeAll(decoder(f, in.kind()), "t", 0, 0, in.record()).size());
        }
    }
}
