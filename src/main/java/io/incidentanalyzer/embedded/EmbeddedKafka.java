package io.incidentanalyzer.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM, on a
 * free loopback port, with its logs in a temporary directory that {@link #close()} deletes. The
 * demo runs on it and every integration test uses it, so tests exercise the same broker code as
 * production, not a mock. Transactions work: the internal topics have replication factor 1.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaClusterTestKit cluster;
    private final Path dataDir;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path dataDir) {
        this.cluster = cluster;
        this.dataDir = dataDir;
    }

    /** Formats and starts a broker; returns once it accepts clients (about 2 s). */
    public static EmbeddedKafka start() throws Exception {
        Path dir = Files.createTempDirectory("incident-analyzer-kafka-");
        TestKitNodes nodes =
                new TestKitNodes.Builder()
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .setBaseDirectory(dir)
                        .build();
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(nodes)
                        .setDeleteOnClose(true)
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "4")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.state.log.num.partitions", "4")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
        try {
            formatQuietly(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        EmbeddedKafka kafka = new EmbeddedKafka(cluster, dir);
        LOG.info("Embedded Kafka broker ready at {}", kafka.bootstrapServers());
        return kafka;
    }

    /**
     * Kafka's storage formatter prints its progress to {@code System.out}, which would land in the
     * demo's output; it runs once, before any other thread of ours writes there.
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            cluster.format();
        } finally {
            System.setOut(stdout);
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Creates topics (existing ones are left as they are) and returns once the broker leads every
     * partition, so that a producer may write at once.
     */
    public void createTopics(int partitions, String... names)
            throws InterruptedException, ExecutionException {
        List<NewTopic> topics = new ArrayList<>();
        for (String n : names) {
            topics.add(new NewTopic(n, partitions, (short) 1));
        }
        try (Admin admin = admin()) {
            for (var f : admin.createTopics(topics).values().values()) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            awaitLeaders(admin, List.of(names), partitions);
        }
    }

    /**
     * Waits until every partition has a leader in the metadata <em>and</em> that broker answers as
     * its leader. The metadata names the leader a moment before the broker has taken the
     * leadership; a producer that writes in that moment gets NOT_LEADER for its first batches while
     * later ones already land, and an idempotent producer with several requests in flight then
     * retries the first ones with OUT_OF_ORDER_SEQUENCE until its delivery timeout (seen in
     * ReplayMatchesStreamingIT, found with client logs). ListOffsets is served by the leader only,
     * and reads nothing, so its success is the readiness test.
     */
    private static void awaitLeaders(Admin admin, List<String> names, int partitions)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String n : names) {
            for (int i = 0; i < partitions; i++) {
                latest.put(new TopicPartition(n, i), OffsetSpec.latest());
            }
        }
        while (true) {
            boolean ready = true;
            try {
                for (TopicDescription d :
                        admin.describeTopics(names).allTopicNames().get().values()) {
                    for (TopicPartitionInfo p : d.partitions()) {
                        ready &= p.leader() != null && !p.leader().isEmpty();
                    }
                }
                if (ready) admin.listOffsets(latest).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) throw e;
                ready = false; // not in the metadata yet, or the broker is not the leader yet
            }
            if (ready) return;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " have no leader after 30 s");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** Stops the broker and deletes its data directory. */
    @Override
    public void close() throws Exception {
        cluster.close();
        LOG.info("Embedded Kafka broker stopped; removed {}", dataDir);
    }
}
