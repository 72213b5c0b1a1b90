package io.incidentanalyzer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.config.InputFormat;
import io.incidentanalyzer.config.InputTopic;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.KafkaSettings;
import io.incidentanalyzer.config.StartingOffsets;
import io.incidentanalyzer.config.Topics;
import io.incidentanalyzer.config.Watermarks;
import io.incidentanalyzer.embedded.EmbeddedKafka;
import io.incidentanalyzer.embedded.LocalCluster;
import io.incidentanalyzer.evaluate.ScenarioScore;
import io.incidentanalyzer.evaluate.ScenarioScoring;
import io.incidentanalyzer.gateway.GatewayServer;
import io.incidentanalyzer.gateway.TopicWriter;
import io.incidentanalyzer.ingest.NativeJsonDecoder;
import io.incidentanalyzer.ingest.StreamKind;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import io.incidentanalyzer.model.ChangeEvent;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.review.ReviewLog;
import io.incidentanalyzer.review.ReviewServer;
import io.incidentanalyzer.review.ReviewState;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.KafkaSink;
import io.incidentanalyzer.simulate.PacedSink;
import io.incidentanalyzer.simulate.Scenario;
import io.incidentanalyzer.simulate.ScenarioLoader;
import io.incidentanalyzer.simulate.SimulationSink;
import io.incidentanalyzer.simulate.Simulator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code demo}: everything on this machine. Starts an embedded Kafka broker and a Flink
 * MiniCluster, runs the job of {@code jobs/watermelon.yaml}, and replays the seed outage (the
 * scenario {@code jobs/scenarios/watermelon-2024-02-16.yaml}) into it at speed, with two malformed
 * records. Prints each change, incident event and dead letter as it arrives, then how the incidents
 * compare with the scenario's ground truth. The ingest gateway runs beside it, its URL printed.
 * Ctrl-C stops the job and the broker and removes their files.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the analyzer end to end on this machine.",
            "It starts an embedded Kafka and a Flink MiniCluster and replays the Watermelon outage"
                    + " of 16-17 February 2024 at speed. It prints each change, incident event and"
                    + " dead letter as it arrives, and exits when the replay is over and every"
                    + " incident has closed. It also starts the ingest gateway and prints its URL."
        })
final class DemoCommand implements Callable<Integer> {
    static final String SCENARIO_RESOURCE = "jobs/scenarios/watermelon-2024-02-16.yaml";

    /** After the replay, the demo ends once the incidents topic has been quiet this long. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    @Mixin MetricsPortOption metrics;

    @Mixin BindOption bind;

    @Option(
            names = "--speed",
            defaultValue = "600",
            description =
                    "Event-time seconds replayed per wall second (default: ${DEFAULT-VALUE}: the"
                            + " 30 hours of the scenario in about 3 minutes).")
    double speed;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            description = "Give up after this long (default: the replay's length plus 3 minutes).")
    Integer timeoutSeconds;

    @Option(
            names = "--keep-running",
            description =
                    "Keep the job, broker, review service and /metrics up after the replay until"
                            + " Ctrl-C.")
    boolean keepRunning;

    @Option(
            names = "--ingest-port",
            defaultValue = "9091",
            paramLabel = "PORT",
            description =
                    "Port of the ingest gateway (Prometheus remote write, OTLP/HTTP, Alertmanager's"
                            + " webhook) on the demo's address (default: ${DEFAULT-VALUE}; 0: any"
                            + " free port).")
    int ingestPort;

    @Option(
            names = "--review-port",
            defaultValue = "8080",
            paramLabel = "PORT",
            description =
                    "Port of the review service on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any"
                            + " free port).")
    int reviewPort;

    private final PrintStream out = System.out;
    private final ObjectMapper json = JsonMapper.builder().build();

    @Override
    public Integer call() throws Exception {
        if (!(speed > 0)) {
            throw new ConfigException("--speed " + speed + ": must be above 0, e.g. --speed 600");
        }
        ScenarioLoader.Loaded scenario = ScenarioLoader.loadResource(SCENARIO_RESOURCE);
        ScenarioLoader.Loaded demo =
                new ScenarioLoader.Loaded(
                        scenario.source(), scenario.scenario(), demoConfig(scenario.job()));
        JobConfig config = demo.job();
        Scenario sc = scenario.scenario();
        long span = Duration.between(sc.startInstant(), sc.endInstant()).toSeconds();
        long timeout = timeoutSeconds != null ? timeoutSeconds : (long) (span / speed) + 180;
        IncidentPrinter printer = new IncidentPrinter(config);
        out.printf(
                "incident-analyzer demo: %s, %s to %s (%s), replayed %.0fx faster than it"
                        + " happened%n",
                sc.name(), sc.start(), sc.end(), sc.timeZone(), speed);

        String address = bind.address();
        EmbeddedKafka kafka = EmbeddedKafka.start(address);
        JobClient job = null;
        Feed feed = null;
        Thread producer = null;
        ReviewLog reviewLog = null;
        ReviewServer review = null;
        TopicWriter ingestWriter = null;
        GatewayServer ingest = null;
        try {
            kafka.createTopics(2, config.topics().names().toArray(String[]::new));
            out.printf("  Kafka    embedded KRaft broker at %s%n", kafka.bootstrapServers());

            StreamExecutionEnvironment env = LocalCluster.streaming(address, metrics.port, 2, null);
            IncidentAnalyzerJob.define(env, config, kafka.bootstrapServers(), false);
            job = env.executeAsync(IncidentAnalyzerJob.jobName(config));
            out.printf("  Flink    local MiniCluster, parallelism 2, job %s%n", job.getJobID());
            out.printf("  Metrics  http://%s/metrics%n", hostPort(address, metrics.port));
            ReviewState reviewState = new ReviewState();
            reviewLog =
                    new ReviewLog(
                            kafka.bootstrapServers(),
                            config.kafka().properties(),
                            config.topics().incidents(),
                            config.topics().reviews(),
                            reviewState,
                            // The demo's broker and topics live as long as it: so does its key.
                            io.incidentanalyzer.review.ReviewSigner.ephemeral());
            review =
                    new ReviewServer(
                            config,
                            reviewState,
                            reviewLog,
                            System.getenv("REVIEW_TOKEN"),
                            System.getenv().getOrDefault("USER", "engineer"),
                            System::currentTimeMillis);
            // After the server: its notifier (a job file's notifications) must see the first load.
            reviewLog.start(Duration.ofMinutes(1));
            if (!java.net.InetAddress.getByName(address).isLoopbackAddress()) {
                // The names the printed URLs and this machine's users reach it by.
                review.allowHosts(
                        List.of(
                                "localhost",
                                "127.0.0.1",
                                java.net.InetAddress.getLocalHost().getHostName()));
            }
            int bound = review.start(address, reviewPort);
            out.printf(
                    "  Review   http://%s/ (engineers), http://%s/status (public)%n",
                    hostPort(address, bound), hostPort(address, bound));
            ingestWriter =
                    new TopicWriter(
                            kafka.bootstrapServers(),
                            config.kafka().properties(),
                            config.limits().maxRecordBytes(),
                            32L << 20,
                            10_000);
            ingest = startIngest(config, ingestWriter, address);
            out.printf(
                    "  Input    the simulator, about %d minutes of wall time, and %d malformed"
                            + " records%n%n",
                    Math.max(1, Math.round(span / speed / 60)), MALFORMED.size());

            feed = new Feed(demo, kafka.bootstrapServers());
            producer = new Thread(feed, "demo-simulator");
            producer.setDaemon(true);
            producer.start();

            List<IncidentEvent> incidents = follow(kafka, config, printer, feed, timeout);
            if (StopSignals.requested()) return 0;
            if (feed.failure != null) throw feed.failure;
            if (!feed.done) {
                out.printf(
                        "%nThe replay had not finished after %d s; the log above may say why.%n",
                        timeout);
                return 1;
            }
            printVerdict(feed.truth, incidents);
            if (!keepRunning) {
                out.printf(
                        "%nThe review pages close with the demo; run it with --keep-running to"
                                + " review the incident and publish its drafts.%n");
                return incidents.isEmpty() ? 1 : 0;
            }
            out.printf(
                    "%nReplay over; the job, the broker, the review service and"
                            + " http://%s/metrics stay up. Ctrl-C stops.%n",
                    hostPort(address, metrics.port));
            StopSignals.runUntilStopped(job);
            return 0;
        } finally {
            // Job first, then the sources and sinks around it, then the broker they use; the
            // files go last (bin/analyzer's scratch directory, removed by AnalyzerCli.main).
            StopSignals.cancel(job);
            if (feed != null) feed.stop(producer);
            if (ingest != null) ingest.close();
            if (ingestWriter != null) ingestWriter.close();
            if (review != null) review.close();
            if (reviewLog != null) reviewLog.close();
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("could not stop the embedded broker cleanly: " + e);
            }
        }
    }

    /**
     * The ingest gateway on the demo's address, its URL printed; null when it cannot take data
     * there: off loopback it needs producers' token ({@code INGEST_TOKEN}). Its data joins the
     * simulated outage's topics, so it should be dated within the outage's days: a sample of today
     * moves event time past the rest of the replay.
     */
    private GatewayServer startIngest(JobConfig config, TopicWriter writer, String address)
            throws java.net.UnknownHostException {
        String token = System.getenv("INGEST_TOKEN");
        if ((token == null || token.isBlank())
                && !java.net.InetAddress.getByName(address).isLoopbackAddress()) {
            out.printf(
                    "  Ingest   not started: on %s producers need a token; set INGEST_TOKEN%n",
                    address);
            return null;
        }
        GatewayServer server = new GatewayServer(config, writer, token, 4 << 20, 32 << 20);
        int bound = server.start(address, ingestPort);
        String base = "http://" + hostPort(address, bound);
        out.printf(
                "  Ingest   %s/ (Prometheus remote write %s%s, Alertmanager webhook %s%s)%n",
                base, base, GatewayServer.REMOTE_WRITE, base, GatewayServer.ALERTMANAGER);
        return server;
    }

    /** {@code host:port} for a URL; an IPv6 address in brackets, the wildcard as localhost. */
    static String hostPort(String address, int port) {
        String host = address;
        try {
            if (java.net.InetAddress.getByName(address).isAnyLocalAddress()) host = "localhost";
        } catch (java.net.UnknownHostException e) {
            // an address the user gave: print it as it is
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The job file read from the start, checkpointed every 2 s, idle partitions let go fast, and an
     * externalAlerts topic (Alertmanager's webhook) if it has none, so the demo's gateway takes
     * alerts too.
     */
    static JobConfig demoConfig(JobConfig c) {
        KafkaSettings k = c.kafka();
        Topics t = c.topics();
        if (t.externalAlerts() == null) {
            t =
                    new Topics(
                            t.metrics(),
                            t.auth(),
                            t.logs(),
                            t.changes(),
                            t.incidents(),
                            t.deadLetter(),
                            t.statusUpdates(),
                            t.reviews(),
                            new InputTopic(
                                    c.environment() + ".external-alerts",
                                    InputFormat.ALERTMANAGER_WEBHOOK),
                            t.alerts());
        }
        return c.withTopics(t)
                .withKafka(
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

    /** Records a producer could send by mistake; each has a different reject reason. */
    static final List<String> MALFORMED =
            List.of(
                    "{\"ts\":\"2024-02-16T07:25:00Z\",\"service\":\"database\","
                            + "\"metric\":\"cpu_utilization\"}",
                    "cpu_utilization database 97.0 1708068300");

    /** Runs the simulator into Kafka at the demo's pace, then the malformed records. */
    private final class Feed implements Runnable {
        private final ScenarioLoader.Loaded scenario;
        private final String bootstrap;
        volatile boolean done;
        volatile boolean stopping;
        volatile long finishedAt;
        volatile Exception failure;
        volatile GroundTruth truth;

        Feed(ScenarioLoader.Loaded scenario, String bootstrap) {
            this.scenario = scenario;
            this.bootstrap = bootstrap;
        }

        @Override
        public void run() {
            JobConfig config = scenario.job();
            long start = scenario.scenario().startInstant().toEpochMilli();
            try (SimulationSink sink =
                    new PacedSink(
                            new StoppableSink(new KafkaSink(config, bootstrap)), speed, start)) {
                for (String bad : MALFORMED) {
                    sink.emit(StreamKind.METRICS, start, "database", bad);
                }
                truth = new Simulator(scenario, scenario.scenario().seed()).run(sink);
                finishedAt = System.nanoTime();
                done = true;
            } catch (Exception e) {
                if (!stopping) failure = e;
            }
        }

        /** Ends the simulation at its next interval and waits until its producer has closed. */
        void stop(Thread thread) {
            stopping = true;
            try {
                thread.join(StopSignals.FORCE_AFTER.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Passes records through until {@link #stop}; then ends the simulation by throwing, so that
         * the producer is flushed and closed by its owner rather than interrupted mid-send.
         */
        private final class StoppableSink implements SimulationSink {
            private final SimulationSink inner;

            StoppableSink(SimulationSink inner) {
                this.inner = inner;
            }

            @Override
            public void tick(long eventTime) throws IOException {
                if (stopping) throw new java.io.InterruptedIOException("the demo is stopping");
                inner.tick(eventTime);
            }

            @Override
            public void emit(StreamKind stream, long ts, String key, String json)
                    throws IOException {
                inner.emit(stream, ts, key, json);
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        }
    }

    /**
     * Prints changes, incident events and dead letters until the replay is over, both malformed
     * records are back as dead letters and the output has been quiet for {@link #SETTLE} since the
     * replay ended (the job commits at each checkpoint), or the time is up. Returns the incident
     * events.
     */
    private List<IncidentEvent> follow(
            EmbeddedKafka kafka, JobConfig config, IncidentPrinter printer, Feed feed, long timeout)
            throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "incident-analyzer-demo-viewer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        String incidents = config.topics().incidents();
        String changes = config.topics().changes().name();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        long lastActivity = System.nanoTime();
        Set<String> open = new HashSet<>();
        int deadLetters = 0;
        NativeJsonDecoder changeDecoder =
                NativeJsonDecoder.forKind(StreamKind.CHANGES, config.limits().maxRecordBytes());
        List<IncidentEvent> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(incidents, changes, config.topics().deadLetter()));
            while (System.nanoTime() < deadline && !StopSignals.requested()) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(250))) {
                    if (r.topic().equals(incidents)) {
                        IncidentEvent e = json.readValue(r.value(), IncidentEvent.class);
                        out.println(printer.format(e));
                        seen.add(e);
                        if (e.type() == IncidentEventType.CLOSED) open.remove(e.incidentId());
                        else open.add(e.incidentId());
                    } else if (r.topic().equals(changes)) {
                        ChangeEvent change =
                                changeDecoder
                                        .decode(
                                                r.topic(),
                                                r.partition(),
                                                r.offset(),
                                                r.value().getBytes(StandardCharsets.UTF_8))
                                        .change();
                        if (change != null) out.println(printer.format(change));
                    } else {
                        out.println(printer.format(json.readValue(r.value(), DeadLetter.class)));
                        deadLetters++;
                    }
                    lastActivity = System.nanoTime();
                }
                if (feed.failure != null) break;
                if (feed.done
                        && open.isEmpty()
                        && deadLetters >= MALFORMED.size()
                        && System.nanoTime() - Math.max(lastActivity, feed.finishedAt)
                                > SETTLE.toNanos()) {
                    break;
                }
            }
        }
        return seen;
    }

    /** How the incidents compare with what really happened in the scenario. */
    private void printVerdict(GroundTruth truth, List<IncidentEvent> incidents) {
        ScenarioScore score = ScenarioScoring.score(truth, incidents, 0);
        out.printf(
                "%nDemo finished: %d incident(s) from %s.%n", score.incidents(), truth.scenario());
        for (ScenarioScore.FaultScore f : score.faults()) {
            String named =
                    f.namedSeconds() == null
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    ", named as %s cause after %.0f s",
                                    "root".equals(f.role()) ? "the root" : "a contributing",
                                    f.namedSeconds());
            out.printf(
                    "  %-22s %-40s %s%s%n",
                    f.id(),
                    f.cause(),
                    f.detected()
                            ? String.format(
                                    Locale.ROOT, "flagged %.0f s after its onset", f.delaySeconds())
                            : "not flagged",
                    named);
        }
        for (ScenarioScore.OutageScore o : score.outages()) {
            out.printf(
                    "  root cause %s: %s%n",
                    o.rootCause(),
                    o.rank() > 0 ? "ranked #" + o.rank() : "not among the candidates");
        }
    }
}
