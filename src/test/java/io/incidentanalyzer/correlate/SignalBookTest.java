package io.incidentanalyzer.correlate;

import static io.incidentanalyzer.model.SignalState.CLEAR;
import static io.incidentanalyzer.model.SignalState.OPEN;
import static io.incidentanalyzer.testing.Fixtures.saturation;
import static io.incidentanalyzer.testing.Fixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.Signal;
import org.junit.jupiter.api.Test;

class SignalBookTest {
    private final StateMap<String, Signal> active = StateMap.inMemory();
    private final StateMap<String, Signal> evidence = StateMap.inMemory();
    private final StateMap<String, String> owners = StateMap.inMemory();
    private final SignalBook book = new SignalBook(active, evidence, owners);

    @Test
    void evidenceIsKeptUpToTheCapWhileEveryJoinedSignalBelongsToTheIncident() throws Exception {
        OpenIncident open = new OpenIncident("env-1", t(0), "title");
        for (int i = 0; i <= SignalBook.MAX_EVIDENCE_SIGNALS; i++) {
            Signal s = saturation("svc" + i, OPEN, t(i), t(i));
            book.opened(s);
            book.join(open, s);
        }
        assertThat(book.evidenceOf(open)).hasSize(SignalBook.MAX_EVIDENCE_SIGNALS);
        assertThat(book.openOf(open)).hasSize(SignalBook.MAX_EVIDENCE_SIGNALS + 1);
        assertThat(open.evidenceKept).isEqualTo(SignalBook.MAX_EVIDENCE_SIGNALS);
    }

    @Test
    void aClearedSignalNotKeptAsEvidenceLeavesItsIncident() throws Exception {
        OpenIncident open = new OpenIncident("env-1", t(0), "title");
        open.evidenceKept = SignalBook.MAX_EVIDENCE_SIGNALS; // nothing more is kept
        Signal s = saturation("index", OPEN, t(0), t(60));
        book.opened(s);
        book.join(open, s);
        Signal cleared = saturation("index", CLEAR, t(0), t(120));
        book.closed(cleared);
        book.clearedIn(cleared);

        assertThat(book.owner(s.id())).isNull();
        assertThat(book.latest(s.id())).isNull();
    }

    @Test
    void releasingAnIncidentKeepsTheSignalsOfOthersAndThoseWaiting() throws Exception {
        OpenIncident one = new OpenIncident("env-1", t(0), "one");
        OpenIncident two = new OpenIncident("env-2", t(600), "two");
        Signal a = saturation("index", OPEN, t(0), t(60));
        Signal b = saturation("payments", OPEN, t(600), t(660));
        Signal waiting = saturation("search", OPEN, t(700), t(760));
        for (Signal s : new Signal[] {a, b, waiting}) book.opened(s);
        book.join(one, a);
        book.join(two, b);

        book.release(one);

        assertThat(book.isOpen(a.id())).isFalse();
        assertThat(book.evidence(a.id())).isNull();
        assertThat(book.openOf(two)).containsExactly(b);
        assertThat(book.waiting()).containsExactly(waiting);
    }
}
