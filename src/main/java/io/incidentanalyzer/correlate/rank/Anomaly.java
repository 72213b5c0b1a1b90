package io.incidentanalyzer.correlate.rank;

import java.util.Objects;

/**
 * One anomalous series of one node: when it started, how strong it is on the ranker's calibrated
 * scale, what it measured ({@link Facet}) and, for a call's latency, which dependency it was
 * measured towards. A node usually has several; the ranker reads them all.
 *
 * @param node the service or component the series belongs to, as named in the {@link
 *     DependencyGraph}
 * @param onset event time (epoch ms) the anomaly started
 * @param score how anomalous, in [0, 1] (clamped); evidence measured in baseline scales is put on
 *     this scale by {@link #calibrate}
 * @param kind what was seen (a signal kind such as {@code SATURATION}, or a metric name), matched
 *     against the ranker's known causal chains
 * @param detail a short human description, quoted in the evidence (may be empty)
 * @param facet what the series measures, which decides whom it points at
 * @param peer for {@link Facet#CALL_LATENCY}: the dependency called (null when the series covers
 *     every call the node makes)
 * @param excess the harmful move in the series' own unit (seconds of latency, say), NaN when
 *     unknown. Latency adds up along a call, so the ranker compares a node's latency excess with
 *     its dependency's in the same metric ({@link #kind}): a dependency slower by 3 ms does not
 *     explain a caller slower by 80 ms, whatever their scores
 */
public record Anomaly(
        String node,
        long onset,
        double score,
        String kind,
        String detail,
        Facet facet,
        String peer,
        double excess) {

    /** What an anomalous series measures. */
    public enum Facet {
        /** CPU, memory, a pool or a queue of the node itself: a fault there stays local. */
        RESOURCE,
        /** The node's own response time, as it serves its callers (server side). */
        LATENCY,
        /**
         * The response time the node sees on its calls to {@code peer} (client side; every
         * dependency when {@code peer} is null): it points at the dependency or the network between
         * them, not at the node.
         */
        CALL_LATENCY,
        /** Failed requests, served or answered. */
        ERRORS,
        /** The requests the node receives. */
        LOAD,
        /** Anything else the node shows (a detector's signal read as a whole). */
        OTHER
    }

    public Anomaly {
        Objects.requireNonNull(node, "node");
        kind = kind == null ? "" : kind;
        detail = detail == null ? "" : detail;
        facet = facet == null ? Facet.OTHER : facet;
        score = Double.isNaN(score) ? 0 : Math.max(0, Math.min(1, score));
    }

    /** An anomaly whose excess in its own unit is unknown. */
    public Anomaly(
            String node,
            long onset,
            double score,
            String kind,
            String detail,
            Facet facet,
            String peer) {
        this(node, onset, score, kind, detail, facet, peer, Double.NaN);
    }

    /** Whether {@link #excess} is known. */
    public boolean hasExcess() {
        return !Double.isNaN(excess);
    }

    public Anomaly(String node, long onset, double score, String kind, String detail) {
        this(node, onset, score, kind, detail, Facet.OTHER, null);
    }

    public Anomaly(String node, long onset, double score, String kind) {
        this(node, onset, score, kind, "", Facet.OTHER, null);
    }

    /** Below this many baseline scales a move is not evidence ({@link #calibrate} gives 0). */
    public static final double CALIBRATION_FLOOR = 3.0;

    /** A move of this many baseline scales scores 1. */
    public static final double CALIBRATION_CEILING = 1000.0;

    /**
     * The ranker's one scale: a move of {@code scales} robust baseline scales as a score in [0, 1],
     * logarithmic between {@value #CALIBRATION_FLOOR} (0) and {@value #CALIBRATION_CEILING} (1), so
     * a fault 500 scales away still outweighs a symptom 10 scales away (0.89 against 0.21) instead
     * of both saturating near 1.
     */
    public static double calibrate(double scales) {
        if (!(scales > CALIBRATION_FLOOR)) return 0;
        return Math.min(
                1,
                Math.log(scales / CALIBRATION_FLOOR)
                        / Math.log(CALIBRATION_CEILING / CALIBRATION_FLOOR));
    }
}
