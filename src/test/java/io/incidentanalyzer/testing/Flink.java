package io.incidentanalyzer.testing;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster every job test runs on: one TaskManager with two slots, parallelism 2. */
public final class Flink {
    private Flink() {}

    public static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(2)
                        .build());
    }

    /**
     * The whole Kafka job of {@code config} at parallelism 2 on the test's MiniCluster, started.
     */
    public static JobClient startJob(JobConfig config, String bootstrap, String name)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        IncidentAnalyzerJob.define(env, config, bootstrap, false);
        return env.executeAsync(name);
    }
}
