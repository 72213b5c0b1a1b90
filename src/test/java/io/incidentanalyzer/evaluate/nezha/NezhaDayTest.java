package io.incidentanalyzer.evaluate.nezha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import io.incidentanalyzer.correlate.rank.Anomaly.Facet;
import io.incidentanalyzer.detect.baseline.BaselineSettings;
import io.incidentanalyzer.evaluate.rca.RcaOutcome;
import io.incidentanalyzer.evaluate.rca.Series;
import io.incidentanalyzer.evaluate.rca.SeriesEvidence.Rows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small day in Nezha's layout, written by the test: two services, frontend → cartservice, one CPU
 * fault and one network delay on cartservice. The frontend's {@code TimeStamp} column is wrong in
 * every row (as adservice's is in the real data) and its {@code PodSuccessRate} is 0 throughout.
 */
class NezhaDayTest {
    private static final String DAY = "2022-08-22";
    private static final long T0 = Instant.parse(DAY + "T03:51:19.6Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final int ROWS = 400;
    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);

    /** The CPU fault's injection, at row 200; the network delay's at row 300. */
    private static final long CPU_AT = T0 + 200 * MIN - 20_000L;

    private static final long DELAY_AT = T0 + 300 * MIN - 20_000L;

    @TempDir Path dir;

    private static String time(long ms) {
        return GO_TIME.format(Instant.ofEpochMilli(ms)) + " +0000 UTC m=+0.113112869";
    }

    private static boolean in(int row, long at) {
        long t = T0 + row * MIN;
        return t >= at && t < at + 3 * MIN;
    }

    private void pod(Path metric, String pod, boolean wrongTimestamp, long seed) throws Exception {
        Random rng = new Random(seed);
        StringBuilder csv =
                new StringBuilder(
                        "Time,TimeStamp,PodName,CpuUsageRate(%),MemoryUsageRate(%),"
                                + "PodClientLatencyP90(s),PodServerLatencyP90(s),"
                                + "PodWorkload(Ops),PodSuccessRate(%)\n");
        boolean cart = pod.startsWith("cartservice");
        for (int r = 0; r < ROWS; r++) {
            long t = T0 + r * MIN;
            long stamp = t / 1000 + (wrongTimestamp ? 200_000_000L : 0);
            double cpu = 20 + rng.nextGaussian();
            if (cart && in(r, CPU_AT)) cpu = 95;
            csv.append(
                    String.format(
                            Locale.ROOT,
                            "%s,%d,%s,%.4f,%.4f,%.6f,%.6f,%.4f,0%n",
                            time(t),
                            stamp,
                            pod,
                            cpu,
                            50 + 0.5 * rng.nextGaussian(),
                            0.05 + 0.002 * rng.nextGaussian(),
                            0.1 + 0.004 * rng.nextGaussian(),
                            10 + 0.3 * rng.nextGaussian()));
        }
        Files.writeString(metric.resolve(pod + "_metric.csv"), csv);
    }

    private Path day() throws Exception {
        Path day = dir.resolve(DAY);
        Path metric = day.resolve("metric");
        Files.createDirectories(metric);
        pod(metric, "frontend-579b9bff58-t2dbm", true, 1);
        pod(metric, "cartservice-579f59597d-wc2lz", false, 2);
        Files.writeString(
                metric.resolve("dependency.csv"),
                "Source,Target,Weight\n" + "frontend,cartservice,1\n");
        Random rng = new Random(3);
        StringBuilder source = new StringBuilder("time,timestamp,frontend_cartservice\n");
        StringBuilder destination = new StringBuilder("time,timestamp,frontend_cartservice\n");
        for (int r = 0; r < ROWS; r++) {
            long t = T0 + r * MIN + 300;
            double server = 0.004 + 0.0002 * rng.nextGaussian();
            double client = server + 0.001;
            if (in(r, DELAY_AT)) client = 0.2;
            source.append(String.format(Locale.ROOT, "%s,%d,%.6f%n", time(t), t / 1000, client));
            // an empty cell is a missing sample
            destination.append(
                    r == 7
                            ? time(t) + "," + t / 1000 + ",\n"
                            : String.format(
                                    Locale.ROOT, "%s,%d,%.6f%n", time(t), t / 1000, server));
        }
        Files.writeString(metric.resolve("source_50.csv"), source);
        Files.writeString(metric.resolve("destination_50.csv"), destination);
        Files.writeString(
                day.resolve(DAY + "-fault_list.json"),
                """
                {"07": [{"inject_time": "%s", "inject_timestamp": "1", \
                "inject_pod": "cartservice-579f59597d-wc2lz", "inject_type": "cpu_contention"}],
                 "08": [{"inject_time": "%s", "inject_timestamp": "2", \
                "inject_pod": "cartservice-579f59597d-wc2lz", "inject_type": "network_delay"}]}
                """
                        .formatted(plain(CPU_AT), plain(DELAY_AT)));
        return day;
    }

    private static String plain(long ms) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                .withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(ms));
    }

    @Test
    void readsEveryRowsTimeFromItsTimeTextNotTheWrongTimeStamp() throws Exception {
        NezhaDay day = NezhaDay.read(day());

        Rows frontendCpu =
                day.series()
                        .get(new Series("frontend", Facet.RESOURCE, null, "CpuUsageRate(%)", 1));
        assertThat(frontendCpu).isNotNull();
        assertThat(frontendCpu.ts()).hasSize(ROWS);
        assertThat(frontendCpu.ts()[0]).isEqualTo(T0);
        assertThat(frontendCpu.ts()[ROWS - 1]).isEqualTo(T0 + (ROWS - 1) * MIN);
    }

    @Test
    void namesPodsByServiceAndReadsEachCallFromBothSides() throws Exception {
        NezhaDay day = NezhaDay.read(day());

        assertThat(day.graph().dependenciesOf("frontend")).containsExactly("cartservice");
        assertThat(day.series().keySet())
                .contains(
                        new Series("frontend", Facet.CALL_LATENCY, "cartservice", "source_50", 1),
                        new Series(
                                "cartservice",
                                Facet.LATENCY,
                                null,
                                "destination_50 from frontend",
                                1),
                        new Series("cartservice", Facet.LATENCY, null, "PodServerLatencyP90(s)", 1),
                        new Series("frontend", Facet.ERRORS, null, "PodSuccessRate(%)", -1));
        Rows callee =
                day.series()
                        .get(
                                new Series(
                                        "cartservice",
                                        Facet.LATENCY,
                                        null,
                                        "destination_50 from frontend",
                                        1));
        assertThat(callee.values()[7]).isNaN();
        assertThat(day.faults())
                .extracting(NezhaDay.Fault::service, NezhaDay.Fault::type, NezhaDay.Fault::at)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "cartservice", "cpu_contention", CPU_AT / 1000 * 1000),
                        org.assertj.core.groups.Tuple.tuple(
                                "cartservice", "network_delay", DELAY_AT / 1000 * 1000));
    }

    @Test
    void ranksTheInjectedServiceFirstForACpuFaultAndANetworkDelay() throws Exception {
        day();
        List<RcaOutcome> outcomes = NezhaEvaluation.open(dir, BaselineSettings.DEFAULTS).run();

        assertThat(outcomes).hasSize(2);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.rank()).isEqualTo(1));
        RcaOutcome delay = outcomes.get(1);
        assertThat(delay.group()).isEqualTo("network_delay");
        assertThat(delay.ranking().get(0).evidence())
                .anySatisfy(e -> assertThat(e).startsWith("its callers' calls to it are slow"));
        assertThat(delay.ranking()).extracting(c -> c.node()).doesNotContain("frontend");
    }

    @Test
    void aFolderWithoutADayIsAOneLineMistake() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> NezhaDay.days(dir.resolve("empty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no Nezha day folder");
        assertThatThrownBy(() -> NezhaDay.days(dir.resolve("missing")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no such directory");
    }

    @Test
    void podsAreNamedByTheirService() {
        assertThat(NezhaDay.serviceOf("productcatalogservice-668d5f85fb-wckp8"))
                .isEqualTo("productcatalogservice");
        assertThat(NezhaDay.serviceOf("redis-cart")).isEqualTo("redis-cart");
    }
}
