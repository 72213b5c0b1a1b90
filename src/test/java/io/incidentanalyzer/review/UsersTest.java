package io.incidentanalyzer.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.incidentanalyzer.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users file: PBKDF2 lines, and the errors a person gets for a broken one. */
class UsersTest {
    @TempDir Path dir;

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("users"), text);
    }

    @Test
    void aLineChecksItsOwnPasswordOnly() throws Exception {
        String carol = Users.line("carol", "correct horse".toCharArray(), 1000);
        assertThat(carol).startsWith("carol:pbkdf2-sha256:1000:").doesNotContain("correct");
        // A fresh salt each time: the same password never gives the same line.
        assertThat(Users.line("carol", "correct horse".toCharArray(), 1000)).isNotEqualTo(carol);
        Users users = Users.load(file("# engineers\n\n" + carol + "\n"));
        assertThat(users.check("carol", "correct horse".toCharArray())).isTrue();
        assertThat(users.check("carol", "correct horsE".toCharArray())).isFalse();
        assertThat(users.check("dave", "correct horse".toCharArray())).isFalse();
        assertThat(users.check(null, "x".toCharArray())).isFalse();
    }

    @Test
    void aBrokenFileIsAOneLineErrorNamingTheLine() throws Exception {
        String ok = Users.line("carol", "pw".toCharArray(), 1000);
        for (String bad :
                new String[] {
                    "carol:secret",
                    "carol:md5:1000:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA==",
                    "carol:pbkdf2-sha256:many:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA==",
                    "ca rol:pbkdf2-sha256:1000:AAAAAAAAAAA=:AAAAAAAAAAAAAAAAAAAAAA=="
                }) {
            Path f = file(ok.replace("carol", "dave") + "\n" + bad + "\n");
            assertThatThrownBy(() -> Users.load(f))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("review --users " + f + " line 2: expected NAME:");
        }
        Path twice = file(ok + "\n" + ok + "\n");
        assertThatThrownBy(() -> Users.load(twice))
                .hasMessage("review --users " + twice + " line 2: user carol appears twice");
        Path empty = file("# nobody yet\n");
        assertThatThrownBy(() -> Users.load(empty))
                .hasMessage("review --users " + empty + ": no user in it");
        assertThatThrownBy(() -> Users.line("bad name", "pw".toCharArray(), 1000))
                .isInstanceOf(ConfigException.class);
    }
}
