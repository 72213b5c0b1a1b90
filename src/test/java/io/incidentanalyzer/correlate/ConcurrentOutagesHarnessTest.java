package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static io.incidentanalyzer.testing.Fixtures.cpu;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.detect.SaturationDetector;
import io.incidentanalyzer.draft.IncidentDrafter;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.MetricSample;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.StatusPageIncident;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Saturation detector, correlator and drafter in their test harnesses, as the pipeline wires them:
 * outages on services that share no path in the service graph, starting apart, are separate
 * incidents with their own causes and status pages; an aftershock on a linked service is not.
 */
class ConcurrentOutagesHarnessTest {
    /**
     * A shop whose front calls search (backed by an index) and payments (backed by a card vendor):
     * search and payments share a caller but no path. Any service's CPU saturates at 95 %.
     */
    private static final JobConfig JOB =
            JobConfigLoader.parse(
                    ("""
                     environment: %s
                     timeZone: UTC
                     clock: 24h
                     """
                                    + TOPICS_YAML
                                    + """
                                      services:
                                        index: {}
                                        search: {dependsOn: [index]}
                                        vendor: {external: true}
                                        payments: {dependsOn: [vendor]}
                                        front: {dependsOn: [search, payments]}
                                      components:
                                        - {name: Shop, group: Shop, services: [front]}
                                        - {name: Search, group: Shop, services: [search, index]}
                                        - {name: Payments, group: Orders, services: [payments]}
                                      detectors:
                                        saturation:
                                          - {name: cpu, metric: cpu_utilization, ceiling: 95,
                                             sustain: 60s, clearBelow: 80, clearAfter: 120s,
                                             severity: critical}
                                      """)
                            .formatted(ENV),
                    "jobs/test.yaml");

    private static final long END_S = 4 * 3600;

    @Test
    void unrelatedServicesFailingTenMinutesApartAreTwoIncidentsEachWithItsOwnCause()
            throws Exception {
        List<MetricSample> samples = new ArrayList<>();
        samples.addAll(cpuRun("search", 0, 1800));
        samples.addAll(cpuRun("payments", 600, 2400)); // ten minutes later, nothing linking them
        Outcome run = run(samples);

        Map<String, List<IncidentEvent>> byIncident = byIncident(run.drafted);
        assertThat(byIncident).as("two incidents, in one environment").hasSize(2);
        List<String> ids = new ArrayList<>(byIncident.keySet());
        assertThat(ids).containsExactly(ENV + "-20240216T072000Z", ENV + "-20240216T073000Z");

        List<IncidentEvent> search = byIncident.get(ids.get(0));
        List<IncidentEvent> payments = byIncident.get(ids.get(1));
        assertThat(search).allSatisfy(e -> assertThat(e.environment()).isEqualTo(ENV));
        assertThat(last(search).topCause().service()).isEqualTo("search");
        assertThat(last(search).topCause().kind()).isEqualTo(CauseKind.RESOURCE_SATURATION);
        assertThat(last(payments).topCause().service()).isEqualTo("payments");
        assertThat(last(payments).topCause().kind()).isEqualTo(CauseKind.RESOURCE_SATURATION);
        assertThat(first(search, IncidentEventType.IDENTIFIED).topCause().service())
                .isEqualTo("search");
        assertThat(first(payments, IncidentEventType.IDENTIFIED).topCause().service())
                .as("its users were told its own cause, not the other outage's")
                .isEqualTo("payments");
        assertThat(search)
                .as("each incident's signals are its own")
                .flatExtracting(IncidentEvent::activeSignals)
                .extracting(Signal::service)
                .containsOnly("search");
        assertThat(payments)
                .flatExtracting(IncidentEvent::activeSignals)
                .extracting(Signal::service)
                .containsOnly("payments");
        assertThat(search)
                .extracting(IncidentEvent::type)
                .startsWith(IncidentEventType.OPENED)
                .endsWith(IncidentEventType.CLOSED);
        assertThat(payments)
                .extracting(IncidentEvent::type)
                .startsWith(IncidentEventType.OPENED)
                .endsWith(IncidentEventType.CLOSED);

        // The status page has a document for each, with its own public title (named by its
        // components) and components.
        Map<String, StatusPageIncident> pages = new LinkedHashMap<>();
        for (StatusPageIncident p : run.statusPages) pages.put(p.id(), p);
        assertThat(pages).containsOnlyKeys(ids);
        assertThat(pages.get(ids.get(0)).name()).endsWith(" of Search");
        assertThat(pages.get(ids.get(1)).name())
                .as("Payments is the whole of its group, Orders")
                .endsWith(" of Orders");
        assertThat(pages.get(ids.get(0)).components())
                .extracting(StatusPageIncident.Component::name)
                .contains("Search")
                .doesNotContain("Payments");
        assertThat(pages.get(ids.get(1)).components())
                .extracting(StatusPageIncident.Component::name)
                .contains("Payments")
                .doesNotContain("Search");
        assertThat(run.correlatorStateEntries).as("both closed, nothing left").isZero();
    }

    @Test
    void anAftershockOnALinkedServiceTenMinutesLaterStaysOneIncident() throws Exception {
        List<MetricSample> samples = new ArrayList<>();
        samples.addAll(cpuRun("search", 0, 300)); // clears two minutes after 300
        // The front, which calls search, saturates ten minutes after search began: past the gap
        // after search's clear, within the quiet period.
        samples.addAll(cpuRun("front", 600, 900));
        // And the index behind search, while the front is still saturated.
        samples.addAll(cpuRun("index", 840, 1000));
        Outcome run = run(samples);

        assertThat(byIncident(run.drafted)).hasSize(1);
        assertThat(run.drafted)
                .extracting(IncidentEvent::type)
                .contains(IncidentEventType.REOPENED, IncidentEventType.SIGNAL_ADDED)
                .containsOnlyOnce(IncidentEventType.OPENED, IncidentEventType.CLOSED);
        assertThat(run.statusPages)
                .extracting(StatusPageIncident::id)
                .containsOnly(ENV + "-20240216T072000Z");
    }

    /** What the chain produced: drafted incident events and status-page documents. */
    private record Outcome(
            List<IncidentEvent> drafted,
            List<StatusPageIncident> statusPages,
            int correlatorStateEntries) {}

    /** A service's CPU at 99 % from {@code fromS} to {@code toS}, at 40 % otherwise, every 10 s. */
    private static List<MetricSample> cpuRun(String service, long fromS, long toS) {
        List<MetricSample> out = new ArrayList<>();
        for (long s = 0; s <= END_S; s += 10) {
            out.add(cpu(service, t(s), s >= fromS && s < toS ? 99 : 40));
        }
        return out;
    }

    private static Outcome run(List<MetricSample> samples) throws Exception {
        samples.sort(Comparator.comparingLong(MetricSample::ts));
        List<Signal> signals;
        try (var detector =
                keyed(
                        new SaturationDetector(ENV, JOB.detectors().saturation()),
                        MetricSample::seriesKey)) {
            detector.open();
            for (MetricSample m : samples) detector.processElement(m, m.ts());
            detector.processWatermark(t(END_S));
            signals = detector.extractOutputValues();
        }
        List<IncidentEvent> incidents;
        int left;
        try (var correlator = keyed(IncidentCorrelator.of(JOB), in -> ENV)) {
            correlator.open();
            for (Signal s : signals) correlator.processElement(CorrelatorInput.of(s), s.ts());
            correlator.processWatermark(t(END_S));
            incidents = correlator.extractOutputValues();
            left = correlator.numKeyedStateEntries() + correlator.numEventTimeTimers();
        }
        try (var drafter = keyed(new IncidentDrafter(JOB), IncidentEvent::incidentId)) {
            drafter.open();
            for (IncidentEvent e : incidents) drafter.processElement(e, e.ts());
            var pages = drafter.getSideOutput(IncidentDrafter.STATUS_UPDATES);
            return new Outcome(
                    drafter.extractOutputValues(),
                    pages == null ? List.of() : pages.stream().map(StreamRecord::getValue).toList(),
                    left);
        }
    }

    private static Map<String, List<IncidentEvent>> byIncident(List<IncidentEvent> events) {
        Map<String, List<IncidentEvent>> out = new LinkedHashMap<>();
        for (IncidentEvent e : events) {
            out.computeIfAbsent(e.incidentId(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    private static IncidentEvent last(List<IncidentEvent> events) {
        return events.get(events.size() - 1);
    }

    private static IncidentEvent first(List<IncidentEvent> events, IncidentEventType type) {
        return events.stream()
                .filter(e -> e.type() == type)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type));
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> keyed(
            KeyedProcessFunction<String, I, O> function,
            org.apache.flink.api.java.functions.KeySelector<I, String> key)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function), key, Types.STRING);
    }
}
