package io.incidentanalyzer.detect;

import io.incidentanalyzer.config.ErrorPatternSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Mines log messages into templates online, after Drain (He et al., ICWS 2017): a message is split
 * into tokens at whitespace and punctuation, its variable parts (numbers, sizes, times, ids, hosts,
 * paths) masked to {@link #WILDCARD} first ({@link LogTokenizer}), and it is compared only with the
 * templates in its parse-tree leaf, the templates of the same token count and the same first {@code
 * depth} tokens (none by default: the first word may be a value too). A template there can take the
 * message only if they agree at every position where both have a constant: events that differ in
 * one word ("Connection opened", "Connection closed") stay apart, where Drain's share of equal
 * tokens would merge them once the rest is long enough. Of those, the one with the most equal
 * tokens takes the message if they are at least {@code similarity} of its tokens, and the positions
 * where they differ become wildcards; otherwise the message starts a new template.
 *
 * <p>The tree is kept flat: a template's leaf never changes (every message in a leaf shares its
 * path, so merging never touches the leading tokens), so each template stores a hash of its path,
 * and one of its first token while that is a constant, and a lookup scans the service's templates,
 * at most {@code maxTemplates}, comparing those two ints first. Bounded without dropping templates
 * in use: a template not seen for {@code forgetAfter} (event time) is dropped, and when a new
 * template finds {@code maxTemplates} in the book, the one with the lowest recent rate (its lines
 * decayed with {@code halfLife}) makes room, so a flood of one-off lines pushes out one-off lines,
 * not the shapes the service writes all the time. The caller counts what is dropped. A template has
 * at most {@link LogTokenizer#MAX_TOKENS} tokens.
 *
 * <p>Stateless itself: the templates live in a {@link TemplateBook} the caller keeps per service.
 */
public final class TemplateMiner implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String WILDCARD = "<*>";

    private static final double LN2 = Math.log(2);

    private final double similarity;
    private final int depth;
    private final int maxTemplates;
    private final long forgetAfterMs;
    private final double halfLifeMs;

    /**
     * What {@link #learn} did with a message.
     *
     * @param template the template the message joined or started
     * @param created whether the message started it
     * @param evicted the templates dropped on the way (forgotten, or the rarest to make room)
     */
    public record Learned(LogTemplate template, boolean created, List<LogTemplate> evicted) {}

    public TemplateMiner(
            double similarity,
            int depth,
            int maxTemplates,
            Duration forgetAfter,
            Duration halfLife) {
        this.similarity = similarity;
        this.depth = depth;
        this.maxTemplates = maxTemplates;
        this.forgetAfterMs = forgetAfter.toMillis();
        this.halfLifeMs = Math.max(1, halfLife.toMillis());
    }

    /** The miner the error-pattern detector uses with these settings. */
    public static TemplateMiner of(ErrorPatternSettings settings) {
        return new TemplateMiner(
                settings.similarity(),
                settings.depth(),
                settings.maxTemplates(),
                settings.forgetAfter(),
                settings.halfLife());
    }

    /**
     * Adds a message at event time {@code ts} to the book: joins a template or starts one. On the
     * way it drops the templates not seen for {@code forgetAfter}, and, when a new template finds
     * the book full, the one with the lowest recent rate.
     */
    public Learned learn(TemplateBook book, String message, long ts) {
        LogTokenizer.Tokens split = LogTokenizer.tokenize(message);
        String[] tokens = split.tokens();
        int path = path(tokens, depth);
        int head = head(tokens);
        LogTemplate best = null;
        int bestSame = -1;
        List<LogTemplate> evicted = List.of();
        for (Iterator<LogTemplate> it = book.templates.iterator(); it.hasNext(); ) {
            LogTemplate t = it.next();
            if (ts - t.lastSeen >= forgetAfterMs) {
                it.remove();
                if (evicted.isEmpty()) evicted = new ArrayList<>(2);
                evicted.add(t);
                continue;
            }
            if (t.path != path
                    || (t.head != head && t.head != 0 && head != 0)
                    || t.tokens.length != tokens.length
                    || !samePath(t.tokens, tokens)) {
                continue;
            }
            int same = sameTokens(t.tokens, tokens);
            if (same > bestSame) { // ties: the older template, first in the list
                best = t;
                bestSame = same;
            }
        }
        if (best != null && bestSame >= similarity * tokens.length) {
            generalize(best.tokens, tokens);
            best.head = head(best.tokens);
            seen(best, ts);
            return new Learned(best, false, evicted);
        }
        if (book.templates.size() >= maxTemplates) {
            LogTemplate rarest = rarest(book.templates);
            book.templates.remove(rarest);
            if (evicted.isEmpty()) evicted = new ArrayList<>(1);
            evicted.add(rarest);
        }
        LogTemplate t = new LogTemplate();
        t.id = book.nextId++;
        t.tokens = tokens;
        t.spaces = split.spaces();
        t.path = path;
        t.head = head;
        t.firstSeen = ts;
        seen(t, ts);
        book.templates.add(t);
        return new Learned(t, true, evicted);
    }

    /** The template with the lowest recent rate; ties: the first, the older template. */
    private static LogTemplate rarest(List<LogTemplate> templates) {
        LogTemplate rarest = templates.get(0);
        for (LogTemplate t : templates) {
            if (t.rate < rarest.rate) rarest = t;
        }
        return rarest;
    }

    /**
     * Counts a line of the template at {@code ts}. Its rate is kept as log2 of its lines decayed
     * with {@code halfLife} to a time, plus that time in half-lives: the figure stays the same
     * while no line comes, so templates compare by it whenever they were last seen, without a
     * logarithm per template and comparison.
     */
    private void seen(LogTemplate t, long ts) {
        double now = Math.max(ts, t.lastSeen) / halfLifeMs;
        double decayed = t.total == 0 ? 0 : Math.pow(2, t.rate - now);
        t.rate = now + Math.log1p(decayed) / LN2;
        t.lastSeen = Math.max(t.lastSeen, ts);
        t.total++;
    }

    private boolean samePath(String[] a, String[] b) {
        for (int i = 0, n = Math.min(depth, a.length); i < n; i++) {
            if (!a[i].equals(b[i])) return false;
        }
        return true;
    }

    /**
     * Tokens equal at equal positions, or -1 when the two disagree where both have a constant: a
     * message joins a template only where one of them has a wildcard, so events that differ in one
     * word ("opened" and "closed") stay apart, however long the rest they share.
     */
    private static int sameTokens(String[] template, String[] message) {
        int same = 0;
        for (int i = 0; i < template.length; i++) {
            if (template[i].equals(message[i])) {
                same++;
            } else if (!template[i].equals(WILDCARD) && !message[i].equals(WILDCARD)) {
                return -1;
            }
        }
        return same;
    }

    private static void generalize(String[] template, String[] message) {
        for (int i = 0; i < template.length; i++) {
            if (!template[i].equals(message[i])) template[i] = WILDCARD;
        }
    }

    /**
     * A hash of the first token when it is a constant, else 0: two different constants there cannot
     * match, and comparing this int first spares a full book the token-by-token comparison of most
     * messages.
     */
    private static int head(String[] tokens) {
        return tokens.length == 0 || tokens[0].equals(WILDCARD) ? 0 : tokens[0].hashCode();
    }

    /** The parse-tree leaf of a message: its token count and first {@code depth} tokens. */
    static int path(String[] tokens, int depth) {
        int h = tokens.length;
        for (int i = 0, n = Math.min(depth, tokens.length); i < n; i++) {
            h = 31 * h + tokens[i].hashCode();
        }
        return h;
    }
}
