package io.incidentanalyzer.evaluate.loghub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** GA and PA on hand-made predictions whose scores are worked out in the comments. */
class ParsingScoresTest {

    @Test
    void groupingAccuracyCountsOnlyGroupsThatAreExactlyOneEvent() {
        List<String> truth = List.of("E1", "E1", "E2", "E2", "E3", "E4");
        // Group a = E1 exactly (2 right); b holds E2 and E3 (3 wrong); c is E4 exactly (1 right).
        List<String> merged = List.of("a", "a", "b", "b", "b", "c");
        // E1 split in two groups: neither is all of E1 (2 wrong); E2, E3, E4 right (4).
        List<String> split = List.of("x", "y", "b", "b", "c", "d");

        assertThat(ParsingScores.groupingAccuracy(merged, truth)).isCloseTo(3 / 6.0, within(1e-9));
        assertThat(ParsingScores.groupingAccuracy(split, truth)).isCloseTo(4 / 6.0, within(1e-9));
        assertThat(ParsingScores.groupingAccuracy(truth, truth)).isEqualTo(1.0);
        // Group names do not matter, only the partition.
        assertThat(ParsingScores.groupingAccuracy(List.of(7, 7, 1, 1, 2, 3), truth)).isEqualTo(1.0);
    }

    @Test
    void parsingAccuracyComparesNormalisedTemplates() {
        List<String> truth =
                List.of(
                        "<*> open through proxy <*> HTTPS",
                        "Took <*> seconds to build instance.",
                        "session opened for user <*>",
                        "Receiving block <*> src: <*>");
        List<String> predicted =
                List.of(
                        // host:port split in two is still one variable: right
                        "<*>:<*> open through proxy <*>:<*>  HTTPS",
                        // 1.5 as two wildcards around a dot: right
                        "Took <*>.<*> seconds to build instance.",
                        // a constant where the truth has a variable: wrong
                        "session opened for user root",
                        // a partly masked token is not a wildcard: wrong
                        "Receiving block blk_<*> src: /<*>");

        assertThat(ParsingScores.parsingAccuracy(predicted, truth)).isEqualTo(0.5);
    }

    @Test
    void normalisingKeepsWhatTellsTemplatesApart() {
        assertThat(ParsingScores.normalise("  a\t<*>  <*>,<*> b ")).isEqualTo("a <*> b");
        assertThat(ParsingScores.normalise("<*> (<*> KB)")).isEqualTo("<*> (<*> KB)");
        assertThat(ParsingScores.normalise("blk_<*>")).isEqualTo("blk_<*>");
        assertThat(ParsingScores.normalise("<*>@<*>/<*>:<*>.<*> CSI")).isEqualTo("<*> CSI");
    }

    @Test
    void listsOfDifferentLengthsAreAMistake() {
        assertThatThrownBy(() -> ParsingScores.groupingAccuracy(List.of("a"), List.of("E1", "E2")))
                .hasMessage("1 predictions for 2 lines");
    }
}
