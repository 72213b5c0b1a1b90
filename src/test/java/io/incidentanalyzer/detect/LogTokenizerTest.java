package io.incidentanalyzer.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How messages become tokens: what is masked, what stays, and that the text still reads. */
class LogTokenizerTest {

    private static String[] tokens(String message) {
        return LogTokenizer.tokenize(message).tokens();
    }

    private static String text(String message) {
        return LogTokenizer.tokenize(message).text();
    }

    @Test
    void masksNumbersIdsHostsPathsAndAddresses() {
        assertThat(tokens("upstream timeout calling api-gpt after 5000 ms"))
                .containsExactly("upstream", "timeout", "calling", "api-gpt", "after", "<*>");
        assertThat(tokens("connected to db-legacy.internal")).endsWith("<*>");
        assertThat(tokens("calling 'api.openai.com', retrying"))
                .containsExactly("calling", "'", "<*>", "'", ",", "retrying");
        assertThat(tokens("db at 10.0.3.17:5432")).containsExactly("db", "at", "<*>");
        assertThat(tokens("id 3f2c9a1e-77b0-4c1e-9d2a-0c7e1b2a9f10")).containsExactly("id", "<*>");
        assertThat(tokens("GET /api/v1/chat")).containsExactly("GET", "<*>");
        assertThat(tokens("mail ops@watermelon.ai")).containsExactly("mail", "<*>");
        assertThat(tokens("from fe80::1ff:fe23:4567:890a")).containsExactly("from", "<*>");
        assertThat(tokens("blob " + "x".repeat(65))).containsExactly("blob", "<*>");
        assertThat(tokens("node node-129 and dn228 and 0x800f080d"))
                .containsExactly("node", "<*>", "and", "<*>", "and", "<*>");
    }

    @Test
    void wordsStayWords() {
        // A class name, an abbreviation, a sentence end, a service name, names with one digit.
        assertThat(tokens("java.lang.IllegalStateException: e.g. exceeded. token-verification"))
                .containsExactly(
                        "java.lang.IllegalStateException",
                        ":",
                        "e.g",
                        ".",
                        "exceeded",
                        ".",
                        "token-verification");
        assertThat(tokens("open through proxy SOCKS5 on eth0 via IPv4"))
                .containsExactly("open", "through", "proxy", "SOCKS5", "on", "eth0", "via", "IPv4");
    }

    @Test
    void anOptionalSizeInBracketsDoesNotChangeTheShape() {
        String[] plain = tokens("host:443 close, 403 bytes sent, 426 bytes received");
        String[] annotated =
                tokens("host:443 close, 1190 bytes (1.16 KB) sent, 10547 bytes (10.2 KB) received");

        assertThat(annotated).containsExactly(plain);
        assertThat(
                        LogTokenizer.tokenize(
                                        "proxy.example.org:443 close, 1190 bytes (1.16 KB) sent")
                                .text())
                .isEqualTo("<*> close, <*> sent");
        // A duration written either way is one value.
        assertThat(tokens("lifetime 00:01")).containsExactly(tokens("lifetime <1 sec"));
    }

    @Test
    void keyValuePairsKeepTheirKeysAndConstantValues() {
        assertThat(tokens("a=b,c=d")).containsExactly("a", "=", "b", ",", "c", "=", "d");
        assertThat(text("authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser="))
                .isEqualTo("authentication failure; logname= uid=<*> euid=<*> tty=NODEVssh ruser=");
        assertThat(text("After Scheduling: PendingReds:0 ScheduledMaps:6"))
                .isEqualTo("After Scheduling: PendingReds:<*> ScheduledMaps:<*>");
    }

    @Test
    void aValueGluedToWordsIsOneValueAndTheTextKeepsItsBrackets() {
        assertThat(text("synchronized to LOCAL(0), stratum 10"))
                .isEqualTo("synchronized to <*>, stratum <*>");
        assertThat(text("session opened for user root by (uid=0)"))
                .isEqualTo("session opened for user root by (uid=<*>)");
        assertThat(text("Fan speeds ( 3552 3534 3375 **** 3515 3479 )"))
                .isEqualTo("Fan speeds ( <*> **** <*> )");
    }

    @Test
    void aTimestampWithDayAndMonthNamesIsOneValue() {
        assertThat(
                        text(
                                "connection from 24.54.76.216 (host-24.example.net) at Fri Jun 17"
                                        + " 07:07:00 2005"))
                .isEqualTo("connection from <*> at <*>");
        // An empty value in brackets is shaped as a filled one: the same template.
        assertThat(tokens("connection from 222.33.90.199 () at Mon Jul  4 03:40:59 2005"))
                .containsExactly(
                        tokens(
                                "connection from 24.54.76.216 (h.example.net) at Fri Jun 17"
                                        + " 07:07:00 2005"));
        assertThat(tokens("deploy due in May")).containsExactly("deploy", "due", "in", "May");
    }

    @Test
    void longMessagesEndInOneWildcard() {
        String[] t = tokens("word ".repeat(100));

        assertThat(t).hasSize(LogTokenizer.MAX_TOKENS);
        assertThat(t[LogTokenizer.MAX_TOKENS - 1]).isEqualTo(TemplateMiner.WILDCARD);
        // A 64 KB line of short words is read only as far as a template could reach.
        String[] huge = tokens("k=v ".repeat(16_000));
        assertThat(huge).hasSize(LogTokenizer.MAX_TOKENS);
        assertThat(huge[0]).isEqualTo("k");
        assertThat(huge[LogTokenizer.MAX_TOKENS - 1]).isEqualTo(TemplateMiner.WILDCARD);
        assertThat(tokens("")).isEmpty();
        assertThat(tokens(null)).isEmpty();
    }
}
