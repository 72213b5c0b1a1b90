package io.incidentanalyzer.review;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.IncidentEvent;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Every record is checked before it reaches the state: it must parse, carry the fields its kind
 * needs ({@link ReviewEvent#problem()}, {@link #problem(IncidentEvent)}) and, on the reviews topic,
 * a valid {@link ReviewSigner} signature. Any other record is skipped, counted by topic and reason,
 * and kept in a short list for the engineer pages: one bad record never stops the pages.
 */
public final class ReviewLog implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReviewLog.class);
    private final String incidentsTopic;
    private final String reviewsTopic;
    private final ReviewState state;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json =
            OutputJson.mapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final CountDownLatch loaded = new CountDownLatch(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ReviewSigner signer;
    private final Map<String, AtomicLong> unreadable =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Deque<Skipped> skipped = new java.util.ArrayDeque<>();
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Thread follower;

    /**
     * Told of every record applied to the state, on the thread that reads the topics, in topic
     * order per partition: during the first load too. It must return quickly and not throw.
     */
    public interface Listener {
        /**
         * @param written the record's Kafka timestamp (when it was written), epoch ms
         */
        default void incident(IncidentEvent e, long written) {}

        default void review(ReviewEvent r, long written) {}
    }

    /** Adds a listener (before {@link #start}, to be told of the first load too). */
    public void listen(Listener l) {
        listeners.add(l);
    }

    /** Whether the first load is done: every record that was there at the start is applied. */
    public boolean loaded() {
        return loaded.getCount() == 0;
    }

    public ReviewLog(
            String bootstrap,
            Map<String, String> clientProperties,
            String incidentsTopic,
            String reviewsTopic,
            ReviewState state,
            ReviewSigner signer) {
        this.signer = signer;
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
        p.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
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

    /** Which topic a skipped record came from ({@code review_unreadable_records_total{topic}}). */
    public enum Source {
        INCIDENTS,
        REVIEWS
    }

    /** Why a record was skipped ({@code review_unreadable_records_total{reason}}). */
    public enum Reason {
        /** Larger than {@link #MAX_RECORD_BYTES}, or empty. */
        SIZE,
        /** A reviews record without a signature: written by someone without the key. */
        UNSIGNED,
        /** A reviews record whose signature does not match it: forged or altered. */
        BAD_SIGNATURE,
        /** Not JSON. */
        NOT_JSON,
        /** JSON, but not a record of its kind: an unknown action, a missing or oversized field. */
        INVALID
    }

    /** A record that was skipped, for the engineer pages. */
    public record Skipped(
            Source source,
            int partition,
            long offset,
            long timestamp,
            Reason reason,
            String detail) {}

    /** Records larger than this are skipped unread. */
    static final int MAX_RECORD_BYTES = 1 << 20;

    private static final int KEPT = 50;

    private void take(ConsumerRecord<byte[], byte[]> r) {
        boolean incidents = r.topic().equals(incidentsTopic);
        Source source = incidents ? Source.INCIDENTS : Source.REVIEWS;
        byte[] value = r.value();
        if (value == null || value.length == 0 || value.length > MAX_RECORD_BYTES) {
            skip(source, r, Reason.SIZE, value == null ? "empty" : value.length + " bytes");
            return;
        }
        if (!incidents) {
            org.apache.kafka.common.header.Header h = r.headers().lastHeader(ReviewSigner.HEADER);
            if (h == null) {
                skip(source, r, Reason.UNSIGNED, "no " + ReviewSigner.HEADER + " header");
                return;
            }
            if (!signer.verify(value, h.value())) {
                skip(source, r, Reason.BAD_SIGNATURE, "signature does not match the record");
                return;
            }
        }
        try {
            if (incidents) {
                IncidentEvent e = json.readValue(value, IncidentEvent.class);
                String problem = problem(e);
                if (problem != null) skip(source, r, Reason.INVALID, problem);
                else {
                    state.apply(e);
                    tell(l -> l.incident(e, r.timestamp()));
                }
            } else {
                ReviewEvent e = json.readValue(value, ReviewEvent.class);
                String problem = e.problem();
                if (problem != null) skip(source, r, Reason.INVALID, problem);
                else {
                    state.apply(e);
                    tell(l -> l.review(e, r.timestamp()));
                }
            }
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            skip(source, r, Reason.NOT_JSON, e.getOriginalMessage());
        } catch (Exception e) {
            // A record this version cannot read is skipped and counted, never fatal.
            skip(source, r, Reason.INVALID, e.getClass().getSimpleName());
        }
    }

    private void tell(java.util.function.Consumer<Listener> call) {
        for (Listener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException x) {
                // A listener's bug must not stop the pages' state from following the topics.
                LOG.warn("review log listener failed", x);
            }
        }
    }

    /**
     * What is wrong with an incident event for the pages, or null: the fields they show must be
     * there. The analyzer writes these; a record that lacks them is not its.
     */
    static String problem(IncidentEvent e) {
        if (e.incidentId() == null
                || e.incidentId().isBlank()
                || e.incidentId().length() > ReviewEvent.MAX_NAME) return "incidentId missing";
        if (e.type() == null || e.status() == null) return "type or status missing";
        if (e.title() == null) return "title missing";
        if (e.activeSignals() == null || e.rootCauses() == null || e.contributingCauses() == null)
            return "signal or cause lists missing";
        for (io.incidentanalyzer.model.RootCause c : e.rootCauses()) {
            if (c == null
                    || c.kind() == null
                    || c.service() == null
                    || c.signals() == null
                    || c.signals().isEmpty()
                    || c.evidence() == null) return "a root cause without kind, service or signals";
        }
        for (io.incidentanalyzer.model.RootCause c : e.contributingCauses()) {
            if (c == null || c.kind() == null || c.service() == null || c.evidence() == null)
                return "a contributing cause without kind or service";
        }
        return null;
    }

    private void skip(Source source, ConsumerRecord<byte[], byte[]> r, Reason reason, String why) {
        unreadable.computeIfAbsent(key(source, reason), k -> new AtomicLong()).incrementAndGet();
        String detail = why == null ? "" : why.length() > 200 ? why.substring(0, 200) : why;
        synchronized (skipped) {
            skipped.addLast(
                    new Skipped(source, r.partition(), r.offset(), r.timestamp(), reason, detail));
            while (skipped.size() > KEPT) skipped.removeFirst();
        }
    }

    private static String key(Source source, Reason reason) {
        return source + "/" + reason;
    }

    /** Appends an engineer's action to the reviews topic, signed, then to the state. */
    public void append(ReviewEvent r) throws Exception {
        String problem = r.problem();
        if (problem != null) throw new IllegalArgumentException("not a valid review: " + problem);
        byte[] value = json.writeValueAsBytes(r);
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(reviewsTopic, r.incidentId(), value);
        record.headers()
                .add(ReviewSigner.HEADER, signer.sign(value).getBytes(StandardCharsets.US_ASCII));
        producer.send(record).get(30, TimeUnit.SECONDS);
        state.apply(r);
    }

    /** Records skipped because they could not be read or trusted, all topics and reasons. */
    public long unreadable() {
        long n = 0;
        for (AtomicLong c : unreadable.values()) n += c.get();
        return n;
    }

    /** Records of this topic skipped for this reason. */
    public long unreadable(Source source, Reason reason) {
        AtomicLong c = unreadable.get(key(source, reason));
        return c == null ? 0 : c.get();
    }

    /** The last skipped records (at most 50), oldest first. */
    public List<Skipped> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        if (follower != null) follower.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }
}
