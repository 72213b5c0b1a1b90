package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsCommandTest {

    @Test
    void everyTopicOfTheJobFileOnceWithTheSettingsItsUseNeeds() throws Exception {
        JobConfig config = JobConfigLoader.load(Path.of("jobs/watermelon.yaml"));
        Map<String, NewTopic> plan =
                TopicsCommand.plan(config, 3, (short) 1).stream()
                        .collect(Collectors.toMap(NewTopic::name, t -> t));

        assertThat(plan.keySet()).containsExactlyInAnyOrderElementsOf(config.topics().names());
        assertThat(plan.values()).allSatisfy(t -> assertThat(t.numPartitions()).isEqualTo(3));
        assertThat(plan.get(config.topics().incidents()).configs())
                .containsEntry("cleanup.policy", "compact,delete");
        assertThat(plan.get(config.topics().statusUpdates()).configs())
                .containsEntry("cleanup.policy", "compact,delete");
        assertThat(plan.get(config.topics().reviews()).configs())
                .containsEntry("retention.ms", "-1");
        assertThat(plan.get(config.topics().deadLetter()).configs()).isNullOrEmpty();
        assertThat(plan.get(config.topics().metrics().name()).configs()).isNullOrEmpty();
    }
}
