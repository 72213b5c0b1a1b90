package io.incidentanalyzer.draft;

import io.incidentanalyzer.model.HeavyHitter;
import io.incidentanalyzer.model.RootCause;
import java.util.Locale;

/**
 * Sentences about typed evidence that other stages print as they are (the command line's incident
 * lines): the one place they are worded, so the drafts and the console say the same.
 */
public final class Phrases {
    private Phrases() {}

    /** "clientVersion 2.4.1: 93% of the excess refreshes (≥ 1,464 of 1,489)". */
    public static String heavyHitter(HeavyHitter h) {
        return String.format(
                Locale.ROOT,
                "%s %s: %d%% of the excess refreshes (≥ %,d of %,d)",
                h.dimension(),
                h.value(),
                Math.round(100 * h.share()),
                h.count(),
                h.excess());
    }

    /**
     * The evidence that carries a cause best: the value behind it when one is, else its first fact;
     * empty without evidence.
     */
    public static String bestEvidence(RootCause c) {
        if (c.heavyHitter() != null) return heavyHitter(c.heavyHitter());
        return c.evidence().isEmpty() ? "" : c.evidence().get(0);
    }
}
