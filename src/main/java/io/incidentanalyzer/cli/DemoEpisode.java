package io.incidentanalyzer.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's built-in story, the first half hour of the seed outage: at 08:28 (Amsterdam) the
 * database CPU goes to 100% and the token-verification server saturates half a minute later; the
 * verifier recovers at 08:36, the database at 08:38. Samples every 10 s of event time for three
 * services, plus two malformed records that must end in the dead-letter topic. Deterministic: the
 * noise has a fixed seed.
 */
final class DemoEpisode {
    static final Instant START = Instant.parse("2024-02-16T07:20:00Z");
    static final Instant END = Instant.parse("2024-02-16T07:50:00Z");

    /** One record for the metrics topic and the partition it goes to. */
    record Record(int partition, String json) {}

    private DemoEpisode() {}

    static List<Record> metrics() {
        Random noise = new Random(20240216L);
        List<Record> out = new ArrayList<>();
        for (Instant t = START; !t.isAfter(END); t = t.plusSeconds(10)) {
            out.add(sample(0, t, "database", database(t, noise)));
            out.add(sample(1, t, "token-verification", verifier(t, noise)));
            out.add(sample(0, t, "api-gpt", 40 + noise.nextDouble() * 20));
        }
        return out;
    }

    /** Records a producer could send by mistake; each has a different reject reason. */
    static List<Record> malformed() {
        return List.of(
                new Record(
                        0,
                        "{\"ts\":\"2024-02-16T07:25:00Z\",\"service\":\"database\","
                                + "\"metric\":\"cpu_utilization\"}"),
                new Record(1, "cpu_utilization database 97.0 1708068300"));
    }

    private static double database(Instant t, Random noise) {
        if (between(t, "07:28:00", "07:38:00")) return 97 + noise.nextDouble() * 3;
        return 35 + noise.nextDouble() * 10;
    }

    private static double verifier(Instant t, Random noise) {
        if (between(t, "07:28:30", "07:36:30")) return 92 + noise.nextDouble() * 7;
        return 30 + noise.nextDouble() * 10;
    }

    private static boolean between(Instant t, String from, String to) {
        Instant a = Instant.parse("2024-02-16T" + from + "Z");
        Instant b = Instant.parse("2024-02-16T" + to + "Z");
        return !t.isBefore(a) && !t.isAfter(b);
    }

    private static Record sample(int partition, Instant t, String service, double value) {
        return new Record(
                partition,
                String.format(
                        Locale.ROOT,
                        "{\"ts\":\"%s\",\"service\":\"%s\",\"metric\":\"cpu_utilization\","
                                + "\"value\":%.1f,\"labels\":{\"host\":\"%s-1\"}}",
                        t,
                        service,
                        value,
                        service));
    }
}
