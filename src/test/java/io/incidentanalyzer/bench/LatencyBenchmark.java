package io.incidentanalyzer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.embedded.EmbeddedKafka;
import io.incidentanalyzer.job.IncidentAnalyzerJob;
import io.incidentanalyzer.job.IncidentPipeline;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Wall-clock time from onset to alert, live: an embedded broker, the whole job on a local
 * MiniCluster reading its topics as they are written (unbounded sources), and a producer that
 * writes every service's CPU sample once a second stamped with the wall clock. After a warm-up
 * longer than the idle timeout (the empty auth, log and change topics must go idle before event
 * time can advance), one service after another saturates: its CPU jumps to 97% for a few seconds
 * and falls back.
 *
 * <p>For each episode the clock starts when the broker acknowledges the first 97% sample ({@code
 * acks=all}, sent synchronously) and stops when a consumer polls (a) the signal (a sink on the
 * pipeline's signals, at least once, added here only), (b) the incident's OPENED event on the
 * exactly-once incidents topic with {@code read_committed}, and (c) the same event on the
 * at-least-once alerts topic. Each checkpoint interval is its own job on fresh topics.
 *
 * <p>The rule has {@code sustain: 0s}, so what is measured is the pipeline (watermarks, buffers,
 * checkpoints), not a detector's sustain time, which a real rule adds on top.
 *
 * <p>Not a test; run it with {@code bench/latency} (docs/benchmarks.md).
 */
public final class LatencyBenchmark {
    private static final double HEALTHY = 30;
    private static final double SATURATED = 97;
    private static final long TICK_MS = 1000;
    private static final int SATURATED_TICKS = 5;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LatencyBenchmark() {}

    record Options(int episodes, int spacing, int warmup, List<String> intervals, String lateness) {
        static Options parse(String[] args) {
            int episodes = 12;
            int spacing = 17;
            int warmup = 40;
            String lateness = "5s";
            List<String> intervals = List.of("10s", "1s");
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(USAGE);
                String v = args[i + 1];
                switch (args[i]) {
                    case "--episodes" -> episodes = Integer.parseInt(v);
                    case "--spacing" -> spacing = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--checkpoints" -> intervals = List.of(v.split(","));
                    case "--out-of-orderness" -> lateness = v;
                    default -> throw new IllegalArgumentException(USAGE);
                }
            }
            if (episodes < 1 || spacing < SATURATED_TICKS + 10 || warmup < 35) {
                throw new IllegalArgumentException(USAGE);
            }
            return new Options(episodes, spacing, warmup, intervals, lateness);
        }

        static final String USAGE =
                "usage: [--episodes N (12)] [--spacing SECONDS (17, at least 15; not a multiple of"
                        + " the checkpoint interval)] [--warmup SECONDS (40, at least 35)]"
                        + " [--checkpoints 10s,1s] [--out-of-orderness 5s]";
    }

    /** Milliseconds from the acknowledged onset to each output, per episode (-1: never seen). */
    record Episode(String service, long signalMs, long incidentMs, long alertMs) {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        System.out.printf(
                Locale.ROOT,
                "Latency benchmark: %d episodes per checkpoint interval %s, one every %d s after"
                        + " a %d s warm-up, watermarks.maxOutOfOrderness %s%nJVM %s %s, %d"
                        + " processors%n",
                o.episodes(),
                o.intervals(),
                o.spacing(),
                o.warmup(),
                o.lateness(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                Runtime.getRuntime().availableProcessors());
        List<String> lines = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (String interval : o.intervals()) {
                List<Episode> episodes = run(kafka, o, interval);
                lines.add(summary(interval, o.lateness(), episodes));
                System.out.println(lines.get(lines.size() - 1));
            }
        }
        System.out.println("Summary:");
        lines.forEach(System.out::println);
    }

    private static String services(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append("  ").append(service(i)).append(": {}\n");
        return b.toString();
    }

    private static String service(int i) {
        return String.format(Locale.ROOT, "svc-%02d", i);
    }

    static JobConfig config(String prefix, String interval, String lateness, int services) {
        return JobConfigLoader.parse(
                Fixtures.kafkaYaml(
                                prefix,
                                "groupId: %s, startingOffsets: earliest, delivery: exactly-once,"
                                                .formatted(prefix)
                                        + " checkpointInterval: "
                                        + interval,
                                true)
                        + """
environment: latency
watermarks: {maxOutOfOrderness: %1$s}
services:
%2$s
detectors:
  saturation:
    - {name: cpu, service: "*", metric: cpu_utilization, ceiling: 90, sustain: 0s, clearBelow: 75, clearAfter: 3s, severity: critical}
"""
                                .formatted(lateness, services(services)),
                prefix + ".yaml");
    }

    private static List<Episode> run(EmbeddedKafka kafka, Options o, String interval)
            throws Exception {
        String prefix = "lat-" + interval + "-" + o.lateness();
        int services = o.episodes() + 1; // the last one stays healthy throughout
        JobConfig config = config(prefix, interval, o.lateness(), services);
        String signals = prefix + ".signals";
        List<String> topics = new ArrayList<>(config.topics().names());
        topics.add(signals);
        kafka.createTopics(1, topics.toArray(String[]::new));

        Configuration conf = new Configuration();
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        IncidentPipeline.Outputs out =
                IncidentAnalyzerJob.define(env, config, kafka.bootstrapServers(), false);
        out.signals()
                .sinkTo(
                        KafkaSink.<Signal>builder()
                                .setBootstrapServers(kafka.bootstrapServers())
                                .setRecordSerializer(new SignalJson(signals))
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .build())
                .name("signals topic (benchmark)");

        Watcher watcher =
                new Watcher(
                        kafka.bootstrapServers(),
                        signals,
                        config.topics().incidents(),
                        config.topics().alerts());
        Thread watching = new Thread(watcher, "latency-watcher");
        watching.start();
        JobClient job = env.executeAsync(prefix);
        long[] acked = new long[o.episodes()];
        try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers())) {
            String metrics = config.topics().metrics().name();
            long start = System.nanoTime();
            int ticks = o.warmup() + o.episodes() * o.spacing() + 15;
            for (int tick = 0; tick < ticks; tick++) {
                sleepUntil(start + TimeUnit.MILLISECONDS.toNanos(tick * TICK_MS));
                int since = tick - o.warmup();
                int episode =
                        since >= 0 && since % o.spacing() < SATURATED_TICKS
                                ? since / o.spacing()
                                : -1;
                boolean onset = since >= 0 && since % o.spacing() == 0 && episode < o.episodes();
                String now = Instant.now().toString();
                for (int s = 0; s < services; s++) {
                    boolean hot = s == episode && episode < o.episodes();
                    ProducerRecord<String, String> r =
                            new ProducerRecord<>(metrics, service(s), sample(now, service(s), hot));
                    if (hot && onset) {
                        producer.send(r).get(10, TimeUnit.SECONDS);
                        acked[episode] = System.nanoTime();
                    } else {
                        producer.send(r);
                    }
                }
                producer.flush();
                if (onset) {
                    System.out.printf(Locale.ROOT, "  onset %d on %s%n", episode, service(episode));
                }
            }
            // Let the last episodes reach every output (one checkpoint interval and more).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline
                    && watcher.incidents.size() < o.episodes()
                    && !job.getJobStatus().get().isGloballyTerminalState()) {
                TimeUnit.MILLISECONDS.sleep(200);
                producer.send(
                        new ProducerRecord<>(
                                metrics,
                                service(services - 1),
                                sample(Instant.now().toString(), service(services - 1), false)));
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            watcher.stop.set(true);
            watching.join(10_000);
        }
        if (watcher.failure.get() != null) throw watcher.failure.get();
        List<Episode> episodes = new ArrayList<>();
        for (int i = 0; i < o.episodes(); i++) {
            String s = service(i);
            episodes.add(
                    new Episode(
                            s,
                            millis(watcher.signals.get(s), acked[i]),
                            millis(watcher.incidents.get(s), acked[i]),
                            millis(watcher.alerts.get(s), acked[i])));
        }
        for (Episode e : episodes) {
            System.out.printf(
                    Locale.ROOT,
                    "  checkpoint %s %s: signal %,d ms, incident (read_committed) %,d ms,"
                            + " alert %,d ms%n",
                    interval,
                    e.service(),
                    e.signalMs(),
                    e.incidentMs(),
                    e.alertMs());
        }
        return episodes;
    }

    private static long millis(Long seen, long acked) {
        return seen == null ? -1 : TimeUnit.NANOSECONDS.toMillis(seen - acked);
    }

    private static String sample(String ts, String service, boolean hot) {
        return "{\"ts\":\""
                + ts
                + "\",\"service\":\""
                + service
                + "\",\"metric\":\"cpu_utilization\",\"value\":"
                + (hot ? SATURATED : HEALTHY)
                + "}";
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(p);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }

    private static String summary(String interval, String lateness, List<Episode> episodes) {
        return String.format(
                Locale.ROOT,
                "LATENCY checkpoint=%s maxOutOfOrderness=%s n=%d signal p50=%s p99=%s incident"
                        + " p50=%s p99=%s alert p50=%s p99=%s (ms; missed: signal %d, incident %d,"
                        + " alert %d)",
                interval,
                lateness,
                episodes.size(),
                percentile(episodes, Episode::signalMs, 50),
                percentile(episodes, Episode::signalMs, 99),
                percentile(episodes, Episode::incidentMs, 50),
                percentile(episodes, Episode::incidentMs, 99),
                percentile(episodes, Episode::alertMs, 50),
                percentile(episodes, Episode::alertMs, 99),
                episodes.stream().filter(e -> e.signalMs() < 0).count(),
                episodes.stream().filter(e -> e.incidentMs() < 0).count(),
                episodes.stream().filter(e -> e.alertMs() < 0).count());
    }

    /** Nearest-rank percentile of the episodes that reached the output. */
    private static String percentile(
            List<Episode> episodes, java.util.function.ToLongFunction<Episode> f, int p) {
        long[] v = episodes.stream().mapToLong(f).filter(x -> x >= 0).toArray();
        if (v.length == 0) return "-";
        Arrays.sort(v);
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return String.format(Locale.ROOT, "%,d", v[Math.max(0, rank - 1)]);
    }

    /** Polls the three outputs and notes when each service's first signal and incident appear. */
    private static final class Watcher implements Runnable {
        final Map<String, Long> signals = new ConcurrentHashMap<>();
        final Map<String, Long> incidents = new ConcurrentHashMap<>();
        final Map<String, Long> alerts = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        private final String bootstrap;
        private final String signalTopic;
        private final String incidentTopic;
        private final String alertTopic;

        Watcher(String bootstrap, String signalTopic, String incidentTopic, String alertTopic) {
            this.bootstrap = bootstrap;
            this.signalTopic = signalTopic;
            this.incidentTopic = incidentTopic;
            this.alertTopic = alertTopic;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            // Committed transactions only; records written outside transactions (the signals
            // and alerts topics) are readable as soon as the broker has them.
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-watcher-" + incidentTopic);
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
                c.subscribe(List.of(signalTopic, incidentTopic, alertTopic));
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                        long seen = System.nanoTime();
                        JsonNode v = JSON.readTree(r.value());
                        if (r.topic().equals(signalTopic)) {
                            if (v.path("state").asText().equals("OPEN")) {
                                signals.putIfAbsent(v.path("service").asText(), seen);
                            }
                        } else if (v.path("type").asText().equals("OPENED")) {
                            String service = v.path("cause").path("service").asText();
                            (r.topic().equals(incidentTopic) ? incidents : alerts)
                                    .putIfAbsent(service, seen);
                        }
                    }
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }
    }

    /** Signals as JSON, keyed by id: the benchmark's own window onto the detectors' output. */
    private static final class SignalJson implements KafkaRecordSerializationSchema<Signal> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient ObjectMapper mapper;

        SignalJson(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            mapper = new ObjectMapper();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                Signal s, KafkaSinkContext context, Long timestamp) {
            try {
                return new ProducerRecord<>(
                        topic,
                        s.id().getBytes(StandardCharsets.UTF_8),
                        mapper.writeValueAsBytes(s));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
