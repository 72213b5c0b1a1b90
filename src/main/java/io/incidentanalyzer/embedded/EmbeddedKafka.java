package io.incidentanalyzer.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller: Kafka's own {@code
 * KafkaRaftServer}, as {@code kafka-server-start.sh} runs it) inside this JVM, on free ports of one
 * address (loopback unless told otherwise), with its logs in a temporary directory that {@link
 * #close()} deletes. The demo runs on it and every integration test uses it, so tests exercise the
 * same broker code as production, not a mock. Transactions work: the internal topics have
 * replication factor 1.
 *
 * <p>Not Kafka's test kit: it pre-binds its listener sockets on every interface whatever address
 * the listeners name, and the demo must listen on loopback only.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final String bootstrap;
    private final Map<String, String> clientSecurity;

    private EmbeddedKafka(
            KafkaRaftServer server,
            Path dataDir,
            String bootstrap,
            Map<String, String> clientSecurity) {
        this.server = server;
        this.dataDir = dataDir;
        this.bootstrap = bootstrap;
        this.clientSecurity = clientSecurity;
    }

    /** SCRAM mechanism of {@link #startSecured}. */
    public static final String SCRAM = "SCRAM-SHA-256";

    /**
     * Formats and starts a broker on loopback whose clients must sign in with {@link #SCRAM} and
     * whose ACLs are enforced (KRaft's {@code StandardAuthorizer}, nothing allowed without an ACL).
     * {@code admin} is the one user that exists at start, a super user ({@link #admin()} signs in
     * as it); it creates the other users and their ACLs. The controller listener stays plain text
     * on loopback, its principal a super user, as the broker must register with itself.
     */
    public static EmbeddedKafka startSecured(String admin, String password) throws Exception {
        return start("127.0.0.1", new Scram(admin, password));
    }

    /** Client properties that sign in to a {@link #startSecured} broker as {@code user}. */
    public static Map<String, String> scramClient(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                SCRAM,
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
    }

    private record Scram(String admin, String password) {}

    /** Formats and starts a broker on loopback; returns once it accepts clients (about 2 s). */
    public static EmbeddedKafka start() throws Exception {
        return start("127.0.0.1");
    }

    /** Formats and starts a broker listening on {@code host}, e.g. 127.0.0.1. */
    public static EmbeddedKafka start(String host) throws Exception {
        return start(host, null);
    }

    private static EmbeddedKafka start(String host, Scram scram) throws Exception {
        String listener = scram == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        String h = host.contains(":") ? "[" + host + "]" : host; // IPv6
        Path dir = Files.createTempDirectory("incident-analyzer-kafka-");
        // The controller's address is part of the broker's own configuration (the voter set), so
        // both ports are chosen before start: a free port each, taken again at once by the broker.
        int brokerPort = freePort(host);
        int controllerPort = freePort(host);
        // Clients and the controller's voters are told where to connect: on the wildcard address,
        // this machine's name.
        String advertised =
                InetAddress.getByName(host).isAnyLocalAddress()
                        ? InetAddress.getLocalHost().getHostName()
                        : h;
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + advertised + ":" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put(
                "listeners",
                listener
                        + "://"
                        + h
                        + ":"
                        + brokerPort
                        + ",CONTROLLER://"
                        + h
                        + ":"
                        + controllerPort);
        p.put("advertised.listeners", listener + "://" + advertised + ":" + brokerPort);
        p.put(
                "listener.security.protocol.map",
                listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", listener);
        if (scram != null) {
            p.put("sasl.enabled.mechanisms", SCRAM);
            p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
            p.put(
                    "listener.name.sasl_plaintext."
                            + SCRAM.toLowerCase(java.util.Locale.ROOT)
                            + ".sasl.jaas.config",
                    scramClient(scram.admin(), scram.password()).get("sasl.jaas.config"));
            p.put(
                    "authorizer.class.name",
                    "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // ANONYMOUS: the broker's own requests on the plain-text controller listener.
            p.put("super.users", "User:" + scram.admin() + ";User:ANONYMOUS");
        }
        p.put("log.dirs", dir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        KafkaConfig config = new KafkaConfig(p);
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    // The first user is in the metadata from the start (kafka-storage --add-scram).
                    .setScramArguments(
                            scram == null
                                    ? List.of()
                                    : List.of(
                                            SCRAM
                                                    + "=[name="
                                                    + scram.admin()
                                                    + ",password="
                                                    + scram.password()
                                                    + "]"))
                    .run();
        } catch (Exception e) {
            deleteDirectory(dir);
            throw e;
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafka kafka =
                new EmbeddedKafka(
                        server,
                        dir,
                        advertised + ":" + brokerPort,
                        scram == null ? Map.of() : scramClient(scram.admin(), scram.password()));
        try {
            server.startup();
            kafka.awaitBroker();
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
        LOG.info("Embedded Kafka broker ready at {}", kafka.bootstrapServers());
        return kafka;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    /** Waits until the broker has registered with its controller and answers metadata requests. */
    private void awaitBroker() throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException notYet) {
                    // the broker is still starting
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the embedded broker did not start in 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    public String bootstrapServers() {
        return bootstrap;
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
        p.putAll(clientSecurity);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** Stops the broker and deletes its data directory. */
    @Override
    public void close() throws Exception {
        server.shutdown();
        server.awaitShutdown();
        deleteDirectory(dataDir);
        LOG.info("Embedded Kafka broker stopped; removed {}", dataDir);
    }

    private static void deleteDirectory(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
