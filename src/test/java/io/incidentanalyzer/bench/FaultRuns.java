package io.incidentanalyzer.bench;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The Kafka side of {@code bench/faults}: how far the job's consumer group has read its inputs,
 * what a run committed to its output topics, and how a run's output compares with the clean run's.
 *
 * <pre>
 * FaultRuns scenario --from FILE --until LOCAL_TIME --out FILE   the scenario cut short
 * FaultRuns progress --job FILE --bootstrap HOST:PORT      prints "committed end outputs"
 * FaultRuns dump --job FILE --bootstrap HOST:PORT --out DIR
 * FaultRuns compare CLEAN_DIR RUN_DIR                      prints "duplicates=D missing=M ..."
 * FaultRuns fuzz --job FILE --bootstrap HOST:PORT --records N --seed S --out FILE
 * FaultRuns fuzz-check --job FILE --bootstrap HOST:PORT --expected FILE
 * FaultRuns reset-group --job FILE --bootstrap HOST:PORT   the job's group forgets its offsets
 * </pre>
 *
 * The fuzz commands produce malformed records to a running job's inputs and check its dead letters
 * ({@link FuzzRecords}).
 *
 * <p>A dump holds, per output topic, every committed record (read_committed) as {@code key TAB
 * value}, in partition and offset order; a key (incident id) lives in one partition, so each
 * incident's events are in the order the job wrote them.
 */
public final class FaultRuns {
    private static final List<String> OUTPUTS = List.of("incidents", "status-updates");

    private FaultRuns() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) opt.put(args[i], args[++i]);
            else rest.add(args[i]);
        }
        switch (args.length == 0 ? "" : args[0]) {
            case "scenario" ->
                    shorten(
                            Path.of(opt.get("--from")),
                            java.time.LocalDateTime.parse(opt.get("--until")),
                            Path.of(opt.get("--out")));
            case "progress" -> progress(load(opt), opt.get("--bootstrap"));
            case "dump" -> dump(load(opt), opt.get("--bootstrap"), Path.of(opt.get("--out")));
            case "compare" ->
                    System.out.println(compare(Path.of(rest.get(0)), Path.of(rest.get(1))));
            case "fuzz" ->
                    FuzzRecords.produce(
                            load(opt),
                            client(load(opt), opt.get("--bootstrap")),
                            Integer.parseInt(opt.get("--records")),
                            Long.parseLong(opt.getOrDefault("--seed", "18")),
                            Path.of(opt.get("--out")));
            case "fuzz-check" ->
                    System.out.println(
                            FuzzRecords.check(
                                    load(opt),
                                    client(load(opt), opt.get("--bootstrap")),
                                    Path.of(opt.get("--expected"))));
            case "reset-group" -> resetGroup(load(opt), opt.get("--bootstrap"));
            default -> {
                System.err.println(
                        "usage: FaultRuns"
                            + " scenario|progress|dump|compare|fuzz|fuzz-check|reset-group (see the"
                            + " class comment)");
                System.exit(2);
            }
        }
    }

    /**
     * Writes {@code from} ending at {@code until}: the faults and actions after it left out, and
     * its job and traffic paths made absolute so that the copy finds them from anywhere.
     */
    static void shorten(Path from, java.time.LocalDateTime until, Path out) throws IOException {
        var yaml =
                new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) yaml.readTree(from.toFile());
        root.put("end", until.toString());
        for (String field : List.of("faults", "actions")) {
            var items = root.withArray(field);
            for (int i = items.size() - 1; i >= 0; i--) {
                var at = java.time.LocalDateTime.parse(items.get(i).path("at").asText());
                if (!at.isBefore(until)) items.remove(i);
            }
        }
        Path dir = from.toAbsolutePath().getParent();
        for (String field : List.of("job", "trafficFrom")) {
            if (root.hasNonNull(field)) {
                root.put(field, dir.resolve(root.get(field).asText()).normalize().toString());
            }
        }
        yaml.writeValue(out.toFile(), root);
    }

    private static JobConfig load(Map<String, String> opt) {
        return JobConfigLoader.load(Path.of(opt.get("--job")));
    }

    private static Properties client(JobConfig config, String bootstrap) {
        Properties p = new Properties();
        p.putAll(config.kafka().properties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        return p;
    }

    private static List<String> inputs(JobConfig c) {
        return List.of(
                c.topics().metrics().name(),
                c.topics().auth().name(),
                c.topics().logs().name(),
                c.topics().changes().name());
    }

    private static List<String> outputs(JobConfig c) {
        return List.of(c.topics().incidents(), c.topics().statusUpdates());
    }

    /**
     * Prints the offsets the job's group has committed on its inputs (Flink commits them when a
     * checkpoint completes), the inputs' end offsets, and the outputs' committed end offsets.
     */
    static void progress(JobConfig config, String bootstrap) throws Exception {
        try (Admin admin = Admin.create(client(config, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(config.kafka().groupId())
                            .partitionsToOffsetAndMetadata()
                            .get();
            long done = 0;
            for (var e : committed.entrySet()) {
                if (e.getValue() != null && inputs(config).contains(e.getKey().topic())) {
                    done += e.getValue().offset();
                }
            }
            long end = sum(endOffsets(admin, inputs(config), IsolationLevel.READ_UNCOMMITTED));
            long out = sum(endOffsets(admin, outputs(config), IsolationLevel.READ_COMMITTED));
            System.out.println(done + " " + end + " " + out);
        }
    }

    /**
     * Deletes the job's consumer group (no job may be running), so that the next job reads its
     * inputs from the earliest offset again: {@code bench/scale} runs the same input at each
     * parallelism without writing it again.
     */
    static void resetGroup(JobConfig config, String bootstrap) throws Exception {
        try (Admin admin = Admin.create(client(config, bootstrap))) {
            String group = config.kafka().groupId();
            boolean known =
                    admin.listConsumerGroups().all().get().stream()
                            .anyMatch(g -> g.groupId().equals(group));
            if (known) admin.deleteConsumerGroups(List.of(group)).all().get();
        }
    }

    private static Map<TopicPartition, Long> endOffsets(
            Admin admin, List<String> topics, IsolationLevel isolation) throws Exception {
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
            d.partitions()
                    .forEach(
                            p ->
                                    ask.put(
                                            new TopicPartition(d.name(), p.partition()),
                                            OffsetSpec.latest()));
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
                admin.listOffsets(
                                ask,
                                new org.apache.kafka.clients.admin.ListOffsetsOptions(isolation))
                        .all()
                        .get()
                        .entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }

    private static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Writes every committed record of the two output topics to {@code dir}. */
    static void dump(JobConfig config, String bootstrap, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> topics = outputs(config);
        for (int i = 0; i < topics.size(); i++) {
            Properties p = client(config, bootstrap);
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class.getName());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            Map<TopicPartition, List<String>> lines =
                    new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
                List<TopicPartition> parts = new ArrayList<>();
                consumer.partitionsFor(topics.get(i))
                        .forEach(pi -> parts.add(new TopicPartition(pi.topic(), pi.partition())));
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                Map<TopicPartition, Long> end = consumer.endOffsets(parts);
                parts.forEach(tp -> lines.put(tp, new ArrayList<>()));
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!caughtUp(consumer, end)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not read " + topics.get(i));
                    }
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                        lines.get(new TopicPartition(r.topic(), r.partition()))
                                .add(r.key() + "\t" + r.value());
                    }
                }
            }
            List<String> all = new ArrayList<>();
            lines.values().forEach(all::addAll);
            Files.write(dir.resolve(OUTPUTS.get(i) + ".tsv"), all, StandardCharsets.UTF_8);
        }
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) if (c.position(e.getKey()) < e.getValue()) return false;
        return true;
    }

    /** How one output of a run compares with the same output of the clean run. */
    record Difference(
            int incidents, int records, int duplicates, int missing, int extra, int reordered) {}

    /**
     * Compares a run's dump with the clean run's: per incident id, the run's records against the
     * clean run's as multisets (a record the run has more often than the clean run is a duplicate
     * when the clean run has it at all, extra otherwise; fewer is missing), and as sequences
     * (reordered: an incident whose records match as a multiset but not in order).
     */
    static String compare(Path clean, Path run) throws IOException {
        StringBuilder out = new StringBuilder();
        int duplicates = 0;
        int missing = 0;
        int extra = 0;
        int reordered = 0;
        for (String topic : OUTPUTS) {
            Difference d =
                    difference(
                            byIncident(clean.resolve(topic + ".tsv")),
                            byIncident(run.resolve(topic + ".tsv")));
            out.append(
                    String.format(
                            "%s: incidents=%d records=%d duplicates=%d missing=%d extra=%d"
                                    + " reordered=%d%n",
                            topic,
                            d.incidents(),
                            d.records(),
                            d.duplicates(),
                            d.missing(),
                            d.extra(),
                            d.reordered()));
            duplicates += d.duplicates();
            missing += d.missing();
            extra += d.extra();
            reordered += d.reordered();
        }
        out.append(
                String.format(
                        "RUN duplicates=%d missing=%d extra=%d reordered=%d",
                        duplicates, missing, extra, reordered));
        return out.toString();
    }

    static Difference difference(Map<String, List<String>> clean, Map<String, List<String>> run) {
        int duplicates = 0;
        int missing = 0;
        int extra = 0;
        int reordered = 0;
        int records = 0;
        java.util.Set<String> ids = new java.util.TreeSet<>(clean.keySet());
        ids.addAll(run.keySet());
        for (String id : ids) {
            List<String> a = clean.getOrDefault(id, List.of());
            List<String> b = run.getOrDefault(id, List.of());
            records += b.size();
            Map<String, Integer> count = new HashMap<>();
            a.forEach(v -> count.merge(v, 1, Integer::sum));
            Map<String, Integer> seen = new HashMap<>();
            for (String v : b) {
                int n = seen.merge(v, 1, Integer::sum);
                int expected = count.getOrDefault(v, 0);
                if (n > expected) {
                    if (expected > 0) duplicates++;
                    else extra++;
                }
            }
            for (var e : count.entrySet()) {
                missing += Math.max(0, e.getValue() - seen.getOrDefault(e.getKey(), 0));
            }
            if (!a.equals(b) && sameMultiset(a, b)) reordered++;
        }
        return new Difference(ids.size(), records, duplicates, missing, extra, reordered);
    }

    private static boolean sameMultiset(List<String> a, List<String> b) {
        if (a.size() != b.size()) return false;
        List<String> x = new ArrayList<>(a);
        List<String> y = new ArrayList<>(b);
        java.util.Collections.sort(x);
        java.util.Collections.sort(y);
        return x.equals(y);
    }

    private static Map<String, List<String>> byIncident(Path file) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            out.computeIfAbsent(line.substring(0, tab), k -> new ArrayList<>())
                    .add(line.substring(tab + 1));
        }
        return out;
    }
}
