package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import java.util.Comparator;
import java.util.List;

/**
 * Base of the detectors of the auth stream (refresh storm, auth failures): events ordered by
 * one-second granules ({@link AuthEvents#ORDERING_GRANULE_MS}) with {@link AuthEvents#ORDER} as the
 * tie-break, and described by their record form in dead letters.
 */
public abstract class AuthDetector extends EventTimeOrderedFunction<AuthEvent, Signal> {
    private static final long serialVersionUID = 1L;

    protected AuthDetector() {
        super(AuthEvent.class, AuthEvents.ORDERING_GRANULE_MS);
    }

    @Override
    protected final Comparator<AuthEvent> tieBreak() {
        return AuthEvents.ORDER;
    }

    @Override
    protected final void sortDue(List<AuthEvent> due) {
        AuthEvents.sort(due);
    }

    @Override
    protected final String describe(AuthEvent e) {
        return e.toString();
    }
}
