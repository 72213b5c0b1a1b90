package io.incidentanalyzer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for tests: write raw records, read a topic's committed records as JSON. */
public final class KafkaTestClients implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String bootstrap;
    private final Map<String, String> properties;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<Future<RecordMetadata>> sent = new ArrayList<>();

    public KafkaTestClients(String bootstrap) {
        this(bootstrap, Map.of());
    }

    /** Clients with extra properties (a secured broker's sign-in, say). */
    public KafkaTestClients(String bootstrap, Map<String, String> properties) {
        this.bootstrap = bootstrap;
        this.properties = properties;
        Properties p = new Properties();
        p.putAll(properties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // One request in flight per partition: a retried batch is resent before any later one,
        // so a broker that refuses the first batches of a new partition can never see a gap in
        // the idempotent sequence (EmbeddedKafka.createTopics explains the race).
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producer = new KafkaProducer<>(p);
    }

    public void send(String topic, int partition, byte[] value) {
        sent.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
    }

    /**
     * Sends to the partition the producer picks for {@code key}; a record without a key goes to
     * partition 0 (the sticky partitioner for keyless records once left a record unsent until the
     * delivery timeout, and the test lost it silently).
     */
    public void send(String topic, String key, byte[] value) {
        if (key == null) {
            send(topic, 0, value);
            return;
        }
        sent.add(
                producer.send(
                        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)));
    }

    /** Sends to partition 0 with these record headers (name, value pairs). */
    public void send(String topic, byte[] value, String... headers) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, 0, null, value);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        sent.add(producer.send(r));
    }

    public void send(String topic, int partition, String value) {
        send(topic, partition, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until every record sent so far is acknowledged; fails if any was not. */
    public void flush() {
        producer.flush();
        try {
            for (Future<RecordMetadata> f : sent) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a test record was not written: " + e.getCause(), e);
        }
        sent.clear();
    }

    /** Every committed record of {@code topic} right now, values parsed as JSON. */
    public List<JsonNode> readAll(String topic) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (byte[] v : readAllBytes(topic)) out.add(JSON.readTree(v));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a record on " + topic + " is not JSON", e);
        }
        return out;
    }

    /** Every committed record of {@code topic} right now: its key as text, its value as JSON. */
    public List<Map.Entry<String, JsonNode>> readAllKeyed(String topic) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> r : readAllRecords(topic)) {
                String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                out.add(new AbstractMap.SimpleImmutableEntry<>(key, JSON.readTree(r.value())));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a record on " + topic + " is not JSON", e);
        }
        return out;
    }

    /** Every committed record value of {@code topic} right now, as written. */
    public List<byte[]> readAllBytes(String topic) {
        return readAllRecords(topic).stream().map(ConsumerRecord::value).toList();
    }

    private List<ConsumerRecord<byte[], byte[]>> readAllRecords(String topic) {
        Properties p = new Properties();
        p.putAll(properties);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            var partitions =
                    c.partitionsFor(topic).stream()
                            .map(
                                    i ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    topic, i.partition()))
                            .toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            var end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        producer.close();
    }
}
