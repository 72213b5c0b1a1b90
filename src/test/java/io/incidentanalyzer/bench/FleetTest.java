package io.incidentanalyzer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.MetricRule;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.MetricSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The synthetic fleet of bench/memory: its job file and its samples. */
class FleetTest {

    @Test
    void jobFileListsEveryServiceAndWatchesSevenOfTheTenMetrics() {
        JobConfig config = Fleet.config(50);

        assertThat(config.services()).hasSize(50);
        Set<String> watched = new HashSet<>();
        Stream.of(
                        config.detectors().saturation(),
                        config.detectors().baselineShift().rules(),
                        config.detectors().backlog())
                .flatMap(List::stream)
                .map(MetricRule::metric)
                .forEach(watched::add);
        assertThat(watched).hasSize(Fleet.WATCHED).isSubsetOf(Set.of(Fleet.METRICS));
    }

    @Test
    void samplesComeOneStepAtATimeWithEverySeriesOncePerStep() {
        int services = 3;
        Fleet.Samples samples = new Fleet.Samples(services, 10_000);
        samples.open(null);
        int perStep = services * Fleet.METRICS.length;
        List<MetricSample> out = new ArrayList<>();
        for (long i = 0; i < 2L * perStep; i++) {
            Decoded d = samples.map(i);
            assertThat(d.ts()).isEqualTo(d.metric().ts());
            out.add(d.metric());
        }

        assertThat(out.subList(0, perStep)).allMatch(s -> s.ts() == Fleet.T0);
        assertThat(out.subList(perStep, 2 * perStep)).allMatch(s -> s.ts() == Fleet.T0 + 10_000);
        assertThat(out.subList(0, perStep).stream().map(MetricSample::seriesKey).distinct())
                .hasSize(perStep);
        assertThat(out).allMatch(s -> Double.isFinite(s.value()) && s.value() >= 0);
    }
}
