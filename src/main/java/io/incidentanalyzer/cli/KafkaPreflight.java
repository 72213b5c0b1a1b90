package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Checks before {@code run} starts the job (or {@code simulate} writes) that the broker answers and
 * the job file's topics exist, so that a wrong address or a missing topic is a clear message, not a
 * failing job.
 */
final class KafkaPreflight {
    private KafkaPreflight() {}

    /** Every topic of the job file: the four inputs and both outputs. */
    static void check(JobConfig config, String bootstrap, String jobFile) {
        List<String> topics = new ArrayList<>(inputs(config));
        topics.add(config.topics().incidents());
        topics.add(config.topics().deadLetter());
        topics.add(config.topics().statusUpdates());
        if (config.topics().alerts() != null) topics.add(config.topics().alerts());
        check(config, bootstrap, jobFile, topics);
    }

    /** The review service's topics: the incidents it reads and the reviews it keeps. */
    static void checkReview(JobConfig config, String bootstrap, String jobFile) {
        check(
                config,
                bootstrap,
                jobFile,
                List.of(config.topics().incidents(), config.topics().reviews()));
    }

    /** The job file's four input topics (what {@code simulate} writes). */
    static void checkInputs(JobConfig config, String bootstrap, String jobFile) {
        check(config, bootstrap, jobFile, inputs(config));
    }

    private static List<String> inputs(JobConfig config) {
        return List.of(
                config.topics().metrics().name(),
                config.topics().auth().name(),
                config.topics().logs().name(),
                config.topics().changes().name());
    }

    private static void check(
            JobConfig config, String bootstrap, String jobFile, List<String> topics) {
        Properties p = new Properties();
        p.putAll(config.kafka().properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        Set<String> existing;
        try (Admin admin = Admin.create(p)) {
            existing = admin.listTopics().names().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new ConfigException(
                    "--bootstrap "
                            + bootstrap
                            + ": cannot reach a Kafka broker there ("
                            + rootCause(e)
                            + "); check the address and that the broker is up");
        }
        List<String> missing = new ArrayList<>();
        for (String t : topics) {
            if (!existing.contains(t)) missing.add(t);
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(
                    jobFile
                            + ": topics: "
                            + String.join(", ", missing)
                            + " do not exist on "
                            + bootstrap
                            + "; create them (kafka-topics.sh --create --topic NAME) or fix the"
                            + " names in the job file");
        }
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
