package io.incidentanalyzer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.config.KafkaSettings;
import io.incidentanalyzer.config.StartingOffsets;
import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.embedded.EmbeddedKafka;
import io.incidentanalyzer.embedded.LocalCluster;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code demo}: everything on this machine. Starts an embedded Kafka broker and a Flink
 * MiniCluster, runs the job of {@code jobs/watermelon.yaml}, writes a built-in database-CPU
 * saturation episode (and two malformed records), prints each incident event and dead letter as it
 * arrives, and exits 0 once the incident has closed. Ctrl-C stops the job and the broker and
 * removes their files.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the analyzer end to end on this machine: embedded Kafka, Flink MiniCluster,",
            "a built-in database-CPU saturation episode from the seed outage. Prints each",
            "incident event as it arrives and exits when the incident has closed."
        })
final class DemoCommand implements Callable<Integer> {
    private static final String JOB_RESOURCE = "jobs/watermelon.yaml";

    @Mixin MetricsPortOption metrics;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "180",
            description =
                    "Give up if the incident has not closed by then (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--keep-running",
            description = "Keep the job, broker and /metrics up after the episode until Ctrl-C.")
    boolean keepRunning;

    private final PrintStream out = System.out;
    private final ObjectMapper json = JsonMapper.builder().build();

    @Override
    public Integer call() throws Exception {
        JobConfig config = demoConfig();
        IncidentPrinter printer = new IncidentPrinter(config);
        out.printf(
                "incident-analyzer demo: %s, database CPU saturation (times in %s)%n",
                config.environment(), config.timeZone());

        EmbeddedKafka kafka = EmbeddedKafka.start();
        AtomicBoolean stopped = new AtomicBoolean();
        JobClient[] job = new JobClient[1];
        Thread cleanup = new Thread(() -> stop(stopped, job[0], kafka), "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            kafka.createTopics(
                    2,
                    config.topics().metrics().name(),
                    config.topics().auth().name(),
                    config.topics().logs().name(),
                    config.topics().changes().name(),
                    config.topics().incidents(),
                    config.topics().deadLetter());
            out.printf("  Kafka    embedded KRaft broker at %s%n", kafka.bootstrapServers());

            StreamExecutionEnvironment env = LocalCluster.streaming(metrics.port, 2, null);
            IncidentAnalyzerJob.define(env, config, kafka.bootstrapServers(), false);
            job[0] = env.executeAsync(IncidentAnalyzerJob.jobName(config));
            out.printf("  Flink    local MiniCluster, parallelism 2, job %s%n", job[0].getJobID());
            out.printf("  Metrics  http://localhost:%d/metrics%n", metrics.port);

            int produced = produce(kafka, config);
            out.printf(
                    "  Input    %d metric samples, 08:20 to 08:50, and %d malformed records%n%n",
                    produced, DemoEpisode.malformed().size());

            boolean closed = follow(kafka, config, printer);
            if (!closed) {
                out.printf(
                        "%nNo closed incident after %d s; the log above may say why.%n",
                        timeoutSeconds);
                return 1;
            }
            if (keepRunning) {
                out.printf(
                        "%nEpisode over; job, broker and http://localhost:%d/metrics stay up."
                                + " Ctrl-C stops.%n",
                        metrics.port);
                try {
                    job[0].getJobExecutionResult().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!stopped.get()) throw e;
                    return 0; // Ctrl-C cancelled the job: the expected way out
                }
            }
            out.printf("%nDemo finished: one incident opened and closed in event time.%n");
            return 0;
        } finally {
            stop(stopped, job[0], kafka);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running already.
            }
        }
    }

    /** The bundled Watermelon job file, read from the start and checkpointed every 2 s. */
    static JobConfig demoConfig() throws IOException {
        String yaml;
        try (InputStream in =
                DemoCommand.class.getClassLoader().getResourceAsStream(JOB_RESOURCE)) {
            if (in == null) throw new IOException(JOB_RESOURCE + " is missing from the jar");
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JobConfig c = JobConfigLoader.parse(yaml, JOB_RESOURCE);
        KafkaSettings k = c.kafka();
        return c.withKafka(
                        new KafkaSettings(
                                k.groupId(),
                                StartingOffsets.EARLIEST,
                                k.delivery(),
                                Duration.ofSeconds(2),
                                k.transactionTimeout(),
                                k.properties()))
                .withWatermarks(
                        new Watermarks(c.watermarks().maxOutOfOrderness(), Duration.ofSeconds(2)));
    }

    private int produce(EmbeddedKafka kafka, JobConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        String topic = config.topics().metrics().name();
        List<DemoEpisode.Record> samples = DemoEpisode.metrics();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (DemoEpisode.Record r : samples) {
                producer.send(new ProducerRecord<>(topic, r.partition(), null, r.json()));
            }
            for (DemoEpisode.Record r : DemoEpisode.malformed()) {
                producer.send(new ProducerRecord<>(topic, r.partition(), null, r.json()));
            }
        }
        return samples.size();
    }

    /** Prints incident events and dead letters until the incident closes or time runs out. */
    private boolean follow(EmbeddedKafka kafka, JobConfig config, IncidentPrinter printer)
            throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "incident-analyzer-demo-viewer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        String incidents = config.topics().incidents();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int deadLetters = 0;
        boolean closed = false;
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(incidents, config.topics().deadLetter()));
            while (System.nanoTime() < deadline
                    && !(closed && deadLetters >= DemoEpisode.malformed().size())) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(250))) {
                    if (r.topic().equals(incidents)) {
                        IncidentEvent e = json.readValue(r.value(), IncidentEvent.class);
                        out.println(printer.format(e));
                        closed |= e.type() == IncidentEventType.CLOSED;
                    } else {
                        out.println(printer.format(json.readValue(r.value(), DeadLetter.class)));
                        deadLetters++;
                    }
                }
            }
        }
        return closed;
    }

    private static void stop(AtomicBoolean stopped, JobClient job, EmbeddedKafka kafka) {
        if (!stopped.compareAndSet(false, true)) return;
        try {
            if (job != null) job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Already finished or failed: nothing left to cancel.
        }
        try {
            kafka.close();
        } catch (Exception e) {
            System.err.println("could not stop the embedded broker cleanly: " + e);
        }
    }
}
