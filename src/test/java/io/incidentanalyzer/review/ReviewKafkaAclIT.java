package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.embedded.EmbeddedKafka;
import io.incidentanalyzer.job.OutputJson;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.testing.Fixtures;
import io.incidentanalyzer.testing.KafkaTestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reviews topic on a broker that enforces ACLs (SASL/SCRAM, KRaft's StandardAuthorizer), set up
 * as docs/operations.md says: the review service's user writes it, any other user is refused with
 * an authorization error, and the service works with its own credentials.
 */
class ReviewKafkaAclIT {
    private static final String ADMIN = "admin";
    private static final String REVIEW = "review";
    private static final String INTRUDER = "intruder";
    private static final long T0 = ReviewFixtures.T0;
    private static final ReviewSigner SIGNER =
            ReviewSigner.of(
                    "a test key of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8));

    private static EmbeddedKafka kafka;
    private static final JobConfig CONFIG = config(REVIEW);

    /**
     * The job file of a review service signed in as {@code user}: its SASL settings are the {@code
     * kafka.properties} of docs/operations.md.
     */
    private static JobConfig config(String user) {
        String sasl =
                "startingOffsets: earliest, properties: {security.protocol: SASL_PLAINTEXT,"
                        + " sasl.mechanism: SCRAM-SHA-256, sasl.jaas.config: '"
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"%s\" password=\"%s\";'}".formatted(user, secret(user));
        return JobConfigLoader.parse(
                "environment: acl\n"
                        + Fixtures.kafkaYaml("acl", sasl, false)
                        + """
                          services:
                            web-app: {displayName: Web app}
                          components:
                            - {name: Checkout, group: Shop, services: [web-app]}
                          """,
                "acl.yaml");
    }

    private static final String INCIDENTS = CONFIG.topics().incidents();
    private static final String REVIEWS = CONFIG.topics().reviews();
    private static final String ID = "acl-1";

    private ReviewLog log;
    private ReviewServer server;

    @BeforeAll
    static void secureBroker() throws Exception {
        kafka = EmbeddedKafka.startSecured(ADMIN, "admin-secret");
        kafka.createTopics(1, INCIDENTS, REVIEWS);
        try (Admin admin = kafka.admin()) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String user : List.of(REVIEW, INTRUDER)) {
                users.add(
                        new UserScramCredentialUpsertion(
                                user,
                                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                                secret(user)));
            }
            admin.alterUserScramCredentials(
                            List
                                    .<org.apache.kafka.clients.admin.UserScramCredentialAlteration>
                                            copyOf(users))
                    .all()
                    .get();
            // The review service's ACLs of docs/operations.md; the intruder, signed in as well,
            // gets none.
            List<AclBinding> acls =
                    List.of(
                            allow(REVIEW, INCIDENTS, AclOperation.READ),
                            allow(REVIEW, REVIEWS, AclOperation.READ),
                            allow(REVIEW, REVIEWS, AclOperation.WRITE));
            admin.createAcls(acls).all().get();
            awaitApplied(admin, acls.size());
        }
        try (KafkaTestClients analyzer =
                new KafkaTestClients(
                        kafka.bootstrapServers(),
                        EmbeddedKafka.scramClient(ADMIN, "admin-secret"))) {
            analyzer.send(INCIDENTS, ID, OutputJson.mapper().writeValueAsBytes(incident()));
            analyzer.flush();
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (log != null) log.close();
    }

    private static String secret(String user) {
        return user + "-secret";
    }

    private static AclBinding allow(String user, String topic, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    /** ACLs and users are metadata records: the broker applies them a moment after they commit. */
    private static void awaitApplied(Admin admin, int acls) {
        await("ACLs and users applied")
                .atMost(Duration.ofSeconds(30))
                .until(
                        () ->
                                admin.describeAcls(AclBindingFilter.ANY).values().get().size()
                                                >= acls
                                        && admin.describeUserScramCredentials().users().get().size()
                                                >= 3);
    }

    private static IncidentEvent incident() {
        return ReviewFixtures.opened(ID, "acl", "Checkout errors");
    }

    private static ReviewEvent update(String actor, String body) {
        return ReviewFixtures.review(
                "u-" + body.hashCode(),
                ID,
                ReviewEvent.Action.PUBLISH_UPDATE,
                actor,
                null,
                null,
                "Checkout is failing",
                body,
                List.of());
    }

    /** The service as the review command starts it, with the job file of {@code user}. */
    private ReviewState startService(String user) throws Exception {
        ReviewState state = new ReviewState();
        log =
                new ReviewLog(
                        kafka.bootstrapServers(),
                        config(user).kafka().properties(),
                        INCIDENTS,
                        REVIEWS,
                        state,
                        SIGNER);
        log.start(Duration.ofMinutes(1));
        return state;
    }

    @Test
    void onlyTheReviewServiceUserWritesTheReviewsTopic() throws Exception {
        ReviewState state = startService(REVIEW);
        assertThat(state.incident(ID)).isNotNull();

        // Another user with the service's own record format (even a valid signature would not
        // help): the broker refuses the write.
        Properties p = new Properties();
        p.putAll(EmbeddedKafka.scramClient(INTRUDER, secret(INTRUDER)));
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        // Not idempotent: the refusal is then the topic's ACL, not the cluster's (idempotent
        // producers also need Write on some topic).
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> intruder = new KafkaProducer<>(p)) {
            assertThatThrownBy(
                            () ->
                                    intruder.send(
                                                    new ProducerRecord<>(
                                                            REVIEWS,
                                                            ID,
                                                            OutputJson.mapper()
                                                                    .writeValueAsString(
                                                                            update(
                                                                                    "mallory",
                                                                                    "FORGED"))))
                                            .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(REVIEWS);
        }

        // The service writes with its credentials, and reads its records back after a restart.
        log.append(update("alice", "We are looking into checkout errors."));
        log.close();
        state = startService(REVIEW);
        assertThat(state.publishedUpdates(ID))
                .extracting(ReviewEvent::body)
                .containsExactly("We are looking into checkout errors.");
        assertThat(log.unreadable()).isZero();

        server = new ReviewServer(CONFIG, state, log, null, "alice", () -> T0 + 120_000);
        int port = server.start("127.0.0.1", 0);
        HttpResponse<String> status =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/status"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body())
                .contains("We are looking into checkout errors.")
                .doesNotContain("FORGED");
    }

    @Test
    void anotherUserCannotReadTheReviewsTopicNorRunTheService() {
        try (KafkaTestClients intruder =
                new KafkaTestClients(
                        kafka.bootstrapServers(),
                        EmbeddedKafka.scramClient(INTRUDER, secret(INTRUDER)))) {
            assertThatThrownBy(() -> intruder.readAllBytes(REVIEWS))
                    .isInstanceOf(TopicAuthorizationException.class)
                    .hasMessageContaining(REVIEWS);
        }
        assertThatThrownBy(() -> startService(INTRUDER))
                .isInstanceOf(TopicAuthorizationException.class)
                .hasMessageContaining(INCIDENTS);
    }
}
