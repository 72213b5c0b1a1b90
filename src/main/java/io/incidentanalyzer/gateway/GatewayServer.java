package io.incidentanalyzer.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.InputFormat;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.ingest.JsonInput;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.web.HttpServers;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.xerial.snappy.Snappy;

/**
 * The ingest gateway: HTTP endpoints that producers already speak, each writing the job's input
 * topics in a format the job reads (docs/operations.md, "Ingest gateway"). Prometheus remote-write
 * samples become prometheus-kafka-adapter records on the metrics topic; an OTLP/HTTP request
 * (traces too, when the job has a traces topic) is checked with the topic's own decoder and written
 * as one record, as the Collector's Kafka exporter would; a CDEvent is checked the same way and
 * written to the changes topic, and an Alertmanager webhook body to the externalAlerts topic.
 *
 * <p>Binds to loopback by default; on any other address every endpoint but {@code /metrics} needs
 * the token as a Bearer token, and the gateway refuses to start without one. Requests a browser
 * marks with an {@code Origin} are refused, so a page in a browser cannot post to a loopback
 * gateway. A request is answered 2xx only after Kafka has acknowledged all its records ({@link
 * TopicWriter}).
 */
public final class GatewayServer implements AutoCloseable {
    /** Prometheus remote-write's path, as in Prometheus's own receiver. */
    public static final String REMOTE_WRITE = "/api/v1/write";

    /** The path of Alertmanager's webhook receiver. */
    public static final String ALERTMANAGER = "/alertmanager";

    private final JobConfig config;
    private final TopicWriter writer;
    private final String token;
    private final int maxBodyBytes;
    private final int maxDecodedBytes;
    private final ObjectMapper json = JsonInput.mapper();
    private final CollectorRegistry registry = new CollectorRegistry();
    private final Counter requests;
    private final Counter records;
    private final Counter skipped;
    private final Map<StreamKind, RecordDecoder> decoders;
    private final RecordDecoder adapterDecoder;
    private final RecordDecoder alertDecoder;

    /** The traces topic's decoder; null when the job reads no traces. */
    private final RecordDecoder traceDecoder;

    private Javalin app;

    /**
     * @param token the producers' Bearer token; required unless bound to a loopback address
     * @param maxBodyBytes the largest request body as sent (compressed), whether or not it has a
     *     Content-Length
     * @param maxDecodedBytes the largest remote-write body after snappy decompression
     */
    public GatewayServer(
            JobConfig config,
            TopicWriter writer,
            String token,
            int maxBodyBytes,
            int maxDecodedBytes) {
        this.config = config;
        this.writer = writer;
        this.token = token == null || token.isBlank() ? null : token;
        this.maxBodyBytes = maxBodyBytes;
        this.maxDecodedBytes = maxDecodedBytes;
        this.decoders =
                Map.of(
                        StreamKind.METRICS,
                        RecordDecoders.forTopic(
                                config.topics().metrics(), StreamKind.METRICS, config.limits()),
                        StreamKind.LOGS,
                        RecordDecoders.forTopic(
                                config.topics().logs(), StreamKind.LOGS, config.limits()),
                        StreamKind.CHANGES,
                        RecordDecoders.forTopic(
                                config.topics().changes(), StreamKind.CHANGES, config.limits()));
        this.adapterDecoder =
                RecordDecoders.forTopic(
                        new InputTopic(
                                config.topics().metrics().name(),
                                InputFormat.PROMETHEUS_KAFKA_ADAPTER),
                        StreamKind.METRICS,
                        config.limits());
        this.traceDecoder =
                config.topics().traces() == null
                        ? null
                        : RecordDecoders.forTraces(config.topics().traces(), config.limits());
        this.alertDecoder =
                config.topics().externalAlerts() == null
                        ? null
                        : RecordDecoders.forExternalAlerts(
                                config.topics().externalAlerts(), config.limits());
        this.skipped =
                Counter.build(
                                "gateway_samples_skipped_total",
                                "Remote-write samples not written to a native-json metrics topic,"
                                        + " by reason")
                        .labelNames("reason")
                        .register(registry);
        this.requests =
                Counter.build(
                                "gateway_http_requests_total",
                                "HTTP requests to the ingest gateway, by route and status")
                        .labelNames("route", "status")
                        .register(registry);
        this.records =
                Counter.build(
                                "gateway_records_written_total",
                                "Records acknowledged by Kafka, by route and topic")
                        .labelNames("route", "topic")
                        .register(registry);
    }

    /** Starts serving on {@code host:port} (port 0: any free port); returns the port. */
    public int start(String host, int port) {
        boolean loopback = HttpServers.isLoopback("ingest", host);
        if (!loopback && token == null) {
            throw new ConfigException(
                    "ingest --bind "
                            + host
                            + ": not a loopback address, so producers must send a token; set"
                            + " INGEST_TOKEN (or --token-env NAME), or bind to 127.0.0.1");
        }
        app = Javalin.create(c -> c.showJavalinBanner = false);
        app.exception(
                Answer.class,
                (e, ctx) -> {
                    if (e.status == 429) ctx.header("Retry-After", "5");
                    ctx.status(e.status)
                            .contentType("text/plain; charset=utf-8")
                            .result(e.getMessage() + "\n");
                });
        app.after(ctx -> requests.labels(route(ctx), String.valueOf(ctx.statusCode())).inc());
        app.beforeMatched(
                ctx -> {
                    if (ctx.header("Origin") != null) {
                        throw new Answer(403, "requests from browser pages are refused");
                    }
                    if (token != null && !ctx.path().equals("/metrics") && !authorized(ctx)) {
                        ctx.header("WWW-Authenticate", "Bearer realm=\"incident-analyzer ingest\"");
                        throw new Answer(401, "send the gateway's token as a Bearer token");
                    }
                });
        app.post(REMOTE_WRITE, this::remoteWrite);
        app.post(
                "/v1/metrics",
                ctx ->
                        otlp(
                                ctx,
                                config.topics().metrics(),
                                "metrics",
                                decoders.get(StreamKind.METRICS)));
        app.post(
                "/v1/logs",
                ctx -> otlp(ctx, config.topics().logs(), "logs", decoders.get(StreamKind.LOGS)));
        app.post(
                "/v1/traces",
                ctx -> {
                    if (traceDecoder == null) {
                        throw new Answer(
                                404,
                                "the job has no traces topic; add topics.traces: {name: ...,"
                                        + " format: otlp-proto} to the job file");
                    }
                    otlp(ctx, config.topics().traces(), "traces", traceDecoder);
                });
        app.post(ALERTMANAGER, this::alertmanager);
        app.post("/cdevents", this::cdevents);
        HttpServers.serveMetrics(app, "/metrics", registry);
        return HttpServers.start(app, "ingest", host, port);
    }

    private void remoteWrite(Context ctx) throws IOException {
        InputTopic topic = config.topics().metrics();
        boolean nativeJson = topic.format() == InputFormat.NATIVE_JSON;
        if (topic.format() != InputFormat.PROMETHEUS_KAFKA_ADAPTER && !nativeJson) {
            throw new Answer(
                    404,
                    "remote write needs a metrics topic of format prometheus-kafka-adapter or"
                            + " native-json; this job's reads "
                            + topic.format().label());
        }
        if (!"snappy".equalsIgnoreCase(header(ctx, "Content-Encoding"))) {
            throw new Answer(415, "remote write needs Content-Encoding: snappy");
        }
        byte[] compressed = body(ctx, maxBodyBytes);
        List<RemoteWrite.Sample> samples;
        try {
            if (!Snappy.isValidCompressedBuffer(compressed)) {
                throw new Answer(400, "the body is not snappy-compressed");
            }
            int size = Snappy.uncompressedLength(compressed);
            if (size > maxDecodedBytes) {
                throw new Answer(
                        413,
                        "the body is "
                                + size
                                + " bytes uncompressed, more than the limit of "
                                + maxDecodedBytes
                                + "; lower max_samples_per_send");
            }
            samples = RemoteWrite.samples(Snappy.uncompress(compressed));
        } catch (IOException e) {
            throw new Answer(400, "the body is not a remote-write WriteRequest: " + e.getMessage());
        }
        List<TopicWriter.Out> out = new ArrayList<>(samples.size());
        for (RemoteWrite.Sample s : samples) {
            TopicWriter.Out adapter = adapterRecord(topic.name(), s);
            out.add(nativeJson ? nativeRecord(adapter) : adapter);
        }
        out.removeIf(java.util.Objects::isNull);
        write(ctx, out);
        ctx.status(204);
    }

    /**
     * The sample as prometheus-kafka-adapter writes it (docs/formats.md), but with the time in
     * milliseconds where the adapter truncates to seconds; keyed by the series' labels, so that one
     * series stays in one partition, in order.
     */
    private TopicWriter.Out adapterRecord(String topic, RemoteWrite.Sample s) {
        ObjectNode o = json.createObjectNode();
        o.put("timestamp", Instant.ofEpochMilli(s.timestampMs()).toString());
        o.put("value", promValue(s.value()));
        String name = s.labels().get("__name__");
        if (name != null) o.put("name", name);
        ObjectNode labels = o.putObject("labels");
        s.labels().forEach(labels::put);
        String key =
                s.labels().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
        try {
            return new TopicWriter.Out(
                    topic, key.getBytes(StandardCharsets.UTF_8), json.writeValueAsBytes(o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The adapter record as a native-json sample, mapped by the prometheus-kafka-adapter decoder
     * with its default labels ({@code service}, else {@code job}); null for a sample that decoder
     * rejects (a NaN staleness marker, no such label), counted in {@code
     * gateway_samples_skipped_total} by reason, since a native-json topic has no way to carry it.
     */
    private TopicWriter.Out nativeRecord(TopicWriter.Out adapter) {
        Decoded d = RecordDecoders.decode(adapterDecoder, adapter.topic(), -1, -1, adapter.value());
        if (d.isRejected()) {
            skipped.labels(d.rejected().reason().name()).inc();
            return null;
        }
        MetricSample m = d.metric();
        ObjectNode o = json.createObjectNode();
        o.put("ts", m.ts());
        o.put("service", m.service());
        o.put("metric", m.metric());
        o.put("value", m.value());
        ObjectNode labels = o.putObject("labels");
        m.labels().forEach(labels::put);
        try {
            return new TopicWriter.Out(adapter.topic(), adapter.key(), json.writeValueAsBytes(o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value as Prometheus formats it: {@code NaN}, {@code +Inf}, {@code -Inf} or the number. */
    static String promValue(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+Inf";
        if (v == Double.NEGATIVE_INFINITY) return "-Inf";
        return Double.toString(v);
    }

    private void otlp(Context ctx, InputTopic topic, String stream, RecordDecoder decoder)
            throws IOException {
        String type = mediaType(ctx);
        InputFormat wanted =
                switch (type) {
                    case "application/x-protobuf" -> InputFormat.OTLP_PROTO;
                    case "application/json" -> InputFormat.OTLP_JSON;
                    default ->
                            throw new Answer(
                                    415, "send OTLP as application/x-protobuf or application/json");
                };
        if (topic.format() != wanted) {
            throw new Answer(
                    topic.format() == InputFormat.OTLP_PROTO
                                    || topic.format() == InputFormat.OTLP_JSON
                            ? 415
                            : 404,
                    "the "
                            + stream
                            + " topic reads "
                            + topic.format().label()
                            + "; "
                            + (topic.format() == InputFormat.OTLP_PROTO
                                    ? "send application/x-protobuf"
                                    : topic.format() == InputFormat.OTLP_JSON
                                            ? "send application/json"
                                            : "OTLP needs format otlp-proto or otlp-json"));
        }
        byte[] body = body(ctx, maxBodyBytes);
        String encoding = header(ctx, "Content-Encoding");
        if ("gzip".equalsIgnoreCase(encoding)) {
            body = gunzip(body, config.limits().maxRecordBytes());
        } else if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
            throw new Answer(415, "Content-Encoding " + encoding + " is not supported; use gzip");
        }
        checked(ctx, topic, decoder, body, null);
        // OTLP/HTTP's success for a full acceptance is an empty response of the request's type.
        if (wanted == InputFormat.OTLP_JSON) {
            ctx.status(200).contentType("application/json").result("{}");
        } else {
            ctx.status(200).contentType("application/x-protobuf").result(new byte[0]);
        }
    }

    /**
     * Alertmanager's webhook: the body, checked with the externalAlerts topic's decoder, written as
     * one record keyed by its {@code groupKey}, so that one group's notifications stay on one
     * partition in the order Alertmanager sent them (firing before resolved).
     */
    private void alertmanager(Context ctx) throws IOException {
        InputTopic topic = config.topics().externalAlerts();
        if (topic == null) {
            throw new Answer(
                    404,
                    "the job reads no alerts; add topics.externalAlerts: {name: ..., format:"
                            + " alertmanager-webhook} to its job file");
        }
        byte[] body = body(ctx, maxBodyBytes);
        byte[] key = null;
        try {
            String group = json.readTree(body).path("groupKey").asText("");
            if (!group.isEmpty()) key = group.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            // Not JSON: the decoder below says so.
        }
        if (checked(ctx, topic, alertDecoder, body, key)) {
            ctx.status(200);
        }
    }

    private void cdevents(Context ctx) throws IOException {
        InputTopic topic = config.topics().changes();
        if (topic.format() != InputFormat.CDEVENTS) {
            throw new Answer(
                    404,
                    "CDEvents need a changes topic of format cdevents; this job's reads "
                            + topic.format().label());
        }
        byte[] body = body(ctx, maxBodyBytes);
        if (checked(ctx, topic, decoders.get(StreamKind.CHANGES), body, null)) {
            ctx.status(202);
        }
    }

    /**
     * Decodes the body with the topic's own decoder, as the job will: a body with no event at all
     * is refused with the decoder's reason (400; 413 when too large for the job), an event type the
     * job does not analyse is answered 202 and not written. Otherwise the body is written as one
     * record; parts the decoder skips become the job's dead letters as for any record.
     *
     * @return whether the body was written
     */
    private boolean checked(
            Context ctx, InputTopic topic, RecordDecoder decoder, byte[] body, byte[] key)
            throws Answer {
        List<Decoded> all = RecordDecoders.decodeAll(decoder, topic.name(), -1, -1, body);
        if (all.stream().allMatch(Decoded::isRejected)) {
            DeadLetter d = all.get(0).rejected();
            if (d.reason() == RejectReason.NOT_ANALYSED) {
                ctx.status(202).result("ignored: " + d.detail() + "\n");
                return false;
            }
            throw new Answer(
                    d.reason() == RejectReason.TOO_LARGE ? 413 : 400,
                    d.reason() + ": " + d.detail());
        }
        write(ctx, List.of(new TopicWriter.Out(topic.name(), key, body)));
        return true;
    }

    private void write(Context ctx, List<TopicWriter.Out> out) {
        try {
            writer.write(out);
        } catch (TopicWriter.Refused e) {
            throw new Answer(e.busy() ? 429 : 503, e.getMessage());
        }
        String route = route(ctx);
        for (TopicWriter.Out o : out) records.labels(route, o.topic()).inc();
    }

    /**
     * The body, refused with 413 when it is larger than {@code max}: by its Content-Length before
     * reading, and while reading when it has none (chunked).
     */
    private static byte[] body(Context ctx, int max) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max) throw tooLarge(max);
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(max + 1);
        }
        if (body.length > max) throw tooLarge(max);
        if (body.length == 0) throw new Answer(400, "the body is empty");
        return body;
    }

    private static byte[] gunzip(byte[] body, int max) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes(max + 1);
            if (out.length > max) throw tooLarge(max);
            return out;
        } catch (IOException e) {
            throw new Answer(400, "the body is not gzip: " + e.getMessage());
        }
    }

    private static Answer tooLarge(int max) {
        return new Answer(413, "the body is larger than the limit of " + max + " bytes");
    }

    private static String header(Context ctx, String name) {
        String v = ctx.header(name);
        return v == null ? null : v.trim();
    }

    private static String mediaType(Context ctx) {
        String v = header(ctx, "Content-Type");
        if (v == null) return "";
        int semi = v.indexOf(';');
        return (semi < 0 ? v : v.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String route(Context ctx) {
        String p = ctx.endpointHandlerPath();
        return p == null || p.isEmpty() ? "unmatched" : p;
    }

    private boolean authorized(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return MessageDigest.isEqual(
                h.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** The text Prometheus registry of the gateway's metrics (for a test or an embedding). */
    public CollectorRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        if (app != null) app.stop();
    }

    /** An answer other than success: its status and the one-line reason sent as the body. */
    static final class Answer extends RuntimeException {
        final int status;

        Answer(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }
}
