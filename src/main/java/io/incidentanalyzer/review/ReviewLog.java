package io.incidentanalyzer.review;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.IncidentEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The review service's only store: it replays the incidents and reviews topics from their start
 * into a {@link ReviewState}, follows them while it runs, and appends what engineers do to the
 * reviews topic. A restart therefore loses nothing that reached Kafka.
 */
public final class ReviewLog implements AutoCloseable {
    private final String incidentsTopic;
    private final String reviewsTopic;
    private final ReviewState state;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, String> producer;
    private final ObjectMapper json =
            OutputJson.mapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong unreadable = new AtomicLong();
    private Thread follower;

    public ReviewLog(
            String bootstrap,
            Map<String, String> clientProperties,
            String incidentsTopic,
            String reviewsTopic,
            ReviewState state) {
        this.incidentsTopic = incidentsTopic;
        this.reviewsTopic = reviewsTopic;
        this.state = state;
        Properties c = new Properties();
        c.putAll(clientProperties);
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        // The analyzer writes incident events in transactions.
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(c);
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        this.producer = new KafkaProducer<>(p);
    }

    /**
     * Reads both topics from their start to their current end, then keeps following them in the
     * background. Returns once the state holds everything that was there at the start.
     */
    public void start(Duration timeout) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(incidentsTopic, reviewsTopic)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(
                        "topic " + topic + " does not exist; create it (docs/operations.md)");
            }
            for (PartitionInfo i : infos) partitions.add(new TopicPartition(topic, i.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
        follower =
                new Thread(
                        () -> {
                            try {
                                while (running.get()) {
                                    for (ConsumerRecord<byte[], byte[]> r :
                                            consumer.poll(Duration.ofMillis(200))) {
                                        take(r);
                                    }
                                    if (loaded.getCount() > 0 && caughtUp(end)) loaded.countDown();
                                }
                            } catch (org.apache.kafka.common.errors.WakeupException e) {
                                // closing
                            } finally {
                                consumer.close();
                            }
                        },
                        "review-log");
        follower.setDaemon(true);
        follower.start();
        if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(
                    "could not read "
                            + incidentsTopic
                            + " and "
                            + reviewsTopic
                            + " within "
                            + timeout);
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) return false;
        }
        return true;
    }

    private void take(ConsumerRecord<byte[], byte[]> r) {
        try {
            if (r.topic().equals(incidentsTopic)) {
                state.apply(json.readValue(r.value(), IncidentEvent.class));
            } else {
                state.apply(json.readValue(r.value(), ReviewEvent.class));
            }
        } catch (Exception e) {
            // A record this version cannot read is skipped and counted, never fatal.
            unreadable.incrementAndGet();
        }
    }

    /** Appends an engineer's action to the reviews topic, then to the state. */
    public void append(ReviewEvent r) throws Exception {
        String value = json.writeValueAsString(r);
        producer.send(new ProducerRecord<>(reviewsTopic, r.incidentId(), value))
                .get(30, TimeUnit.SECONDS);
        state.apply(r);
    }

    /** Records skipped because they could not be read. */
    public long unreadable() {
        return unreadable.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        if (follower != null) follower.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }
}
