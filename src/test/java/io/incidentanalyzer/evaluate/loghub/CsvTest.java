package io.incidentanalyzer.evaluate.loghub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CSV reader on what pandas writes: quoted commas, quotes and line breaks. */
class CsvTest {

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() {
        String text =
                "LineId,Content,EventId\r\n"
                        + "1,plain,E1\r\n"
                        + "2,\"a, b\",E2\n"
                        + "3,\"say \"\"hi\"\"\",E3\n"
                        + "4,\"Page bounds {{0, 0}\n{400, 400}}\",E4\n"
                        + "5,,E5";

        List<List<String>> records = Csv.parse("f.csv", text);

        assertThat(records)
                .containsExactly(
                        List.of("LineId", "Content", "EventId"),
                        List.of("1", "plain", "E1"),
                        List.of("2", "a, b", "E2"),
                        List.of("3", "say \"hi\"", "E3"),
                        List.of("4", "Page bounds {{0, 0}\n{400, 400}}", "E4"),
                        List.of("5", "", "E5"));
    }

    @Test
    void anUnendedQuoteNamesItsRecord() {
        assertThatThrownBy(() -> Csv.parse("f.csv", "a,b\n1,2\n3,\"oops\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("f.csv:3: a quoted field never ends");
    }
}
