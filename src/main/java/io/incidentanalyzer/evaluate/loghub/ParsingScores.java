package io.incidentanalyzer.evaluate.loghub;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The two standard measures of a log parser, line by line against the ground truth.
 *
 * <ul>
 *   <li><b>Grouping accuracy</b> (GA, Zhu et al., ICSE-SEIP 2019): a line is correct when the lines
 *       the parser grouped with it are exactly the lines of its ground-truth event; GA is the share
 *       of correct lines. Only the partition counts, not the template text.
 *   <li><b>Parsing accuracy</b> (PA, as loghub-2.0's evaluator computes it: Khan et al., ICSE
 *       2022): a line is correct when the template the parser gives it equals its ground-truth
 *       template; both strings are first {@linkplain #normalise normalised}, so that two spellings
 *       of the same template do not count as different.
 * </ul>
 */
public final class ParsingScores {
    private ParsingScores() {}

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /**
     * Wildcards joined only by whitespace or by the characters that glue the parts of one value
     * ({@code . : , ; / \ @ _ -}): one variable, however a parser splits it ("host:port",
     * "10.0.0.1", "&lt;*&gt;, &lt;*&gt;").
     */
    private static final Pattern WILDCARD_RUN =
            Pattern.compile("<\\*>(?:[\\s.:,;/\\\\@_-]*<\\*>)+");

    /**
     * Share of lines whose group is exactly their event's lines. {@code predicted} holds each
     * line's group (any object with equals/hashCode, e.g. a template id), {@code truth} its event
     * id.
     */
    public static double groupingAccuracy(List<?> predicted, List<String> truth) {
        check(predicted, truth);
        Map<Object, Integer> groupSize = new HashMap<>();
        Map<String, Integer> eventSize = new HashMap<>();
        // The event of each group, or null once the group holds lines of two events.
        Map<Object, String> groupEvent = new HashMap<>();
        Map<Object, Boolean> pure = new HashMap<>();
        for (int i = 0; i < truth.size(); i++) {
            Object g = predicted.get(i);
            String e = truth.get(i);
            groupSize.merge(g, 1, Integer::sum);
            eventSize.merge(e, 1, Integer::sum);
            String first = groupEvent.putIfAbsent(g, e);
            if (first != null && !first.equals(e)) pure.put(g, false);
        }
        int correct = 0;
        for (Map.Entry<Object, Integer> g : groupSize.entrySet()) {
            boolean whole =
                    pure.getOrDefault(g.getKey(), true)
                            && eventSize.get(groupEvent.get(g.getKey())).equals(g.getValue());
            if (whole) correct += g.getValue();
        }
        return truth.isEmpty() ? 0 : (double) correct / truth.size();
    }

    /** Share of lines whose template equals their ground-truth template, both normalised. */
    public static double parsingAccuracy(List<String> predicted, List<String> truth) {
        check(predicted, truth);
        int correct = 0;
        for (int i = 0; i < truth.size(); i++) {
            if (normalise(predicted.get(i)).equals(normalise(truth.get(i)))) correct++;
        }
        return truth.isEmpty() ? 0 : (double) correct / truth.size();
    }

    /**
     * A template in the form both sides are compared in: every run of whitespace is one space, with
     * none at either end, and every run of wildcards joined only by whitespace or {@code . : , ; /
     * \ @ _ -} is one wildcard ({@code <*>:<*>} and {@code <*>.<*>} are one {@code <*>}).
     */
    public static String normalise(String template) {
        String t = WHITESPACE.matcher(template).replaceAll(" ").strip();
        return WILDCARD_RUN.matcher(t).replaceAll("<*>");
    }

    private static void check(List<?> predicted, List<String> truth) {
        if (predicted.size() != truth.size()) {
            throw new IllegalArgumentException(
                    predicted.size() + " predictions for " + truth.size() + " lines");
        }
    }
}
