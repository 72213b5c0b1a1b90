package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code topics}: creates the job file's topics that are missing, with their settings. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Creates the job file's Kafka topics that do not exist yet.",
            "The incidents and status-updates topics are compacted (each incident keeps its"
                    + " latest record), the reviews topic keeps every record, and the input and"
                    + " dead-letter topics use the broker's retention. Existing topics are left as"
                    + " they are, so the command can run before every start."
        })
final class TopicsCommand implements Callable<Integer> {

    @Mixin JobFileOption jobFile;

    @Mixin BootstrapOption kafka;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description = "Partitions of each new topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(
            names = "--replication-factor",
            defaultValue = "1",
            description =
                    "Replicas of each new topic (default: ${DEFAULT-VALUE}, for one broker; use 3"
                            + " on a production cluster).")
    short replicationFactor;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1 || replicationFactor < 1) {
            throw new ConfigException(
                    "topics: --partitions and --replication-factor must be at least 1");
        }
        JobConfig config = JobConfigLoader.load(jobFile.job);
        List<NewTopic> plan = plan(config, partitions, replicationFactor);
        Properties p = new Properties();
        p.putAll(config.kafka().properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(p)) {
            for (var e : admin.createTopics(plan).values().entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                    System.out.println("created " + e.getKey());
                } catch (ExecutionException x) {
                    if (!(x.getCause() instanceof TopicExistsException)) {
                        throw new ConfigException(
                                "topics: cannot create "
                                        + e.getKey()
                                        + " on "
                                        + kafka.bootstrap
                                        + ": "
                                        + x.getCause().getMessage());
                    }
                    System.out.println("exists  " + e.getKey());
                }
            }
        }
        return 0;
    }

    /** Every topic of the job file, with the settings its use needs. */
    static List<NewTopic> plan(JobConfig config, int partitions, short replicas) {
        var t = config.topics();
        Set<String> compacted = Set.of(t.incidents(), t.statusUpdates());
        List<NewTopic> out = new ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(t.names())) {
            NewTopic topic = new NewTopic(name, partitions, replicas);
            if (compacted.contains(name)) {
                topic.configs(Map.of("cleanup.policy", "compact,delete"));
            } else if (name.equals(t.reviews())) {
                // The review service's only store and audit log: never deleted.
                topic.configs(Map.of("retention.ms", "-1"));
            }
            out.add(topic);
        }
        return out;
    }
}
