package io.incidentanalyzer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.InputFormat;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.ingest.DecodingDeserializer;
import io.incidentanalyzer.ingest.FutureTimestamps;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.ingest.WallClock;
import io.incidentanalyzer.ingest.format.CdEventsDecoderTest;
import io.incidentanalyzer.ingest.format.KeycloakDecoderTest;
import io.incidentanalyzer.ingest.format.KubernetesEventsDecoderTest;
import io.incidentanalyzer.ingest.format.OtlpExamples;
import io.incidentanalyzer.ingest.format.PrometheusAdapterDecoderTest;
import io.incidentanalyzer.ingest.format.TelegrafJsonDecoderTest;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fuzz step of {@code bench/faults --fuzz N}: malformed records produced to a running job's
 * input topics, and the check that each one reached the dead-letter topic with the reason the job's
 * own decoder gives it.
 *
 * <p>Each record is a mutant ({@link DecoderFuzz#mutate}, the mutation the decoder tests use) of a
 * real example: records the run's input topic already holds (its own format), and the decoder
 * tests' examples of every format that carries the topic's stream (a producer writing the wrong
 * format to the topic). Before it is produced, each mutant is decoded offline exactly as the job's
 * Kafka source decodes it (the same {@link DecodingDeserializer} built by {@link
 * RecordDecoders#forTopic}, with the same admission of future timestamps); a mutant that still
 * gives an event is not produced, since it would change the run's incidents. So the expected dead
 * letters, and their reasons, are exact.
 */
final class FuzzRecords {
    /** Real records read from each input topic as examples of its own format. */
    private static final int OWN_EXAMPLES = 50;

    private static final List<StreamKind> KINDS =
            List.of(StreamKind.METRICS, StreamKind.AUTH, StreamKind.LOGS, StreamKind.CHANGES);

    private FuzzRecords() {}

    /** A produced record's coordinates and the reasons its dead letters must carry. */
    record Expected(String topic, int partition, long offset, List<String> reasons) {
        String coordinates() {
            return topic + "/" + partition + "/" + offset;
        }
    }

    static InputTopic topic(JobConfig config, StreamKind kind) {
        return switch (kind) {
            case METRICS -> config.topics().metrics();
            case AUTH -> config.topics().auth();
            case LOGS -> config.topics().logs();
            case CHANGES -> config.topics().changes();
        };
    }

    /**
     * The decoder tests' examples of every producer format (native JSON's come from the topics
     * themselves).
     */
    static Map<InputFormat, List<byte[]>> formatExamples() {
        long t0 = OtlpExamples.T0_NANOS;
        Map<InputFormat, List<byte[]>> out = new EnumMap<>(InputFormat.class);
        out.put(
                InputFormat.PROMETHEUS_KAFKA_ADAPTER,
                List.of(utf8(PrometheusAdapterDecoderTest.SAMPLE)));
        out.put(
                InputFormat.TELEGRAF_JSON,
                List.of(utf8(TelegrafJsonDecoderTest.SINGLE), utf8(TelegrafJsonDecoderTest.BATCH)));
        out.put(
                InputFormat.OTLP_PROTO,
                List.of(
                        OtlpExamples.metricsProto("database", t0, 97.5).toByteArray(),
                        OtlpExamples.logs("web-app", t0, "boom").toByteArray()));
        out.put(
                InputFormat.OTLP_JSON,
                List.of(
                        utf8(OtlpExamples.metricsJson("database", t0, 97.5)),
                        utf8(OtlpExamples.logsJson("web-app", t0, "boom"))));
        out.put(InputFormat.KEYCLOAK_JSON, List.of(utf8(KeycloakDecoderTest.JSON_EVENT)));
        out.put(
                InputFormat.KEYCLOAK_LOG,
                List.of(
                        utf8(KeycloakDecoderTest.PLAIN_QUOTED),
                        utf8(KeycloakDecoderTest.PLAIN_UNQUOTED),
                        utf8(KeycloakDecoderTest.JSON_LOG)));
        out.put(
                InputFormat.CDEVENTS,
                List.of(utf8(CdEventsDecoderTest.DEPLOYED), utf8(CdEventsDecoderTest.CLOUD_EVENT)));
        out.put(
                InputFormat.KUBERNETES_EVENTS,
                List.of(
                        utf8(KubernetesEventsDecoderTest.BACK_OFF),
                        utf8(KubernetesEventsDecoderTest.SCALED),
                        utf8(KubernetesEventsDecoderTest.OTLP)));
        return out;
    }

    /** The examples of every format that carries {@code kind}'s stream. */
    static List<byte[]> examplesOf(StreamKind kind) {
        List<byte[]> out = new ArrayList<>();
        formatExamples()
                .forEach(
                        (format, examples) -> {
                            if (format.feeds(kind.name().toLowerCase(Locale.ROOT))) {
                                out.addAll(examples);
                            }
                        });
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The outcomes of {@code value} on {@code kind}'s topic as the job's source decodes it; empty
     * when any of them is an event (the mutant is still valid).
     */
    static List<String> rejections(DecodingDeserializer decoder, String topic, byte[] value) {
        List<Decoded> out = new ArrayList<>();
        decoder.deserialize(
                new ConsumerRecord<>(topic, 0, 0L, null, value), new ListCollector<>(out));
        List<String> reasons = new ArrayList<>();
        for (Decoded d : out) {
            if (!d.isRejected()) return List.of();
            reasons.add(d.rejected().reason().name());
        }
        return reasons;
    }

    /**
     * Produces {@code records} malformed records, a quarter to each input topic, round robin over
     * its partitions, and writes their coordinates and expected reasons to {@code out} (one line
     * each: topic, partition, offset, reasons joined by commas).
     */
    static void produce(JobConfig config, Properties client, int records, long seed, Path out)
            throws Exception {
        Map<StreamKind, List<byte[]>> pools = new EnumMap<>(StreamKind.class);
        Map<StreamKind, DecodingDeserializer> decoders = new EnumMap<>(StreamKind.class);
        for (StreamKind kind : KINDS) {
            InputTopic topic = topic(config, kind);
            List<byte[]> pool = new ArrayList<>(firstRecords(client, topic.name(), OWN_EXAMPLES));
            pool.addAll(examplesOf(kind));
            pools.put(kind, pool);
            decoders.put(
                    kind,
                    new DecodingDeserializer(
                            RecordDecoders.forTopic(topic, kind, config.limits()),
                            new FutureTimestamps(config.limits().maxFuture(), WallClock.SYSTEM)));
        }
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Random random = new Random(seed);
        List<Expected> expected = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<String, Integer> validSkipped = new TreeMap<>();
        int produced = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            Map<StreamKind, Integer> partitions = new EnumMap<>(StreamKind.class);
            for (StreamKind kind : KINDS) {
                partitions.put(kind, producer.partitionsFor(topic(config, kind).name()).size());
            }
            for (long attempt = 0; produced < records; attempt++) {
                if (attempt > 20L * records) {
                    throw new IllegalStateException(
                            "too few mutants are malformed: " + produced + " of " + attempt);
                }
                StreamKind kind = KINDS.get(produced % KINDS.size());
                String name = topic(config, kind).name();
                List<byte[]> pool = pools.get(kind);
                byte[] mutant = DecoderFuzz.mutate(random, pool.get(random.nextInt(pool.size())));
                List<String> reasons = rejections(decoders.get(kind), name, mutant);
                if (reasons.isEmpty()) {
                    validSkipped.merge(kind.name().toLowerCase(), 1, Integer::sum);
                    continue;
                }
                int partition = (produced / KINDS.size()) % partitions.get(kind);
                producer.send(
                        new ProducerRecord<>(name, partition, null, mutant),
                        (meta, error) -> {
                            if (error != null) failure.compareAndSet(null, error);
                            else
                                expected.add(
                                        new Expected(
                                                meta.topic(),
                                                meta.partition(),
                                                meta.offset(),
                                                reasons));
                        });
                produced++;
            }
            producer.flush();
        }
        if (failure.get() != null) throw failure.get();
        List<String> lines = new ArrayList<>();
        for (Expected e : expected) {
            lines.add(
                    e.topic()
                            + "\t"
                            + e.partition()
                            + "\t"
                            + e.offset()
                            + "\t"
                            + String.join(",", e.reasons()));
        }
        Files.write(out, lines, StandardCharsets.UTF_8);
        System.out.println(
                "produced="
                        + expected.size()
                        + " expected_dead_letters="
                        + expected.stream().mapToInt(e -> e.reasons().size()).sum()
                        + " valid_mutants_not_produced="
                        + validSkipped);
    }

    /** A read_committed consumer of every partition of {@code topic}, at its beginning. */
    private static KafkaConsumer<byte[], byte[]> fromBeginning(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> parts = new ArrayList<>();
        consumer.partitionsFor(topic)
                .forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return consumer;
    }

    private static List<byte[]> firstRecords(Properties client, String topic, int n) {
        List<byte[]> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = fromBeginning(client, topic)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (out.size() < n && r.value() != null) out.add(r.value());
                }
            }
        }
        return out;
    }

    /**
     * Reads the dead-letter topic until every expected record is there (or 5 minutes pass) and
     * prints, per reason, how many were expected and found, then one line: {@code dead_letters=N
     * expected=E wrong_reason=W duplicates=D}. A dead letter counts when its coordinates (source
     * topic, partition, offset) are a produced record's and its reason is one the offline decoding
     * gave; the job's other dead letters (from the run's own input) are not counted.
     */
    static String check(JobConfig config, Properties client, Path expectedFile) throws IOException {
        Map<String, List<String>> expected = new HashMap<>();
        int expectedCount = 0;
        for (String line : Files.readAllLines(expectedFile, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            List<String> reasons = new ArrayList<>(List.of(f[3].split(",")));
            expected.put(f[0] + "/" + f[1] + "/" + f[2], reasons);
            expectedCount += reasons.size();
        }
        Map<String, int[]> perReason = new TreeMap<>(); // reason -> {expected, found}
        expected.values()
                .forEach(rs -> rs.forEach(r -> perReason.computeIfAbsent(r, k -> new int[2])[0]++));
        Map<String, List<String>> remaining = new HashMap<>();
        expected.forEach((k, v) -> remaining.put(k, new ArrayList<>(v)));
        int found = 0;
        int wrongReason = 0;
        int duplicates = 0;
        ObjectMapper json = new ObjectMapper();
        String topic = config.topics().deadLetter();
        try (KafkaConsumer<byte[], byte[]> consumer = fromBeginning(client, topic)) {
            Set<TopicPartition> parts = consumer.assignment();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            boolean caughtUp = false;
            while (!(caughtUp && found + wrongReason >= expectedCount)
                    && System.nanoTime() < deadline) {
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode letter = json.readTree(r.value());
                    String at =
                            letter.path("sourceTopic").asText()
                                    + "/"
                                    + letter.path("partition").asInt()
                                    + "/"
                                    + letter.path("offset").asLong();
                    List<String> left = remaining.get(at);
                    if (left == null) {
                        if (expected.containsKey(at)) duplicates++;
                        continue;
                    }
                    String reason = letter.path("reason").asText();
                    if (left.remove(reason)) {
                        found++;
                        perReason.get(reason)[1]++;
                    } else if (!left.isEmpty()) {
                        wrongReason++;
                        left.remove(0);
                    } else {
                        duplicates++;
                    }
                    if (left.isEmpty()) remaining.remove(at);
                }
                caughtUp = true;
                for (TopicPartition tp : parts) {
                    if (consumer.position(tp) < end.get(tp)) caughtUp = false;
                }
            }
        }
        StringBuilder report = new StringBuilder();
        perReason.forEach(
                (reason, n) ->
                        report.append(
                                String.format(
                                        "reason %-20s expected=%d found=%d%n",
                                        reason, n[0], n[1])));
        report.append(
                String.format(
                        "dead_letters=%d expected=%d wrong_reason=%d duplicates=%d",
                        found, expectedCount, wrongReason, duplicates));
        return report.toString();
    }
}
