package io.incidentanalyzer.ingest.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.Decoded;
import io.incidentanalyzer.model.RejectReason;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalState;
import io.incidentanalyzer.testing.DecoderFuzz;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

public class AlertmanagerDecoderTest {

    /**
     * Alertmanager's webhook body, version 4, as it posts a group of two alerts (the shape of
     * docs/formats.md's example): one firing, one resolved.
     */
    public static final String GROUP =
            """
{"receiver": "analyzer", "status": "firing",
 "alerts": [
  {"status": "firing",
   "labels": {"alertname": "CheckoutErrorRate", "service": "checkout",
              "severity": "critical", "instance": "checkout-1"},
   "annotations": {"summary": "checkout answers 12% of requests with 5xx"},
   "startsAt": "2024-02-16T08:31:00.123Z", "endsAt": "0001-01-01T00:00:00Z",
   "generatorURL": "http://prometheus:9090/graph?g0.expr=x", "fingerprint": "a1b2c3d4e5f60718"},
  {"status": "resolved",
   "labels": {"alertname": "DiskFilling", "job": "database", "severity": "warning"},
   "annotations": {},
   "startsAt": "2024-02-16T07:00:00Z", "endsAt": "2024-02-16T08:00:00Z",
   "fingerprint": "0f0e0d0c0b0a0908"}],
 "groupLabels": {"alertname": "CheckoutErrorRate"},
 "commonLabels": {}, "commonAnnotations": {},
 "externalURL": "http://alertmanager:9093", "version": "4",
 "groupKey": "{}:{alertname=\\"CheckoutErrorRate\\"}", "truncatedAlerts": 0}
""";

    private final AlertmanagerDecoder decoder =
            new AlertmanagerDecoder(new ServiceNames(List.of("service", "job"), null), 65536);

    private List<Decoded> all(String s) {
        return decoder.decodeAll("a", 0, 7, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFiringAlertOpensASignalOfItsLabelledServiceAndAResolvedOneClearsAtItsEnd() {
        List<Decoded> out = all(GROUP);
        assertThat(out).hasSize(2).noneMatch(Decoded::isRejected);

        Signal firing = out.get(0).signal();
        long starts = Instant.parse("2024-02-16T08:31:00.123Z").toEpochMilli();
        assertThat(firing.state()).isEqualTo(SignalState.OPEN);
        assertThat(firing.service()).isEqualTo("checkout");
        assertThat(firing.subject()).isEqualTo("CheckoutErrorRate");
        assertThat(firing.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(firing.ts()).isEqualTo(starts);
        assertThat(firing.onset()).isEqualTo(starts);
        assertThat(firing.recoveredAt()).isEqualTo(-1);
        assertThat(out.get(0).ts()).isEqualTo(starts);
        assertThat(firing.evidence())
                .containsExactly(
                        "Alertmanager alert CheckoutErrorRate (severity critical) firing",
                        "checkout answers 12% of requests with 5xx");

        Signal resolved = out.get(1).signal();
        long ends = Instant.parse("2024-02-16T08:00:00Z").toEpochMilli();
        assertThat(resolved.state()).isEqualTo(SignalState.CLEAR);
        assertThat(resolved.service()).isEqualTo("database"); // from job: no service label
        assertThat(resolved.severity()).isEqualTo(Severity.MINOR);
        assertThat(resolved.ts()).isEqualTo(ends);
        assertThat(resolved.recoveredAt()).isEqualTo(ends);
        assertThat(resolved.onset())
                .isEqualTo(Instant.parse("2024-02-16T07:00:00Z").toEpochMilli());
    }

    @Test
    void oneAlertsFiringAndResolvedReportsShareTheirKeyAndTheirSignalId() {
        String resolvedAgain =
                GROUP.replaceFirst("\\{\"status\": \"firing\"", "{\"status\": \"resolved\"")
                        .replace("\"0001-01-01T00:00:00Z\"", "\"2024-02-16T08:40:00Z\"");
        Signal firing = all(GROUP).get(0).signal();
        Signal resolved = all(resolvedAgain).get(0).signal();

        assertThat(resolved.state()).isEqualTo(SignalState.CLEAR);
        assertThat(AlertSignals.alertKey(resolved)).isEqualTo(AlertSignals.alertKey(firing));
        assertThat(AlertSignals.inEnvironment(resolved, "shop", SignalState.CLEAR).id())
                .isEqualTo(AlertSignals.inEnvironment(firing, "shop", SignalState.OPEN).id());
    }

    @Test
    void severityComesFromTheLabelAndHeartbeatsAreNotAnalysed() throws Exception {
        assertThat(AlertmanagerDecoder.severity(null)).isEqualTo(Severity.MAJOR);
        assertThat(AlertmanagerDecoder.severity("error")).isEqualTo(Severity.MAJOR);
        assertThat(AlertmanagerDecoder.severity("Page")).isEqualTo(Severity.CRITICAL);
        assertThat(AlertmanagerDecoder.severity("warning")).isEqualTo(Severity.MINOR);

        List<Decoded> out = all(GROUP.replace("\"critical\"", "\"none\""));
        assertThat(out).hasSize(2);
        assertThat(out.get(0).signal().subject()).isEqualTo("DiskFilling");
        assertThat(out.get(1).rejected().reason()).isEqualTo(RejectReason.NOT_ANALYSED);
        assertThat(out.get(1).rejected().detail())
                .isEqualTo(
                        "1 of 2 alerts skipped; the first: alert 0: severity 'none' is not an"
                                + " outage");
    }

    @Test
    void anAlertWithoutItsServiceOrNameIsSkippedWithAReasonAndOtherVersionsRefused() {
        Decoded noService = all(GROUP.replace("\"service\": \"checkout\",", "")).get(1);
        assertThat(noService.rejected().reason()).isEqualTo(RejectReason.MISSING_FIELD);
        assertThat(noService.rejected().detail()).contains("alert 0", "[service, job]");

        Decoded noName = all(GROUP.replace("\"alertname\": \"DiskFilling\", ", "")).get(1);
        assertThat(noName.rejected().detail()).contains("alert 1", "labels.alertname");

        List<Decoded> v3 = all(GROUP.replace("\"version\": \"4\"", "\"version\": \"3\""));
        assertThat(v3)
                .singleElement()
                .satisfies(d -> assertThat(d.rejected().detail()).contains("version 4"));
        assertThat(all("{\"alerts\": []}").get(0).rejected().reason())
                .isEqualTo(RejectReason.MISSING_FIELD);
    }

    @Test
    void mutatedWebhooksNeverThrowAndAlwaysGiveAReason() {
        DecoderFuzz.Result r =
                DecoderFuzz.run(
                        decoder, List.of(GROUP.getBytes(StandardCharsets.UTF_8)), 71L, 3000);
        DecoderFuzz.assertRejectsGarbage(decoder, 72L);

        assertThat(r.events()).isPositive();
        assertThat(r.rejections()).isPositive();
    }
}
