package io.incidentanalyzer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.ingest.InputWatermarks;
import io.incidentanalyzer.ingest.RecordDecoder;
import io.incidentanalyzer.ingest.RecordDecoders;
import io.incidentanalyzer.ingest.format.AlertmanagerDecoderTest;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.testing.Flink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The optional externalAlerts input on in-memory streams: Alertmanager's notifications of one
 * alert, the firing one repeated as a group's next notification would, then resolved, give one
 * incident that opens at the alert's start and closes at its end; an unreadable record of the input
 * is a dead letter.
 */
class ExternalAlertsPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static final JobConfig CONFIG =
            JobConfigLoader.parse(
                    """
                    environment: shop-prod
                    correlation: {quietPeriod: 0s}
                    topics:
                      metrics: {name: m}
                      auth: {name: a}
                      logs: {name: l}
                      changes: {name: c}
                      externalAlerts: {name: al, format: alertmanager-webhook}
                      incidents: i
                      deadLetter: d
                    services:
                      database: {}
                      checkout: {dependsOn: [database]}
                    """,
                    "alerts-pipeline-test.yaml");

    /** The example group with only its firing checkout alert, as firing or resolved at 08:40. */
    private static String checkoutAlert(boolean firing) {
        String group = AlertmanagerDecoderTest.GROUP;
        String one = group.substring(0, group.indexOf(",\n  {\"status\": \"resolved\""));
        one = one + "]" + group.substring(group.indexOf("],\n \"groupLabels\"") + 1);
        return firing
                ? one
                : one.replaceFirst("\\{\"status\": \"firing\"", "{\"status\": \"resolved\"")
                        .replace("\"0001-01-01T00:00:00Z\"", "\"2024-02-16T08:40:00Z\"");
    }

    @Test
    void aFiringThenResolvedAlertOpensAndClosesOneIncident() throws Exception {
        RecordDecoder decoder =
                RecordDecoders.forExternalAlerts(CONFIG.topics().externalAlerts(), CONFIG.limits());
        List<Decoded> alerts = new ArrayList<>();
        for (String body :
                List.of(checkoutAlert(true), checkoutAlert(true), checkoutAlert(false))) {
            alerts.addAll(
                    RecordDecoders.decodeAll(
                            decoder, "al", 0, 0, body.getBytes(StandardCharsets.UTF_8)));
        }
        alerts.addAll(RecordDecoders.decodeAll(decoder, "al", 0, 3, "not json".getBytes()));
        assertThat(alerts).hasSize(4);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        IncidentPipeline.configure(env);
        // The four event inputs carry one unreadable record each (a source needs an element).
        List<Decoded> none = List.of(Decoded.rejected(UNREAD));
        IncidentPipeline.Outputs out =
                IncidentPipeline.build(
                        CONFIG,
                        new IncidentPipeline.Inputs(
                                input(env, none),
                                input(env, none),
                                input(env, none),
                                input(env, none),
                                input(env, alerts)));
        List<IncidentEvent> incidents = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (CloseableIterator<IncidentEvent> i = out.incidents().collectAsync();
                CloseableIterator<DeadLetter> d = out.deadLetters().collectAsync()) {
            env.execute("external alerts pipeline test");
            i.forEachRemaining(incidents::add);
            d.forEachRemaining(deadLetters::add);
        }

        assertThat(incidents)
                .extracting(IncidentEvent::incidentId)
                .containsOnly(incidents.get(0).incidentId());
        assertThat(incidents)
                .first()
                .extracting(IncidentEvent::type)
                .isEqualTo(IncidentEventType.OPENED);
        assertThat(incidents)
                .last()
                .extracting(IncidentEvent::type)
                .isEqualTo(IncidentEventType.CLOSED);
        assertThat(incidents)
                .extracting(IncidentEvent::type)
                .doesNotContain(IncidentEventType.REOPENED, IncidentEventType.SIGNAL_ADDED);
        assertThat(incidents.get(0).title())
                .isEqualTo("checkout CheckoutErrorRate far from its baseline");
        assertThat(incidents.get(0).openedAt()).isEqualTo(1708072260123L);
        assertThat(incidents.get(2).closedAt()).isEqualTo(1708072800000L);
        assertThat(deadLetters)
                .filteredOn(d -> d.sourceTopic().equals("al"))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo(RejectReason.NOT_JSON));
    }

    private static final DeadLetter UNREAD =
            new DeadLetter(RejectReason.NOT_JSON, "not valid JSON", "x", 0, 0, "x", "utf-8");

    private static DataStream<Decoded> input(StreamExecutionEnvironment env, List<Decoded> in) {
        return env.fromData(in, TypeInformation.of(Decoded.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(InputWatermarks.strategy(CONFIG.watermarks()));
    }
}
