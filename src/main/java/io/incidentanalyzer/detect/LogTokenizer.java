package io.incidentanalyzer.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a log message into the tokens the {@link TemplateMiner} compares, variable parts masked to
 * {@link TemplateMiner#WILDCARD}, and remembers where the message had whitespace so that a template
 * still reads like its messages.
 *
 * <p>A message is cut at whitespace into words; brackets, quotes and sentence punctuation around a
 * word become tokens of their own. A word that is a value as a whole is one wildcard: a URL, a
 * path, an address with {@code @}, an IPv6 or MAC address, anything over {@value #MAX_TOKEN_CHARS}
 * characters. Any other word is cut at the punctuation inside it ({@code ( ) [ ] { } < > , ; : = "
 * ' |}) into pieces; a piece is variable when it starts with a digit (numbers, sizes, times, dates,
 * ids such as {@code 3f2c…}), holds a digit and is not a name with a one-digit suffix ({@code eth0}
 * and {@code SOCKS5} stay), or is a lower-case host name ({@code db1.example.internal}). A word
 * with a variable piece is one wildcard, unless it has the form {@code key=value} or {@code
 * key:value}: there only the value is masked ({@code uid=<*>}, {@code PendingReds:<*>}), so a
 * {@code key=value} list keeps its keys.
 *
 * <p>Then the variable parts are made one token each, so that a value written in more or fewer
 * pieces does not change the message's shape: a unit after a number ({@code 30 ms}, {@code 1.2 KB})
 * and a day or month name next to a wildcard ({@code Fri Jun 17 07:07:00 2005}) join the wildcard;
 * a bracketed wildcard right after a wildcard is its annotation ({@code 1234 bytes (1.2 KB)});
 * wildcards in a row, or joined by {@code :} or {@code ,} without whitespace ({@code host:port}),
 * are one. At most {@link #MAX_TOKENS} tokens: a longer message ends in one wildcard standing for
 * the rest, and only its first {@link #READ_LIMIT} pieces are read.
 */
public final class LogTokenizer {
    private LogTokenizer() {}

    /** Tokens a template keeps; also the number of bits of {@link Tokens#spaces()}. */
    public static final int MAX_TOKENS = 40;

    /**
     * Pieces read from one message at most; the rest is one wildcard. Far more than a template
     * keeps, so only what {@link #MAX_TOKENS} would cut anyway is left unread, and a line of tens
     * of thousands of words costs no more than a long one.
     */
    private static final int READ_LIMIT = 4 * MAX_TOKENS;

    /** A longer word is taken for a blob or an id and masked. */
    static final int MAX_TOKEN_CHARS = 64;

    private static final String WILDCARD = TemplateMiner.WILDCARD;

    /** Stripped from the start of a word (a {@code <} before a digit is a comparison, kept). */
    private static final String OPENERS = "([{<'\"";

    /** Stripped from the end of a word, unless a closing bracket's opener is in the word. */
    private static final String CLOSERS = ")]}>'\",;:.!?";

    /** Cut a word into pieces. */
    private static final String SEPARATORS = "()[]{}<>,;:=\"'|";

    private static final int OPENER = 1;
    private static final int CLOSER = 2;
    private static final int SEPARATOR = 4;

    /** {@link #OPENERS}, {@link #CLOSERS} and {@link #SEPARATORS} as bits per ASCII character. */
    private static final byte[] CLASSES = new byte[128];

    /** One-character tokens, so that punctuation does not cost a string per line. */
    private static final String[] CHARACTERS = new String[128];

    static {
        for (char c : OPENERS.toCharArray()) CLASSES[c] |= OPENER;
        for (char c : CLOSERS.toCharArray()) CLASSES[c] |= CLOSER;
        for (char c : SEPARATORS.toCharArray()) CLASSES[c] |= SEPARATOR;
        for (char c = 0; c < 128; c++) CHARACTERS[c] = String.valueOf(c);
    }

    private static boolean is(char c, int kind) {
        return c < 128 && (CLASSES[c] & kind) != 0;
    }

    private static String character(char c) {
        return c < 128 ? CHARACTERS[c] : String.valueOf(c);
    }

    /** Size and duration units, lower case, that join the number before them. */
    private static final Set<String> UNITS =
            Set.of(
                    "b", "byte", "bytes", "kb", "kib", "mb", "mib", "gb", "gib", "tb", "k", "m",
                    "g", "ns", "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "min",
                    "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "d", "day",
                    "days", "%");

    /** Day and month names (English, as log timestamps write them). */
    private static final Set<String> DATE_NAMES =
            Set.of(
                    "Mon",
                    "Tue",
                    "Wed",
                    "Thu",
                    "Fri",
                    "Sat",
                    "Sun",
                    "Monday",
                    "Tuesday",
                    "Wednesday",
                    "Thursday",
                    "Friday",
                    "Saturday",
                    "Sunday",
                    "Jan",
                    "Feb",
                    "Mar",
                    "Apr",
                    "May",
                    "Jun",
                    "Jul",
                    "Aug",
                    "Sep",
                    "Sept",
                    "Oct",
                    "Nov",
                    "Dec",
                    "January",
                    "February",
                    "March",
                    "April",
                    "June",
                    "July",
                    "August",
                    "September",
                    "October",
                    "November",
                    "December");

    /**
     * A message's tokens.
     *
     * @param tokens the tokens, masked, at most {@link #MAX_TOKENS}
     * @param spaces bit {@code i} is set when token {@code i} followed whitespace
     */
    public record Tokens(String[] tokens, long spaces) {
        /** The tokens joined as the message had them: a space where it had whitespace. */
        public String text() {
            return render(tokens, spaces);
        }
    }

    /** Tokens joined with a space before each token whose bit is set in {@code spaces}. */
    public static String render(String[] tokens, long spaces) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            if (i > 0 && (spaces & (1L << i)) != 0) s.append(' ');
            s.append(tokens[i]);
        }
        return s.toString();
    }

    /** A token on its way: its text, whitespace before it, and what kind of value it is. */
    private record Raw(String text, boolean space, boolean variable, boolean number) {
        static Raw constant(String text, boolean space) {
            return new Raw(text, space, false, false);
        }

        static Raw wildcard(boolean space, boolean number) {
            return new Raw(WILDCARD, space, true, number);
        }
    }

    public static Tokens tokenize(String message) {
        List<Raw> raw = new ArrayList<>(16);
        int n = message == null ? 0 : message.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(message.charAt(i))) i++;
            if (i == n) break;
            if (raw.size() >= READ_LIMIT) {
                raw.add(Raw.wildcard(true, false));
                break;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(message.charAt(i))) i++;
            word(message.substring(start, i), !raw.isEmpty(), raw);
        }
        return join(raw);
    }

    /** Adds the tokens of one whitespace-free word. */
    private static void word(String w, boolean space, List<Raw> out) {
        int from = 0;
        int to = w.length();
        while (from < to
                && is(w.charAt(from), OPENER)
                && !(w.charAt(from) == '<' && from + 1 < to && isDigit(w.charAt(from + 1)))) {
            from++;
        }
        while (to > from && is(w.charAt(to - 1), CLOSER)) {
            int bracket = ")]}>".indexOf(w.charAt(to - 1));
            if (bracket >= 0 && w.lastIndexOf("([{<".charAt(bracket), to - 2) >= from) break;
            to--;
        }
        for (int k = 0; k < from; k++) {
            out.add(Raw.constant(character(w.charAt(k)), space && k == 0));
        }
        boolean gap = space && from == 0;
        String core = w.substring(from, to);
        if (core.isEmpty()) {
            // "()" or "[]": an empty value, shaped as a filled one would be.
            if (from > 0 && to < w.length() && isPair(w.charAt(from - 1), w.charAt(to))) {
                out.add(Raw.wildcard(false, false));
            }
        } else if (isValue(core)) {
            out.add(Raw.wildcard(gap, startsNumeric(core)));
        } else {
            pieces(core, gap, out);
        }
        for (int k = to; k < w.length(); k++) {
            out.add(Raw.constant(character(w.charAt(k)), space && k == 0));
        }
    }

    private static boolean isPair(char open, char close) {
        int i = "([{<".indexOf(open);
        return i >= 0 && ")]}>".charAt(i) == close;
    }

    /** Cuts a word's core at its separators and masks the variable pieces (see the class doc). */
    private static void pieces(String core, boolean space, List<Raw> out) {
        List<Raw> pieces = new ArrayList<>(4);
        boolean variable = false;
        boolean keyed = false;
        int i = 0;
        int n = core.length();
        while (i < n) {
            char c = core.charAt(i);
            if (is(c, SEPARATOR)) {
                pieces.add(Raw.constant(character(c), false));
                keyed |= c == '=' || c == ':';
                i++;
                continue;
            }
            int start = i;
            while (i < n && !is(core.charAt(i), SEPARATOR)) i++;
            String piece = core.substring(start, i);
            if (isVariable(piece)) {
                variable = true;
                pieces.add(Raw.wildcard(false, startsNumeric(piece)));
            } else {
                pieces.add(Raw.constant(piece, false));
            }
        }
        if (variable && !keyed) {
            out.add(Raw.wildcard(space, startsNumeric(core)));
            return;
        }
        Raw first = pieces.get(0);
        pieces.set(0, new Raw(first.text, space, first.variable, first.number));
        out.addAll(pieces);
    }

    /** Makes each variable part one token (see the class doc) and caps the count. */
    private static Tokens join(List<Raw> raw) {
        List<Raw> out = new ArrayList<>(raw.size());
        for (int k = 0; k < raw.size(); k++) {
            Raw t = raw.get(k);
            Raw prev = out.isEmpty() ? null : out.get(out.size() - 1);
            boolean afterWildcard = prev != null && prev.variable;
            if (afterWildcard && prev.number && UNITS.contains(t.text.toLowerCase(Locale.ROOT))) {
                continue;
            }
            if (DATE_NAMES.contains(t.text) && (afterWildcard || dateAhead(raw, k))) {
                t = Raw.wildcard(t.space, false);
            }
            int annotation = afterWildcard ? annotation(raw, k) : 0;
            if (annotation > 0) {
                k += annotation - 1;
                continue;
            }
            if (afterWildcard && t.variable) continue;
            if (t.variable && glued(out, t)) {
                out.remove(out.size() - 1);
                continue;
            }
            out.add(t);
        }
        int count = Math.min(out.size(), MAX_TOKENS);
        String[] tokens = new String[count];
        long spaces = 0;
        for (int i = 0; i < count; i++) {
            tokens[i] = out.get(i).text;
            if (out.get(i).space) spaces |= 1L << i;
        }
        if (out.size() > MAX_TOKENS) tokens[MAX_TOKENS - 1] = WILDCARD;
        return new Tokens(tokens, spaces);
    }

    /** A run of day and month names at {@code k} that ends in a wildcard. */
    private static boolean dateAhead(List<Raw> raw, int k) {
        int q = k;
        while (q < raw.size() && DATE_NAMES.contains(raw.get(q).text)) q++;
        return q < raw.size() && raw.get(q).variable;
    }

    /**
     * How many tokens from {@code k} are a value alone in brackets, {@code ( <*> )} or {@code ( <*>
     * unit )}; 0 when they are not.
     */
    private static int annotation(List<Raw> raw, int k) {
        if (k + 2 >= raw.size() || !raw.get(k).text.equals("(") || !raw.get(k + 1).variable) {
            return 0;
        }
        if (raw.get(k + 2).text.equals(")")) return 3;
        boolean unit =
                k + 3 < raw.size()
                        && raw.get(k + 1).number
                        && UNITS.contains(raw.get(k + 2).text.toLowerCase(Locale.ROOT))
                        && raw.get(k + 3).text.equals(")");
        return unit ? 4 : 0;
    }

    /**
     * Whether the last two tokens are a wildcard and a {@code :} or {@code ,} touching {@code t}.
     */
    private static boolean glued(List<Raw> out, Raw t) {
        if (out.size() < 2 || t.space) return false;
        Raw glue = out.get(out.size() - 1);
        return !glue.space
                && (glue.text.equals(":") || glue.text.equals(","))
                && out.get(out.size() - 2).variable;
    }

    /** A word that is a value as a whole (see the class doc). */
    private static boolean isValue(String core) {
        if (core.length() > MAX_TOKEN_CHARS) return true;
        if (core.contains("://") || core.indexOf('@') >= 0) return true;
        if (core.startsWith("/") || core.startsWith("\\") || core.startsWith("~/")) return true;
        if (core.length() > 2 && core.charAt(1) == ':' && core.charAt(2) == '\\') return true;
        int slashes = 0;
        int colons = 0;
        boolean digit = false;
        boolean hexOnly = true;
        for (int i = 0; i < core.length(); i++) {
            char c = core.charAt(i);
            if (c == '/') slashes++;
            if (c == ':') colons++;
            digit |= isDigit(c);
            hexOnly &= Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '-';
        }
        // A path, or an IPv6 or MAC address (or a time of day written with colons).
        return slashes >= 2 || (hexOnly && colons >= 2 && digit);
    }

    /** A piece that stands for a value (see the class doc). */
    static boolean isVariable(String piece) {
        if (piece.length() > MAX_TOKEN_CHARS || startsNumeric(piece)) return true;
        int digits = 0;
        int letters = 0;
        boolean lettersThenDigits = true;
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (isDigit(c)) {
                digits++;
            } else {
                if (digits > 0 || !Character.isLetter(c)) lettersThenDigits = false;
                letters++;
            }
        }
        if (digits > 0) {
            // A name with a one-digit suffix (eth0, SOCKS5, IPv4) is a name, not a value.
            return !(lettersThenDigits && digits == 1 && letters >= 2);
        }
        return isHostName(piece);
    }

    /** A digit first, or a sign or comparison before a digit: a number, a size, a time, an id. */
    private static boolean startsNumeric(String s) {
        if (s.isEmpty()) return false;
        char c = s.charAt(0);
        if (isDigit(c)) return true;
        return "+-<>~#".indexOf(c) >= 0 && s.length() > 1 && isDigit(s.charAt(1));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * A lower-case host name: labels of letters, digits and inner hyphens, two or more, the last
     * all letters (so "e.g" and "java.lang.Foo" stay words).
     */
    static boolean isHostName(String token) {
        int labels = 1;
        int labelStart = 0;
        boolean lastAllLetters = true;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (i == labelStart || token.charAt(i - 1) == '-') return false;
                labels++;
                labelStart = i + 1;
                lastAllLetters = true;
            } else if (c == '-' || isDigit(c)) {
                if (c == '-' && i == labelStart) return false;
                lastAllLetters = false;
            } else if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return labels >= 2 && token.length() - labelStart >= 2 && lastAllLetters;
    }
}
