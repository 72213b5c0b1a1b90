package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.detect.auth.AuthTraffic.TOKEN_SERVICE;
import static io.incidentanalyzer.detect.auth.AuthTraffic.play;
import static io.incidentanalyzer.detect.auth.AuthTraffic.traffic;
import static io.incidentanalyzer.testing.Fixtures.ENV;
import static io.incidentanalyzer.testing.Fixtures.TOPICS_YAML;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.AuthFailureSettings;
import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.config.RefreshStormSettings;
import io.incidentanalyzer.detect.auth.AuthFailureDetector;
import io.incidentanalyzer.detect.auth.RefreshStormDetector;
import io.incidentanalyzer.draft.IncidentDrafter;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.StatusUpdate;
import io.incidentanalyzer.model.TimelineEntry;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * Detector, correlator and drafter in their test harnesses, one after the other, as the pipeline
 * wires them: what a detector measured reaches the drafts as typed fields, whatever its evidence
 * says in words.
 */
class TypedEvidenceHarnessTest {
    private static final long LAG_MS = 5_000;
    private static final long STORM_S = 40 * 60;
    private static final long STORM_END_S = 50 * 60;

    /** The token service behind a web app; every detector and stage uses this one job. */
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
                                        %s: {displayName: Token service}
                                        web: {displayName: Web, dependsOn: [%s]}
                                      components:
                                        - {name: Login, group: Apps, services: [web, %s]}
                                      """)
                            .formatted(ENV, TOKEN_SERVICE, TOKEN_SERVICE, TOKEN_SERVICE),
                    "jobs/test.yaml");

    @Test
    void aMissingTokenSpikeWithNoCallerIsNamedAsTheRootCause() throws Exception {
        List<AuthEvent> events =
                traffic()
                        .failures(AuthEventType.MISSING_TOKEN, null, 25, 600, 700, "no token")
                        .events();
        List<Signal> signals;
        try (var detector =
                keyed(
                        new AuthFailureDetector(ENV, AuthFailureSettings.defaults()),
                        AuthFailureDetector::callerKey)) {
            detector.open();
            play(detector, events, LAG_MS, t(800));
            signals = detector.extractOutputValues();
        }
        Signal open = signals.get(0);
        assertThat(open.measured().authEvent()).isEqualTo(AuthEventType.MISSING_TOKEN);
        assertThat(open.measured().caller()).as("the events named no caller").isNull();

        List<IncidentEvent> incidents = correlate(signals, t(800));

        IncidentEvent identified = first(incidents, IncidentEventType.IDENTIFIED);
        assertThat(identified.topCause().kind()).isEqualTo(CauseKind.MISSING_TOKEN);
        assertThat(identified.topCause().service()).isEqualTo(TOKEN_SERVICE);

        List<IncidentEvent> drafted = draft(incidents);
        assertThat(drafted.get(drafted.size() - 1).drafts().timeline())
                .extracting(TimelineEntry::text)
                .anySatisfy(
                        line ->
                                assertThat(line)
                                        .startsWith(
                                                "System outage detected: requests without a token"
                                                        + " reaching Token service"));
    }

    @Test
    void aStormThatNoValueCarriesDraftsNoHeavyHitter() throws Exception {
        List<IncidentEvent> drafted =
                drafted(normalHour().spreadLooping(100, STORM_S, STORM_END_S, 10).events());

        assertThat(drafted).isNotEmpty();
        Signal storm = drafted.get(0).cause();
        assertThat(storm.evidence())
                .as("the precondition: the evidence says no value carries the share")
                .anySatisfy(e -> assertThat(e).startsWith("clientVersion: no value carries 10%"));
        assertThat(storm.heavyHitter()).isNull();
        assertThat(drafted.get(drafted.size() - 1).topCause().heavyHitter()).isNull();
        assertThat(words(drafted)).noneMatch(w -> w.contains("of the excess"));
    }

    @Test
    void aStormOfOneClientVersionDraftsThatVersion() throws Exception {
        List<IncidentEvent> drafted =
                drafted(
                        normalHour()
                                .looping(100, "web", "9.9.9", STORM_S, STORM_END_S, 10)
                                .events());

        IncidentEvent last = drafted.get(drafted.size() - 1);
        assertThat(last.topCause().heavyHitter().dimension()).isEqualTo("clientVersion");
        assertThat(last.topCause().heavyHitter().value()).isEqualTo("9.9.9");
        assertThat(last.drafts().timeline())
                .extracting(TimelineEntry::text)
                .anySatisfy(
                        line ->
                                assertThat(line)
                                        .contains("(clientVersion 9.9.9: 100% of the excess"));
    }

    private static io.incidentanalyzer.detect.auth.AuthTraffic normalHour() {
        return traffic()
                .sessions(1080, "web", "2024.02.09", 0, 3600)
                .sessions(720, "ios", "3.14.2", 0, 3600);
    }

    /** The storm detector's signals, correlated and drafted. */
    private static List<IncidentEvent> drafted(List<AuthEvent> events) throws Exception {
        List<Signal> signals;
        try (var detector =
                keyed(
                        new RefreshStormDetector(ENV, RefreshStormSettings.defaults()),
                        AuthEvent::service)) {
            detector.open();
            play(detector, events, LAG_MS, t(STORM_END_S + 600));
            signals = detector.extractOutputValues();
        }
        return draft(correlate(signals, t(STORM_END_S + 600)));
    }

    private static List<IncidentEvent> draft(List<IncidentEvent> incidents) throws Exception {
        try (var drafter = keyed(new IncidentDrafter(JOB), IncidentEvent::incidentId)) {
            drafter.open();
            for (IncidentEvent e : incidents) drafter.processElement(e, e.ts());
            return drafter.extractOutputValues();
        }
    }

    private static List<IncidentEvent> correlate(List<Signal> signals, long until)
            throws Exception {
        try (var correlator = keyed(IncidentCorrelator.of(JOB), in -> ENV)) {
            correlator.open();
            for (Signal s : signals) correlator.processElement(CorrelatorInput.of(s), s.ts());
            correlator.processWatermark(until);
            return correlator.extractOutputValues();
        }
    }

    /** Every sentence the drafts hold: timeline, status updates and the postmortem. */
    private static List<String> words(List<IncidentEvent> drafted) {
        List<String> out = new ArrayList<>();
        for (IncidentEvent e : drafted) {
            e.drafts().timeline().forEach(l -> out.add(l.text()));
            e.drafts().statusUpdates().stream().map(StatusUpdate::body).forEach(out::add);
            out.add(e.drafts().postmortem());
        }
        return out;
    }

    private static IncidentEvent first(List<IncidentEvent> events, IncidentEventType type) {
        return events.stream()
                .filter(e -> e.type() == type)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + types(events)));
    }

    private static List<IncidentEventType> types(List<IncidentEvent> events) {
        return events.stream().map(IncidentEvent::type).toList();
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> keyed(
            KeyedProcessFunction<String, I, O> function,
            org.apache.flink.api.java.functions.KeySelector<I, String> key)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(function), key, Types.STRING);
    }
}
