package io.incidentanalyzer.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.ErrorPatternSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Drain-style miner on its own: masking, merging, keeping apart, and its bound. */
class TemplateMinerTest {
    private final TemplateMiner miner = TemplateMiner.of(ErrorPatternSettings.defaults());
    private final TemplateBook book = new TemplateBook();

    private LogTemplate learn(String message, long ts) {
        return miner.learn(book, message, ts).template();
    }

    @Test
    void messagesOfOneShapeShareATemplate() {
        LogTemplate a = learn("connected to database host db-main.internal", 1);
        LogTemplate b = learn("connected to database host db-legacy.internal", 2);
        LogTemplate c = learn("upstream timeout calling token-verification after 5000 ms", 3);
        LogTemplate d = learn("upstream timeout calling token-verification after 30 s", 4);

        assertThat(b).isSameAs(a);
        assertThat(a.text()).isEqualTo("connected to database host <*>");
        assertThat(d).isSameAs(c);
        assertThat(c.text()).isEqualTo("upstream timeout calling token-verification after <*>");
        assertThat(c.total).isEqualTo(2);
        assertThat(c.firstSeen).isEqualTo(3);
        assertThat(c.lastSeen).isEqualTo(4);
        assertThat(book.templates).hasSize(2);
    }

    @Test
    void differentShapesStayApart() {
        LogTemplate deadline = learn("deadline exceeded", 1);
        LogTemplate unauthorized = learn("401 Unauthorized: request without bearer token", 2);
        LogTemplate internal =
                learn("500 Internal Server Error: unhandled exception in request handler", 3);
        LogTemplate health = learn("health report", 4);
        LogTemplate started = learn("started version 7.3.0", 5);
        LogTemplate stopped = learn("started worker pool", 6);

        assertThat(java.util.List.of(deadline, unauthorized, internal, health, started, stopped))
                .doesNotHaveDuplicates();
        assertThat(book.templates).hasSize(6);
        // Same token count, only the rest differing: compared, and kept apart.
        LogTemplate a = learn("cache miss for session alpha beta gamma", 7);
        LogTemplate b = learn("cache miss because eviction was too eager", 8);
        assertThat(b).isNotSameAs(a);
        assertThat(a.text()).isEqualTo("cache miss for session alpha beta gamma");
    }

    /**
     * A message joins a template only where one of them has a wildcard: one differing word is
     * another event, however much they share. Where the template already has a wildcard, any word
     * fits; where the message has a value the template had a word for, the word becomes a wildcard.
     */
    @Test
    void eventsThatDifferInTheirOnlyConstantWordStayApart() {
        LogTemplate opened = learn("Connection opened", 1);
        LogTemplate closed = learn("Connection closed", 2);
        LogTemplate get = learn("GET request failed: connection reset by peer", 3);
        LogTemplate put = learn("PUT request failed: connection reset by peer", 4);
        LogTemplate resumed = learn("[instance: 4f1c-9a] VM Resumed (Lifecycle Event)", 5);
        LogTemplate paused = learn("[instance: 77b0-3e] VM Paused (Lifecycle Event)", 6);

        assertThat(closed).isNotSameAs(opened);
        assertThat(put).isNotSameAs(get);
        assertThat(paused).isNotSameAs(resumed);
        assertThat(resumed.text()).isEqualTo("[instance: <*>] VM Resumed (Lifecycle Event)");

        LogTemplate job = learn("job 4711 finished", 7);
        assertThat(learn("job nightly finished", 8)).isSameAs(job);
        LogTemplate disk = learn("disk sda full", 9);
        assertThat(learn("disk 0x1f full", 10)).isSameAs(disk);
        assertThat(disk.text()).isEqualTo("disk <*> full");
        // The same in first place, where a quick filter on the first word must step aside.
        LogTemplate volume = learn("sdb is read-only", 11);
        assertThat(learn("sdc is writable", 12)).isNotSameAs(volume);
        assertThat(learn("0x2f is read-only", 13)).isSameAs(volume);
        assertThat(learn("sdd is read-only", 14)).isSameAs(volume);
        assertThat(volume.text()).isEqualTo("<*> is read-only");
    }

    @Test
    void longMessagesAreCappedAndShareATemplateWhenTheyDifferOnlyPastTheCap() {
        StringBuilder one = new StringBuilder("stack");
        StringBuilder two = new StringBuilder("stack");
        for (int i = 0; i < 100; i++) {
            one.append(" at handler ").append(i);
            two.append(" at handler ").append(i < 50 ? i : i + 1000);
        }
        one.append(" done");
        two.append(" failed"); // past the cap: in the final wildcard

        LogTemplate a = learn(one.toString(), 1);
        LogTemplate b = learn(two.toString(), 2);

        assertThat(a.tokens).hasSize(LogTokenizer.MAX_TOKENS);
        assertThat(a.tokens[LogTokenizer.MAX_TOKENS - 1]).isEqualTo(TemplateMiner.WILDCARD);
        assertThat(b).isSameAs(a);
    }

    @Test
    void whenTheBookIsFullTheRarestIsDroppedNotTheLeastRecent() {
        TemplateMiner small = new TemplateMiner(0.5, 0, 3, Duration.ofDays(1), Duration.ofHours(1));
        for (int i = 0; i < 5; i++) small.learn(book, "alpha one happened", i);
        small.learn(book, "beta two happened", 10);
        small.learn(book, "gamma three happened", 20);

        TemplateMiner.Learned delta = small.learn(book, "delta four happened", 30);

        assertThat(delta.created()).isTrue();
        // alpha was seen least recently, but five times: beta, once and older than gamma, goes.
        assertThat(delta.evicted())
                .extracting(LogTemplate::text)
                .containsExactly("beta two happened");
        assertThat(book.templates)
                .extracting(LogTemplate::text)
                .containsExactly(
                        "alpha one happened", "gamma three happened", "delta four happened");
    }

    @Test
    void aTemplateNotSeenForForgetAfterIsDropped() {
        TemplateMiner forgetful =
                new TemplateMiner(0.5, 0, 100, Duration.ofHours(1), Duration.ofHours(1));
        forgetful.learn(book, "alpha one happened", 0);
        forgetful.learn(book, "beta two happened", Duration.ofMinutes(30).toMillis());

        TemplateMiner.Learned beta =
                forgetful.learn(book, "beta two happened", Duration.ofMinutes(61).toMillis());

        assertThat(beta.created()).isFalse();
        assertThat(beta.evicted())
                .extracting(LogTemplate::text)
                .containsExactly("alpha one happened");
        assertThat(book.templates)
                .extracting(LogTemplate::text)
                .containsExactly("beta two happened");
    }

    /**
     * A hostile stream, every line a shape of its own, cannot grow the book past its bound, and
     * cannot push out a template in use: one line in ten is a known shape, and it keeps its
     * template (one id) throughout, because every one-off line is rarer.
     */
    @Test
    void aStreamOfUniqueLinesStaysBoundedAndKeepsTheTemplatesInUse() {
        TemplateMiner bounded =
                new TemplateMiner(0.5, 0, 50, Duration.ofDays(7), Duration.ofHours(2));
        java.util.Set<Integer> knownIds = new java.util.HashSet<>();
        int evicted = 0;
        for (int i = 0; i < 10_000; i++) {
            long ts = i * 100L;
            if (i % 10 == 0) {
                knownIds.add(bounded.learn(book, "request served in 12 ms", ts).template().id);
            } else {
                String unique = letters(i);
                evicted +=
                        bounded.learn(book, unique + " " + unique + " once", ts).evicted().size();
            }
            assertThat(book.templates).hasSizeLessThanOrEqualTo(50);
        }
        assertThat(knownIds).hasSize(1);
        assertThat(evicted).isEqualTo(9_000 - 49);
        // Ids keep counting: a template learned again is a new one, never a reused id.
        assertThat(book.templates).extracting(t -> t.id).doesNotHaveDuplicates();
    }

    /** {@code n} in base 26 written with the letters a–z: a word of its own for each number. */
    private static String letters(int n) {
        StringBuilder word = new StringBuilder();
        do {
            word.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return word.toString();
    }

    @Test
    void sameInputGivesSameTemplates() {
        String[] lines = {
            "deadline exceeded",
            "upstream timeout calling api-gpt after 30000 ms",
            "upstream timeout calling openai after 30000 ms",
            "connected to database host db-main.internal",
            "health report"
        };
        TemplateBook other = new TemplateBook();
        for (int i = 0; i < lines.length; i++) {
            miner.learn(book, lines[i], i);
            miner.learn(other, lines[i], i);
        }
        assertThat(other.templates)
                .extracting(LogTemplate::text)
                .containsExactlyElementsOf(book.templates.stream().map(LogTemplate::text).toList());
    }
}
