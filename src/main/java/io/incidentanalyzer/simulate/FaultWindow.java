package io.incidentanalyzer.simulate;

/**
 * A fault on the simulation's clock: when it starts, when its effect ends (its {@code until}, the
 * first action at or after its onset that {@code stops} it, or the scenario's end, whichever is
 * first) and how strong it is at a moment: 0 before the onset, rising linearly to 1 over its {@code
 * ramp}, 0 again from the end.
 */
record FaultWindow(FaultSpec spec, long onset, long end, long ramp) {

    static FaultWindow of(FaultSpec f, Scenario s) {
        long onset = s.instant(f.at()).toEpochMilli();
        long end = s.endInstant().toEpochMilli();
        if (f.until() != null) end = Math.min(end, s.instant(f.until()).toEpochMilli());
        for (ActionSpec a : s.actions()) {
            long at = s.instant(a.at()).toEpochMilli();
            if (a.stops().contains(f.id()) && at >= onset) end = Math.min(end, at);
        }
        return new FaultWindow(f, onset, Math.max(onset, end), Math.max(1, f.ramp().toMillis()));
    }

    FaultKind kind() {
        return spec.kind();
    }

    boolean active(long t) {
        return t >= onset && t < end;
    }

    double strength(long t) {
        if (t < onset || t >= end) return 0;
        long d = t - onset;
        return d >= ramp ? 1 : (double) d / ramp;
    }

    /** 1 + (factor − 1) × strength: how many times slower (or larger) at {@code t}. */
    double factorAt(long t, double factor) {
        return 1 + (factor - 1) * strength(t);
    }
}
