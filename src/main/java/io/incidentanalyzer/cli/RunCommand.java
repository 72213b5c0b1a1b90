package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.embedded.LocalCluster;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: the job on a local MiniCluster against an existing Kafka, until stopped. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the analyzer job against an existing Kafka.",
            "The job runs on a local Flink MiniCluster: it reads the job file's input topics,"
                    + " writes incident events and dead letters to its output topics, and serves"
                    + " the job's metrics for Prometheus. Stop it with Ctrl-C."
        })
final class RunCommand implements Callable<Integer> {

    @Mixin JobFileOption jobFile;

    @Mixin BootstrapOption kafka;

    @Mixin MetricsPortOption metrics;

    @Mixin BindOption bind;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description =
                    "Where checkpoints are written (default: a temporary directory removed on"
                            + " exit; give a lasting one to keep state across restarts).")
    Path checkpointDir;

    @Override
    public Integer call() throws Exception {
        JobConfig config = JobConfigLoader.load(jobFile.job);
        KafkaPreflight.check(config, kafka.bootstrap, jobFile.job.toString());
        String address = bind.address();
        StreamExecutionEnvironment env =
                LocalCluster.streaming(address, metrics.port, parallelism, checkpointDir);
        IncidentAnalyzerJob.define(env, config, kafka.bootstrap, false);
        JobClient job = env.executeAsync(IncidentAnalyzerJob.jobName(config));
        System.err.printf(
                "Running %s on %s; metrics at http://%s/metrics (Ctrl-C stops)%n",
                IncidentAnalyzerJob.jobName(config),
                kafka.bootstrap,
                DemoCommand.hostPort(address, metrics.port));
        StopSignals.runUntilStopped(job);
        return 0;
    }
}
