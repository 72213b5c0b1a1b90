package io.incidentanalyzer.draft;

import io.incidentanalyzer.model.HeavyHitter;
import io.incidentanalyzer.model.Measured;
import io.incidentanalyzer.model.Severity;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;

/** The drafter's note of one signal: what it was about, when, and its figures. */
public class SignalNote {
    public String id;
    public SignalKind kind;
    public String service;
    public String subject;
    public Severity severity;
    public long onset;
    public long reported;

    /** Event time its condition ended (its CLEAR's recoveredAt); -1 while open. */
    public long cleared = -1;

    public long peakTs;
    public double peak;
    public double baseline;
    public double value;

    /** Its first piece of evidence, from its latest report. */
    public String evidence;

    /** Its first piece of evidence when it opened. */
    public String openEvidence;

    /** What it measured. */
    public Measured measured;

    /** The value behind most of it, from its latest report that named one; null if none did. */
    public HeavyHitter hitter;

    /** Its value at each report seen, for charts: event times and values, at most MAX_POINTS. */
    public java.util.List<Long> pointTs = new java.util.ArrayList<>();

    public java.util.List<Double> pointValues = new java.util.ArrayList<>();

    static final int MAX_POINTS = 240;

    public SignalNote() {}

    static SignalNote of(Signal s) {
        SignalNote n = new SignalNote();
        n.id = s.id();
        n.kind = s.kind();
        n.service = s.service();
        n.subject = s.subject();
        n.measured = s.measured();
        n.severity = s.severity();
        n.onset = s.onset();
        n.reported = s.ts();
        n.update(s);
        n.openEvidence = n.evidence;
        return n;
    }

    void update(Signal s) {
        if (pointTs.isEmpty() || s.ts() > pointTs.get(pointTs.size() - 1)) {
            pointTs.add(s.ts());
            pointValues.add(s.value());
            if (pointTs.size() > MAX_POINTS) {
                pointTs.remove(0);
                pointValues.remove(0);
            }
        }
        peakTs = s.peakTs();
        peak = s.peak();
        baseline = s.baseline();
        value = s.value();
        evidence = s.evidence().isEmpty() ? "" : s.evidence().get(0);
        if (s.heavyHitter() != null) hitter = s.heavyHitter();
        if (s.state() == io.incidentanalyzer.model.SignalState.CLEAR) {
            cleared = s.recoveredAt() >= 0 ? s.recoveredAt() : s.ts();
        }
    }

    boolean openAt(long t) {
        return onset <= t && (cleared < 0 || t < cleared);
    }

    /** peak / baseline, or 0 without a baseline. */
    double ratio() {
        return baseline > 0 ? peak / baseline : 0;
    }
}
