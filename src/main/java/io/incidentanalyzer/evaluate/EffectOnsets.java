package io.incidentanalyzer.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.incidentanalyzer.config.BaselineShiftRule;
import io.incidentanalyzer.config.BaselineShiftSettings;
import io.incidentanalyzer.simulate.FaultKind;
import io.incidentanalyzer.simulate.FaultSpec;
import io.incidentanalyzer.simulate.GroundTruth;
import io.incidentanalyzer.simulate.ScenarioLoader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The "2× moment" of each ramping fault of a simulated scenario (docs/detectors.md#slow-onsets):
 * when its effect first reaches twice the normal deviation of a series that shows it. A fault's
 * series are the token service's refreshes per interval for a refresh storm, else the metrics of
 * its own service that a baseline-shift rule of the job watches. Per series: the baseline is the
 * least-squares line through the hour before the onset and the normal deviation σ is 1.4826 times
 * the median absolute residual about it; the effect at t is the mean of (value − line) over the two
 * minutes centred on t, in the rule's direction; the moment is the first interval at or after the
 * onset, before the fault ends, at which the effect reaches 2σ. The fault's 2× moment is the
 * earliest over its series. Read from the streams the simulator wrote, so it is what a detector
 * could have seen, not the model's intent.
 */
public final class EffectOnsets {

    /** A fault ramps when its strength takes longer than this to reach 1 (the default ramp). */
    static final Duration RAMPING = Duration.ofMinutes(1);

    /** The baseline is fitted on this much of the series before the onset. */
    static final Duration BEFORE = Duration.ofHours(1);

    /** The effect is the mean over this window, centred on the moment. */
    static final Duration SMOOTHING = Duration.ofMinutes(2);

    /** The median absolute deviation of a normal distribution is 0.6745 σ. */
    private static final double MAD_TO_SIGMA = 1.4826;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private EffectOnsets() {}

    /**
     * The 2× moment (epoch ms) of each ramping fault, by fault id; a fault whose effect never
     * reaches 2σ on any of its series is absent.
     */
    public static Map<String, Long> of(
            ScenarioLoader.Loaded scenario, GroundTruth truth, Path streams) {
        Map<String, Long> out = new LinkedHashMap<>();
        Map<String, FaultSpec> specs = new LinkedHashMap<>();
        scenario.scenario().faults().forEach(f -> specs.put(f.id(), f));
        BaselineShiftSettings rules = scenario.job().detectors().baselineShift();
        for (GroundTruth.Fault f : truth.faults()) {
            FaultSpec spec = specs.get(f.id());
            if (spec == null || spec.ramp().compareTo(RAMPING) <= 0) continue;
            long onset = f.onset().toEpochMilli();
            long end = f.end().toEpochMilli();
            long from = onset - BEFORE.toMillis();
            Long earliest = null;
            for (Series s : series(spec, f, rules, streams, from, end)) {
                Long at = twoX(s, onset, end);
                if (at != null && (earliest == null || at < earliest)) earliest = at;
            }
            if (earliest != null) out.put(f.id(), earliest);
        }
        return out;
    }

    /** One series of a fault: its values by interval start, and which way counts. */
    record Series(String name, TreeMap<Long, Double> values, int sign) {}

    private static List<Series> series(
            FaultSpec spec,
            GroundTruth.Fault f,
            BaselineShiftSettings rules,
            Path streams,
            long from,
            long to) {
        if (spec.kind() == FaultKind.REFRESH_STORM) {
            return List.of(refreshes(streams.resolve("auth.jsonl"), spec.service(), from, to));
        }
        Map<String, Series> byMetric = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(streams.resolve("metrics.jsonl"))) {
            String quoted = "\"service\":\"" + spec.service() + "\"";
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.contains(quoted)) continue;
                JsonNode n = JSON.readTree(line);
                long ts = Instant.parse(n.get("ts").asText()).toEpochMilli();
                if (ts < from || ts >= to) continue;
                String metric = n.get("metric").asText();
                int rule = rules == null ? -1 : rules.ruleFor(spec.service(), metric);
                if (rule < 0) continue;
                BaselineShiftRule r = rules.rules().get(rule);
                int sign =
                        switch (r.direction()) {
                            case UP -> 1;
                            case DOWN -> -1;
                            case BOTH -> 0;
                        };
                byMetric.computeIfAbsent(metric, m -> new Series(m, new TreeMap<>(), sign))
                        .values()
                        .put(ts, n.get("value").asDouble());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(byMetric.values());
    }

    /** REFRESH events of the token service per 10-second interval (the storm detector's bucket). */
    private static Series refreshes(Path auth, String service, long from, long to) {
        TreeMap<Long, Double> counts = new TreeMap<>();
        for (long t = from - Math.floorMod(from, 10_000); t < to; t += 10_000) counts.put(t, 0.0);
        String quoted = "\"service\":\"" + service + "\"";
        try (BufferedReader in = Files.newBufferedReader(auth)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.contains("\"type\":\"REFRESH\"") || !line.contains(quoted)) continue;
                long ts = Instant.parse(line.substring(7, line.indexOf('"', 7))).toEpochMilli();
                if (ts < from || ts >= to) continue;
                counts.merge(ts - Math.floorMod(ts, 10_000), 1.0, Double::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Series("refreshes", counts, 1);
    }

    /** The first interval at which the series' smoothed effect reaches 2σ, or null. */
    static Long twoX(Series s, long onset, long end) {
        Map<Long, Double> before = s.values().headMap(onset);
        if (before.size() < 10) return null;
        double[] t = new double[before.size()];
        double[] v = new double[before.size()];
        int i = 0;
        for (Map.Entry<Long, Double> e : before.entrySet()) {
            t[i] = (e.getKey() - onset) / 1000.0;
            v[i++] = e.getValue();
        }
        double[] line = leastSquares(t, v);
        double[] residual = new double[t.length];
        for (int k = 0; k < t.length; k++) residual[k] = v[k] - (line[0] + line[1] * t[k]);
        double sigma = MAD_TO_SIGMA * median(absolute(residual, median(residual)));
        if (!(sigma > 0)) return null;
        long half = SMOOTHING.toMillis() / 2;
        for (long at : s.values().subMap(onset, end).keySet()) {
            double sum = 0;
            int n = 0;
            for (Map.Entry<Long, Double> e :
                    s.values()
                            .subMap(Math.max(onset, at - half), true, at + half, true)
                            .entrySet()) {
                double seconds = (e.getKey() - onset) / 1000.0;
                sum += e.getValue() - (line[0] + line[1] * seconds);
                n++;
            }
            double effect = sum / n;
            double directed = s.sign() == 0 ? Math.abs(effect) : s.sign() * effect;
            if (directed >= 2 * sigma) return at;
        }
        return null;
    }

    /** Intercept and slope of the least-squares line through (t, v). */
    static double[] leastSquares(double[] t, double[] v) {
        double mt = Arrays.stream(t).average().orElse(0);
        double mv = Arrays.stream(v).average().orElse(0);
        double stt = 0;
        double stv = 0;
        for (int i = 0; i < t.length; i++) {
            stt += (t[i] - mt) * (t[i] - mt);
            stv += (t[i] - mt) * (v[i] - mv);
        }
        double slope = stt > 0 ? stv / stt : 0;
        return new double[] {mv - slope * mt, slope};
    }

    private static double[] absolute(double[] x, double centre) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.abs(x[i] - centre);
        return out;
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
