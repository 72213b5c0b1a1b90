package io.incidentanalyzer.bench.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.InputFormat;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.Limits;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.format.AlertmanagerDecoderTest;
import io.incidentanalyzer.ingest.format.CdEventsDecoderTest;
import io.incidentanalyzer.ingest.format.KeycloakDecoderTest;
import io.incidentanalyzer.ingest.format.KubernetesEventsDecoderTest;
import io.incidentanalyzer.ingest.format.OtlpExamples;
import io.incidentanalyzer.ingest.format.PrometheusAdapterDecoderTest;
import io.incidentanalyzer.ingest.format.TelegrafJsonDecoderTest;
import io.incidentanalyzer.ingest.format.TraceExamples;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.SimulationSink;
import io.incidentanalyzer.simulate.Simulator;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * and beside it ({@link #readTree}) a plain Jackson {@code readTree} of the same bytes, the parse a
 * JSON decoder should not be much slower than.
 *
 * <p>The native-JSON streams ({@code native-metrics}, {@code -auth}, {@code -logs}, {@code
 * -changes}) cycle through the first {@link #RECORDS} records the simulator writes for the
 * Watermelon scenario (all the changes there are before the other streams fill up: a handful), so
 * that neither the branch predictor nor the caches see one record over and over. The other formats
 * use one realistic record each (the examples of docs/formats.md); records of the batch formats
 * hold several events ({@link #main} prints how many, for ns/event). The two formats that are not
 * JSON text ({@code otlp-proto}, {@code keycloak-log}) have no {@code readTree} figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecoderBenchmark {

    @Param({
        "native-metrics",
        "native-auth",
        "native-logs",
        "native-changes",
        "native-json",
        "prometheus-kafka-adapter",
        "otlp-proto",
        "otlp-json",
        "otlp-proto-traces",
        "otlp-json-traces",
        "telegraf-json",
        "keycloak-json",
        "keycloak-log",
        "cdevents",
        "kubernetes-events",
        "alertmanager-webhook"
    })
    public String format;

    /** Simulated records per native stream; a power of two, for the index mask. */
    static final int RECORDS = 4096;

    static final String SCENARIO = "jobs/scenarios/watermelon-2024-02-16.yaml";

    private RecordDecoder decoder;
    private byte[][] records;
    private int next;
    private boolean json;
    private final ObjectMapper mapper = new ObjectMapper();

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
            // The documented checkout trace: three spans of two services, three events; the traces
            // topic is none of the four streams (kind null).
            case "otlp-json-traces" ->
                    new Input(
                            null,
                            utf8(TraceExamples.checkoutJson(TraceExamples.TRACE_ID, T0_NANOS)));
            case "otlp-proto-traces" -> new Input(null, checkoutProto());
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
            // A group of two alerts, one firing and one resolved: two signal reports.
            case "alertmanager-webhook" ->
                    new Input(StreamKind.LOGS, utf8(AlertmanagerDecoderTest.GROUP));
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** The same three spans as the JSON example, as the SDKs' protobuf (one request). */
    static byte[] checkoutProto() {
        List<ExportTraceServiceRequest> both =
                TraceExamples.checkoutRequests(TraceExamples.TRACE_ID, T0_NANOS);
        return both.get(0).toBuilder()
                .addAllResourceSpans(both.get(1).getResourceSpansList())
                .build()
                .toByteArray();
    }

    static InputFormat parse(String label) {
        for (InputFormat f : InputFormat.values()) {
            if (f.label().equals(label)) return f;
        }
        throw new IllegalArgumentException(label);
    }

    static RecordDecoder decoder(String format, StreamKind kind) {
        if (kind == null) {
            InputFormat traces = parse(format.substring(0, format.length() - "-traces".length()));
            return RecordDecoders.forTraces(new InputTopic("t", traces), new Limits(null, null));
        }
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
    public void setUp() throws IOException {
        if (format.startsWith("native-") && !format.equals("native-json")) {
            StreamKind kind = StreamKind.valueOf(format.substring(7).toUpperCase(Locale.ROOT));
            records = simulated(kind);
            decoder = decoder("native-json", kind);
            json = true;
        } else {
            Input in = input(format);
            records = new byte[][] {in.record()};
            decoder = decoder(format, in.kind());
            json = !format.startsWith("otlp-proto") && !format.equals("keycloak-log");
        }
        for (byte[] record : records) {
            List<Decoded> out = RecordDecoders.decodeAll(decoder, "t", 0, 0, record);
            if (out.stream().anyMatch(Decoded::isRejected)) {
                throw new IllegalStateException(format + ": a record is rejected: " + out);
            }
        }
    }

    private byte[] nextRecord() {
        byte[] record = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        return record;
    }

    @Benchmark
    public List<Decoded> decode() {
        return RecordDecoders.decodeAll(decoder, "t", 0, 0, nextRecord());
    }

    /** Jackson's tree parse of the same record: the yardstick of issue 20 (null when not JSON). */
    @Benchmark
    public JsonNode readTree() throws IOException {
        byte[] record = nextRecord();
        return json ? mapper.readTree(record) : null;
    }

    /**
     * The first {@link #RECORDS} records of {@code kind} that the simulator writes for the
     * Watermelon scenario with its own seed (fewer for a sparse stream), in order.
     */
    static byte[][] simulated(StreamKind kind) throws IOException {
        ScenarioLoader.Loaded loaded = ScenarioLoader.load(Path.of(SCENARIO));
        Map<StreamKind, List<byte[]>> out = new EnumMap<>(StreamKind.class);
        for (StreamKind k : StreamKind.values()) {
            out.put(k, new ArrayList<>());
        }
        class Enough extends RuntimeException {
            private static final long serialVersionUID = 1L;
        }
        SimulationSink sink =
                new SimulationSink() {
                    @Override
                    public void emit(StreamKind stream, long ts, String key, String line) {
                        List<byte[]> list = out.get(stream);
                        if (list.size() < RECORDS) {
                            list.add(utf8(line));
                        }
                        if (out.get(kind).size() == RECORDS) {
                            throw new Enough();
                        }
                    }

                    @Override
                    public void close() {}
                };
        try {
            new Simulator(loaded, loaded.scenario().seed()).run(sink);
        } catch (Enough done) {
            // the stream has its records; the rest of the day is not needed
        }
        return out.get(kind).toArray(new byte[0][]);
    }

    /**
     * decode and readTree of the same records, alternating every pass over them, timed by the
     * thread's CPU time (not wall time), so that other processes on a loaded machine slow neither
     * side: four rounds of 100 passes each, the first two printed as warm-up.
     */
    static void ratio(String format) throws IOException {
        DecoderBenchmark b = new DecoderBenchmark();
        b.format = format;
        b.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Object sink = null;
        // At least 4,096 records per timed slice: a CPU-time reading costs about a microsecond.
        int slice = Math.max(RECORDS, b.records.length);
        for (int round = 0; round < 4; round++) {
            long decode = 0;
            long tree = 0;
            long n = 0;
            for (int pass = 0; pass < 100; pass++) {
                long t0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < slice; i++) sink = b.decode();
                long t1 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < slice; i++) sink = b.readTree();
                long t2 = threads.getCurrentThreadCpuTime();
                decode += t1 - t0;
                tree += t2 - t1;
                n += slice;
            }
            System.out.printf(
                    "%s %s: decode %.0f ns, readTree %.0f ns, ratio readTree/decode %.2f%s%n",
                    format,
                    round < 2 ? "warm-up" : "round " + (round - 1),
                    decode / (double) n,
                    tree / (double) n,
                    tree / (double) decode,
                    sink != null ? "" : " (no output)");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Prints the events per record of each format, for ns/event; with {@code --ratio FORMAT...},
     * instead, a quick check of decode against readTree on this thread's CPU time (see {@link
     * #ratio}).
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--ratio")) {
            for (int i = 1; i < args.length; i++) {
                ratio(args[i]);
            }
            return;
        }
        for (StreamKind kind : StreamKind.values()) {
            byte[][] sim = simulated(kind);
            long bytes = 0;
            for (byte[] r : sim) bytes += r.length;
            System.out.printf(
                    "native-%s: %d simulated records, %d bytes on average%n",
                    kind.name().toLowerCase(Locale.ROOT), sim.length, bytes / sim.length);
        }
        List<String> formats = new ArrayList<>();
        for (InputFormat format : InputFormat.values()) {
            formats.add(format.label());
        }
        formats.addAll(List.of("otlp-proto-traces", "otlp-json-traces"));
        for (String f : formats) {
            Input in = input(f);
            System.out.printf(
                    "%s: %d bytes, %d events%n",
                    f,
                    in.record().length,
                    RecordDecoders.decodeAll(decoder(f, in.kind()), "t", 0, 0, in.record()).size());
        }
    }
}
