package io.incidentanalyzer.evaluate.nezha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.correlate.rank.Anomaly.Facet;
import io.incidentanalyzer.correlate.rank.DependencyGraph;
import io.incidentanalyzer.evaluate.rca.CsvTable;
import io.incidentanalyzer.evaluate.rca.Series;
import io.incidentanalyzer.evaluate.rca.SeriesEvidence.Rows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One day of Nezha's root-cause data (IntelligentDDS/Nezha {@code rca_data/<day>}), read as it is
 * laid out: {@code metric/<pod>_metric.csv} (a row a minute per pod), {@code front_service.csv}
 * (the entry's success rate), {@code dependency.csv} (caller → callee), {@code source_50.csv} and
 * {@code destination_50.csv} (each call's latency measured at the caller and at the callee, a
 * column per {@code caller_callee}) and {@code <day>-fault_list.json} (the injected faults).
 *
 * <p>Every row's time is read from its {@code Time} text (UTC), never from {@code TimeStamp}: one
 * pod's {@code TimeStamp} is wrong in every row of one day. A pod is named by its service (the pod
 * name less its two generated suffixes); a series that never varies (such as {@code
 * PodSuccessRate}, 0 in every row) gives no evidence because its baseline has no spread.
 *
 * @param name the day, e.g. {@code 2022-08-22}
 * @param graph the services' call graph
 * @param series every series read, with its rows
 * @param faults the injected faults, in time order
 */
public record NezhaDay(
        String name, DependencyGraph graph, Map<Series, Rows> series, List<Fault> faults) {

    /** One injected fault: the true root cause is {@code service}. */
    public record Fault(String day, long at, String pod, String service, String type) {}

    /** A pod metric read as evidence, by its column name. */
    private record PodColumn(String column, Facet facet, int harmful) {}

    /**
     * The pod columns read: resources, server and client latency, load and errors. Network and
     * syscall counts move with the load and the node figures are the host's, shared by its pods, so
     * those are left out.
     */
    private static final List<PodColumn> POD_COLUMNS =
            List.of(
                    new PodColumn("CpuUsageRate(%)", Facet.RESOURCE, 1),
                    new PodColumn("MemoryUsageRate(%)", Facet.RESOURCE, 1),
                    new PodColumn("PodServerLatencyP90(s)", Facet.LATENCY, 1),
                    new PodColumn("PodServerLatencyP99(s)", Facet.LATENCY, 1),
                    new PodColumn("PodClientLatencyP90(s)", Facet.CALL_LATENCY, 1),
                    new PodColumn("PodClientLatencyP99(s)", Facet.CALL_LATENCY, 1),
                    new PodColumn("PodWorkload(Ops)", Facet.LOAD, 1),
                    new PodColumn("PodSuccessRate(%)", Facet.ERRORS, -1));

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The day folders under {@code dir} (or {@code dir} itself when it is one), sorted. */
    public static List<Path> days(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(
                    dir
                            + ": no such directory; pass the Nezha data folder, e.g. --nezha"
                            + " ../shared/benchmarks/nezha-ob");
        }
        if (isDay(dir)) return List.of(dir);
        List<Path> days = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(NezhaDay::isDay)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .forEach(days::add);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        if (days.isEmpty()) {
            throw new ConfigException(
                    dir
                            + ": no Nezha day folder (one holding metric/ and"
                            + " <day>-fault_list.json); pass e.g. --nezha"
                            + " ../shared/benchmarks/nezha-ob");
        }
        return days;
    }

    private static boolean isDay(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return Files.isDirectory(p.resolve("metric"))
                && Files.isRegularFile(p.resolve(name + "-fault_list.json"));
    }

    /** Reads one day folder. */
    public static NezhaDay read(Path day) {
        String name = day.getFileName().toString();
        Path metric = day.resolve("metric");
        Map<Series, Rows> series = new LinkedHashMap<>();
        Set<String> services = new TreeSet<>();
        for (Path f : files(metric, "_metric.csv")) {
            String pod = f.getFileName().toString().replace("_metric.csv", "");
            String service = serviceOf(pod);
            services.add(service);
            CsvTable t = CsvTable.read(f);
            long[] ts = times(t, "Time");
            for (PodColumn c : POD_COLUMNS) {
                int col = t.column(c.column());
                if (col < 0) continue;
                series.put(
                        new Series(service, c.facet(), null, c.column(), c.harmful()),
                        new Rows(ts, column(t, col)));
            }
        }
        Map<String, List<String>> deps = new TreeMap<>();
        Path dependency = metric.resolve("dependency.csv");
        if (Files.isRegularFile(dependency)) {
            CsvTable t = CsvTable.read(dependency);
            int source = t.required("Source");
            int target = t.required("Target");
            for (int r = 1; r < t.rows().size(); r++) {
                String from = t.text(r, source);
                String to = t.text(r, target);
                if (from.isEmpty() || to.isEmpty()) continue;
                services.add(from);
                services.add(to);
                List<String> callees = deps.computeIfAbsent(from, k -> new ArrayList<>());
                if (!callees.contains(to)) callees.add(to);
            }
        }
        readEdges(metric.resolve("source_50.csv"), true, services, deps, series);
        readEdges(metric.resolve("destination_50.csv"), false, services, deps, series);
        Path front = metric.resolve("front_service.csv");
        if (Files.isRegularFile(front)) {
            CsvTable t = CsvTable.read(front);
            int col = t.column("SuccessRate(%)");
            int svc = t.column("ServiceName");
            if (col >= 0 && t.rows().size() > 1) {
                String entry = svc < 0 ? "" : t.text(1, svc).toLowerCase(java.util.Locale.ROOT);
                if (services.contains(entry)) {
                    series.put(
                            new Series(entry, Facet.ERRORS, null, "SuccessRate(%)", -1),
                            new Rows(times(t, "Time"), column(t, col)));
                }
            }
        }
        List<Fault> faults = faults(name, day.resolve(name + "-fault_list.json"));
        return new NezhaDay(name, DependencyGraph.of(deps), series, faults);
    }

    /**
     * Per-call latency, a column per {@code caller_callee}: measured at the caller, it is the
     * caller's latency on calls to the callee; at the callee, the callee's own latency.
     */
    private static void readEdges(
            Path file,
            boolean callerSide,
            Set<String> services,
            Map<String, List<String>> deps,
            Map<Series, Rows> series) {
        if (!Files.isRegularFile(file)) return;
        CsvTable t = CsvTable.read(file);
        long[] ts = times(t, "time");
        String[] header = t.rows().get(0);
        for (int c = 0; c < header.length; c++) {
            String[] edge = edge(header[c].trim(), services);
            if (edge == null) continue;
            List<String> callees = deps.computeIfAbsent(edge[0], k -> new ArrayList<>());
            if (!callees.contains(edge[1])) callees.add(edge[1]);
            String metric = file.getFileName().toString().replace(".csv", "");
            Series s =
                    callerSide
                            ? new Series(edge[0], Facet.CALL_LATENCY, edge[1], metric, 1)
                            : new Series(
                                    edge[1], Facet.LATENCY, null, metric + " from " + edge[0], 1);
            series.put(s, new Rows(ts, column(t, c)));
        }
    }

    /** {@code caller_callee} split where both sides are known services; null when none is. */
    static String[] edge(String header, Set<String> services) {
        for (int i = header.indexOf('_'); i > 0; i = header.indexOf('_', i + 1)) {
            String from = header.substring(0, i);
            String to = header.substring(i + 1);
            if (services.contains(from) && services.contains(to)) return new String[] {from, to};
        }
        return null;
    }

    /** A Kubernetes pod's service: its name less the replica-set and pod suffixes. */
    static String serviceOf(String pod) {
        String[] parts = pod.split("-");
        if (parts.length < 3) return pod;
        return String.join("-", java.util.Arrays.copyOf(parts, parts.length - 2));
    }

    private static List<Fault> faults(String day, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid JSON: " + e.getMessage());
        }
        List<Fault> out = new ArrayList<>();
        for (JsonNode hour : root) {
            for (JsonNode f : hour) {
                String time = f.path("inject_time").asText("");
                String pod = f.path("inject_pod").asText("");
                String type = f.path("inject_type").asText("");
                if (time.isEmpty() || pod.isEmpty() || type.isEmpty()) {
                    throw new ConfigException(
                            file
                                    + ": each fault needs inject_time, inject_pod and inject_type;"
                                    + " found "
                                    + f);
                }
                out.add(new Fault(day, parseTime(time, file), pod, serviceOf(pod), type));
            }
        }
        out.sort(Comparator.comparingLong(Fault::at).thenComparing(Fault::pod));
        return out;
    }

    private static long[] times(CsvTable t, String column) {
        int c = t.required(column);
        long[] ts = new long[t.rows().size() - 1];
        for (int r = 1; r < t.rows().size(); r++) ts[r - 1] = parseTime(t.text(r, c), t.file());
        return ts;
    }

    private static double[] column(CsvTable t, int c) {
        double[] v = new double[t.rows().size() - 1];
        for (int r = 1; r < t.rows().size(); r++) v[r - 1] = t.number(r, c);
        return v;
    }

    /**
     * {@code 2022-08-22 03:51:19.607158889 +0000 UTC m=+0.113…} (Go's time format) or {@code
     * 2022-08-22 03:53:54}, UTC unless an offset follows, as epoch ms.
     */
    static long parseTime(String text, Path file) {
        String[] parts = text.trim().split(" ");
        try {
            LocalDateTime local = LocalDateTime.parse(parts[0] + "T" + parts[1]);
            ZoneOffset offset =
                    parts.length > 2 && (parts[2].startsWith("+") || parts[2].startsWith("-"))
                            ? ZoneOffset.of(parts[2])
                            : ZoneOffset.UTC;
            return local.toInstant(offset).toEpochMilli();
        } catch (DateTimeParseException | ArrayIndexOutOfBoundsException e) {
            throw new ConfigException(file + ": not a time: " + text);
        } catch (java.time.DateTimeException e) {
            throw new ConfigException(file + ": not a time zone offset: " + text);
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }
}
