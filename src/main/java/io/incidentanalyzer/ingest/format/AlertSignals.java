package io.incidentanalyzer.ingest.format;

import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.util.List;

/**
 * The one place where an alert becomes a {@link Signal}: the alerts decoder builds reports with it
 * and the job's alert-episode step ({@code ingest.AlertEpisodes}) turns them into the correlator's
 * signals. A firing alert is a signal that opened at the alert's {@code startsAt}; a resolved one
 * clears it at its {@code endsAt}.
 *
 * <p>An alert is read as a {@link SignalKind#BASELINE_SHIFT} of the subject its {@code alertname}
 * names: a threshold rule is a measure far from where it should be, and the correlator, ranker and
 * drafter already word that kind. Its value is 1 while firing and 0 once resolved, against a
 * baseline of 0 (an alert carries no measured figure).
 */
public final class AlertSignals {
    private static final String PREFIX = "alert:";

    private AlertSignals() {}

    /**
     * An alert as one webhook reported it, before the job names its environment.
     *
     * @param fingerprint Alertmanager's identity of the alert (its label set), so that two alerts
     *     of one name on one service are two signals
     * @param evidence what the alert says: its name, severity, summary
     */
    public static Signal report(
            String service,
            String alertname,
            String fingerprint,
            boolean firing,
            long startsAt,
            long endsAt,
            Severity severity,
            List<String> evidence) {
        return signal(
                null,
                service,
                alertname,
                fingerprint,
                firing ? SignalState.OPEN : SignalState.CLEAR,
                firing ? startsAt : endsAt,
                startsAt,
                severity,
                evidence,
                firing ? -1 : endsAt);
    }

    /** The report as the job's signal in {@code environment}, in {@code state}. */
    public static Signal inEnvironment(Signal report, String environment, SignalState state) {
        return signal(
                environment,
                report.service(),
                report.subject(),
                fingerprint(report),
                state,
                report.ts(),
                report.onset(),
                report.severity(),
                report.evidence(),
                state == SignalState.CLEAR ? report.recoveredAt() : -1);
    }

    /**
     * An open alert signal cleared at {@code at}: for an episode whose resolved notification never
     * came before the alert fired again.
     */
    public static Signal clearedAt(Signal open, long at) {
        return signal(
                open.environment(),
                open.service(),
                open.subject(),
                fingerprint(open),
                SignalState.CLEAR,
                at,
                open.onset(),
                open.severity(),
                open.evidence(),
                at);
    }

    /** What stays the same across an alert's reports and episodes: service, name, fingerprint. */
    public static String alertKey(Signal s) {
        return s.service() + "/" + s.subject() + "/" + fingerprint(s);
    }

    private static Signal signal(
            String environment,
            String service,
            String alertname,
            String fingerprint,
            SignalState state,
            long ts,
            long onset,
            Severity severity,
            List<String> evidence,
            long recoveredAt) {
        boolean clear = state == SignalState.CLEAR;
        return new Signal(
                PREFIX
                        + (environment == null ? "" : environment)
                        + ":"
                        + service
                        + "/"
                        + alertname
                        + "/"
                        + fingerprint
                        + ":"
                        + onset,
                SignalKind.BASELINE_SHIFT,
                environment,
                service,
                alertname,
                state,
                ts,
                onset,
                onset,
                1.0,
                clear ? 0.0 : 1.0,
                0.0,
                0.0,
                severity,
                new java.util.ArrayList<>(evidence),
                recoveredAt,
                Measured.metric(alertname),
                null);
    }

    /** The fingerprint inside a signal's id: between the last '/' and the onset's ':'. */
    private static String fingerprint(Signal s) {
        String id = s.id();
        return id.substring(id.lastIndexOf('/') + 1, id.lastIndexOf(':'));
    }
}
