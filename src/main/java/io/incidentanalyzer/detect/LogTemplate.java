package io.incidentanalyzer.detect;

import io.incidentanalyzer.detect.baseline.BaselineState;

/**
 * One mined message template of a service and its rate, as the error-pattern detector keeps it.
 * Small and fixed in size: the tokens are capped by {@link LogTokenizer#MAX_TOKENS}, the rate is a
 * ring of one window's buckets, the baseline a few numbers. Times are event time, epoch
 * milliseconds; {@code -1} means unset. A mutable Flink POJO.
 */
public class LogTemplate {
    /** Stable within the service: the order templates were first seen in. */
    public int id;

    /** Masked tokens; {@link TemplateMiner#WILDCARD} where messages differ. */
    public String[] tokens;

    /** Bit {@code i} set: token {@code i} followed whitespace in the first message. */
    public long spaces;

    /** Hash of the token count and the leading tokens: the parse-tree leaf the template sits in. */
    public int path;

    /** Hash of the first token when it is a constant, 0 when it is a wildcard (a quick filter). */
    public int head;

    public long firstSeen = -1;
    public long lastSeen = -1;
    public long total;

    /**
     * The recent rate, by which the rarest is dropped when the book is full: log2 of the lines
     * decayed with the half-life to {@code lastSeen}, plus {@code lastSeen} in half-lives (see
     * {@link TemplateMiner}).
     */
    public double rate;

    /** The latest line of the template (shortened), shown as the example in evidence. */
    public String example;

    /** Lines per bucket over the last window, indexed by bucket number modulo its length. */
    public int[] ring;

    /** Start of the newest bucket counted in the ring; -1 before the first line. */
    public long bucketStart = -1;

    /** Lines per bucket as the template usually writes them. */
    public BaselineState baseline;

    // ---- the episode, while a signal is open ----

    /** Signals the template has opened so far; only the first can be for a new template. */
    public int episodes;

    public boolean open;
    public String signalId;
    public String subject;

    /**
     * Why it opened: true for a template never seen before, false for a surge over its baseline.
     */
    public boolean isNew;

    public long onset = -1;

    /** Lines per window when it opened, at its peak, and in the last OPEN or UPDATE. */
    public int openCount;

    public int peak;
    public long peakTs = -1;
    public int lastReportedPeak;

    /** The baseline's lines per window when it opened (0 for a new template). */
    public double expected;

    /** The last line that kept the rate at the signal's level; clears clearAfter later. */
    public long lastHot = -1;

    public LogTemplate() {}

    /** The template as text: its tokens, with a space where its first message had whitespace. */
    public String text() {
        return LogTokenizer.render(tokens, spaces);
    }
}
