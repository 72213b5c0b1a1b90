package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.detect.sketch.SpaceSaving;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.HeavyHitter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Space-Saving summaries of the refresh events along the four dimensions a storm is traced to:
 * client id, client version, user and address. One instance summarizes one stretch of time (a
 * bucket, a reference window, an episode); instances of the same capacity merge. A Flink POJO.
 */
public class HeavyHitters {
    /** The dimensions, in report order, as named in evidence. */
    static final String[] DIMENSIONS = {"clientVersion", "clientId", "userId", "ip"};

    /** A hitter is reported when it carries at least this share of the excess. */
    static final double REPORT_SHARE = 0.10;

    /** At most this many hitters per dimension in the evidence. */
    static final int REPORT_TOP = 3;

    public SpaceSaving clientVersion;
    public SpaceSaving clientId;
    public SpaceSaving userId;
    public SpaceSaving ip;

    /** For Flink; use {@link #HeavyHitters(int)}. */
    public HeavyHitters() {}

    public HeavyHitters(int capacity) {
        clientVersion = new SpaceSaving(capacity);
        clientId = new SpaceSaving(capacity);
        userId = new SpaceSaving(capacity);
        ip = new SpaceSaving(capacity);
    }

    void add(AuthEvent e) {
        clientVersion.add(e.clientVersion());
        clientId.add(e.clientId());
        userId.add(e.userId());
        ip.add(e.ip());
    }

    void merge(HeavyHitters other) {
        clientVersion.merge(other.clientVersion);
        clientId.merge(other.clientId);
        userId.merge(other.userId);
        ip.merge(other.ip);
    }

    void clear() {
        clientVersion.clear();
        clientId.clear();
        userId.clear();
        ip.clear();
    }

    SpaceSaving dimension(int d) {
        return switch (d) {
            case 0 -> clientVersion;
            case 1 -> clientId;
            case 2 -> userId;
            default -> ip;
        };
    }

    /**
     * One line per dimension: the values that carry most of the episode's excess refreshes over the
     * baseline. A value's usual count in the episode is its count in the reference, scaled from the
     * reference's length to the episode's; its excess is its episode count minus that. The share
     * uses the estimated count; "≥" is the guaranteed part (Space-Saving's count minus its error,
     * minus the most the reference can have held), so it never overstates.
     *
     * @param reference the rolling reference (current and previous window, either may be empty)
     * @param referenceBuckets buckets the reference summarizes
     * @param episodeBuckets buckets this summary (the episode) covers
     * @param excess the episode's refreshes minus the baseline's expectation, more than zero
     * @return the lines, and the top value of the first dimension that has one carrying {@link
     *     #REPORT_SHARE} of the excess (null when none does)
     */
    Description describe(
            HeavyHitters reference,
            HeavyHitters previous,
            long referenceBuckets,
            long episodeBuckets,
            long excess) {
        List<String> lines = new ArrayList<>(DIMENSIONS.length);
        HeavyHitter first = null;
        double scale = referenceBuckets > 0 ? (double) episodeBuckets / referenceBuckets : 0;
        for (int d = 0; d < DIMENSIONS.length; d++) {
            SpaceSaving episode = dimension(d);
            SpaceSaving ref = reference.dimension(d);
            SpaceSaving prev = previous.dimension(d);
            List<Hitter> hitters = new ArrayList<>();
            for (SpaceSaving.Counter c : episode.top(episode.size)) {
                double usual = scale * (ref.upperBound(c.item()) + prev.upperBound(c.item()));
                hitters.add(new Hitter(c.item(), c.count() - usual, c.guaranteed() - usual));
            }
            hitters.sort(
                    Comparator.comparingDouble(Hitter::excess)
                            .reversed()
                            .thenComparing(Hitter::item));
            List<String> shown = new ArrayList<>();
            for (Hitter h : hitters) {
                if (shown.size() == REPORT_TOP || h.excess() < REPORT_SHARE * excess) break;
                HeavyHitter typed =
                        new HeavyHitter(
                                DIMENSIONS[d],
                                h.item(),
                                Math.min(1.0, h.excess() / excess),
                                // Capped: other values may have refreshed less than usual,
                                // so one value's excess can exceed the total.
                                (long) Math.max(0, Math.min(excess, h.guaranteedExcess())),
                                excess);
                if (first == null) first = typed;
                shown.add(
                        String.format(
                                Locale.ROOT,
                                "%s: %d%% of the excess refreshes (≥ %,d of %,d)",
                                typed.value(),
                                Math.round(100 * typed.share()),
                                typed.count(),
                                excess));
            }
            if (!shown.isEmpty()) {
                lines.add(DIMENSIONS[d] + " " + String.join("; ", shown));
            } else {
                List<SpaceSaving.Counter> top = episode.top(1);
                lines.add(
                        top.isEmpty()
                                ? DIMENSIONS[d] + ": no values"
                                : String.format(
                                        Locale.ROOT,
                                        "%s: no value carries %d%% of the excess (the most"
                                                + " frequent, %s, has at most %,d of %,d"
                                                + " refreshes)",
                                        DIMENSIONS[d],
                                        Math.round(REPORT_SHARE * 100),
                                        top.get(0).item(),
                                        top.get(0).count(),
                                        episode.total));
            }
        }
        return new Description(lines, first);
    }

    /**
     * The heavy hitters of an episode.
     *
     * @param lines one per dimension, in words, for the signal's evidence
     * @param top the first dimension's leading value that carries the reporting share, or null
     */
    record Description(List<String> lines, HeavyHitter top) {}

    private record Hitter(String item, double excess, double guaranteedExcess) {}
}
