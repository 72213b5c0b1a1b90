package io.incidentanalyzer.cli;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.gateway.GatewayServer;
import io.incidentanalyzer.gateway.TopicWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ingest}: the ingest gateway, until stopped. */
@Command(
        name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
            "Takes producers' data over HTTP into the job's input topics.",
            "Prometheus remote write (/api/v1/write) goes to a metrics topic of format"
                + " prometheus-kafka-adapter or native-json, OTLP/HTTP (/v1/metrics, /v1/logs) to"
                + " topics of format otlp-proto or otlp-json, CDEvents (/cdevents) to a changes"
                + " topic of format cdevents, and Alertmanager's webhook (/alertmanager) to an"
                + " externalAlerts topic of format alertmanager-webhook; /metrics has the gateway's"
                + " own counters.",
            "A request is answered 2xx only after Kafka has acknowledged its records, and 429"
                    + " when Kafka is slow. Stop it with Ctrl-C."
        })
final class IngestCommand implements Callable<Integer> {

    @Mixin JobFileOption jobFile;

    @Mixin BootstrapOption kafka;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}). Any other than loopback"
                            + " needs a token, which producers then send as a Bearer token.")
    String bind;

    @Option(
            names = "--port",
            defaultValue = "9091",
            description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--token-env",
            defaultValue = "INGEST_TOKEN",
            paramLabel = "NAME",
            description =
                    "Environment variable holding the producers' Bearer token (default:"
                            + " ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(
            names = "--max-body-bytes",
            defaultValue = "4194304",
            paramLabel = "BYTES",
            description =
                    "The largest request body as sent, compressed or not (default:"
                            + " ${DEFAULT-VALUE}). Larger requests get 413.")
    int maxBodyBytes;

    @Option(
            names = "--max-decoded-bytes",
            defaultValue = "33554432",
            paramLabel = "BYTES",
            description =
                    "The largest remote-write body after decompression (default: ${DEFAULT-VALUE})."
                        + " An OTLP body must in addition fit the job's maxRecordBytes, since it"
                        + " becomes one record.")
    int maxDecodedBytes;

    @Option(
            names = "--buffer-bytes",
            defaultValue = "33554432",
            paramLabel = "BYTES",
            description =
                    "Bytes sent to Kafka but not yet acknowledged that the gateway holds (default:"
                            + " ${DEFAULT-VALUE}). When they are full, requests get 429.")
    long bufferBytes;

    @Option(
            names = "--ack-wait-ms",
            defaultValue = "10000",
            paramLabel = "MS",
            description =
                    "How long a request waits for Kafka's acknowledgements before it gets 429"
                            + " (default: ${DEFAULT-VALUE}).")
    long ackWaitMs;

    @Override
    public Integer call() throws Exception {
        JobConfig config = JobConfigLoader.load(jobFile.job);
        KafkaPreflight.checkInputs(config, kafka.bootstrap, jobFile.job.toString());
        try (TopicWriter writer =
                        new TopicWriter(
                                kafka.bootstrap,
                                config.kafka().properties(),
                                config.limits().maxRecordBytes(),
                                bufferBytes,
                                ackWaitMs);
                GatewayServer server =
                        new GatewayServer(
                                config,
                                writer,
                                System.getenv(tokenEnv),
                                maxBodyBytes,
                                maxDecodedBytes)) {
            int bound = server.start(bind, port);
            System.err.printf(
                    "Ingest gateway for %s at http://%s:%d/ (remote write %s). Ctrl-C stops.%n",
                    config.environment(), bind, bound, GatewayServer.REMOTE_WRITE);
            StopSignals.awaitForever();
        }
        return 0;
    }
}
