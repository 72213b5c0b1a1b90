package io.incidentanalyzer.review;

import static io.incidentanalyzer.testing.Fixtures.signal;

import io.incidentanalyzer.model.CauseKind;
import io.incidentanalyzer.model.ComponentChange;
import io.incidentanalyzer.model.IncidentEvent;
import io.incidentanalyzer.model.IncidentEventType;
import io.incidentanalyzer.model.IncidentStatus;
import io.incidentanalyzer.model.RootCause;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.model.SignalState;
import java.time.Instant;
import java.util.List;

/** The incidents and review records the review tests feed their state, built one way. */
final class ReviewFixtures {
    static final long T0 = Instant.parse("2024-02-16T07:26:00Z").toEpochMilli();

    private ReviewFixtures() {}

    /** An open error-pattern signal of {@code service} at {@code T0}. */
    static Signal errors(String service, String subject) {
        return signal(
                SignalKind.ERROR_PATTERN,
                service,
                subject,
                SignalState.OPEN,
                T0,
                T0,
                40,
                40,
                0,
                Severity.MAJOR);
    }

    /** An incident opened at {@code T0} on web-app's errors, a bad deploy of web-app its cause. */
    static IncidentEvent opened(String id, String environment, String analyzerTitle) {
        Signal s = errors("web-app", "errors");
        return new IncidentEvent(
                id,
                environment,
                IncidentEventType.OPENED,
                T0,
                IncidentStatus.INVESTIGATING,
                T0,
                null,
                analyzerTitle,
                s,
                List.of(s),
                List.of(
                        new RootCause(
                                CauseKind.BAD_DEPLOY,
                                "web-app",
                                0.9,
                                T0,
                                List.of(),
                                List.of(s.id()))),
                List.of(),
                List.of(),
                null);
    }

    /** An engineer's review record a minute after {@code T0}, signed in with a password. */
    static ReviewEvent review(
            String recordId,
            String incidentId,
            ReviewEvent.Action action,
            String actor,
            CauseKind causeKind,
            String causeService,
            String title,
            String body,
            List<ComponentChange> components) {
        return new ReviewEvent(
                recordId,
                incidentId,
                action,
                actor,
                T0 + 60_000,
                causeKind,
                causeService,
                IncidentStatus.INVESTIGATING,
                body,
                components,
                null,
                null,
                title,
                List.of(),
                ReviewEvent.Auth.PASSWORD,
                null);
    }
}
