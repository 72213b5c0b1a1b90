package io.incidentanalyzer.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    private static String fixed(double v, int decimals) {
        StringBuilder b = new StringBuilder();
        JsonText.appendFixed(b, v, decimals);
        return b.toString();
    }

    @Test
    void numbersHaveAFixedNumberOfDecimals() {
        assertThat(fixed(45.1, 2)).isEqualTo("45.10");
        assertThat(fixed(0.000123, 5)).isEqualTo("0.00012");
        assertThat(fixed(99.995, 2)).isEqualTo("100.00");
        assertThat(fixed(-3.25, 1)).isEqualTo("-3.3");
        assertThat(fixed(-0.001, 2)).as("no negative zero").isEqualTo("0.00");
        assertThat(fixed(1234567.4, 0)).isEqualTo("1234567");
        assertThat(fixed(2.5e16, 2))
                .as("beyond a long's exact range")
                .isEqualTo("25000000000000000.00");
    }

    @Test
    void timestampsAreUtcWithMilliseconds() {
        JsonText text = new JsonText();
        for (String t :
                new String[] {
                    "2024-02-16T07:26:03.120Z",
                    "2024-02-16T23:59:59.999Z",
                    "2024-02-17T00:00:00.000Z",
                    "2024-02-29T12:00:00.007Z",
                    "1999-12-31T23:59:59.001Z"
                }) {
            StringBuilder b = new StringBuilder();
            text.appendTimestamp(b, Instant.parse(t).toEpochMilli());
            assertThat(b).hasToString(t);
        }
    }

    @Test
    void stringsAreEscaped() {
        assertThat(JsonText.quote("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
