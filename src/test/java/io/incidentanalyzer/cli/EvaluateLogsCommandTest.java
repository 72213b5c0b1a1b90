package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate logs --loghub DIR} on a one-system folder, and the user's mistakes. */
class EvaluateLogsCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AnalyzerCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void printsEachSystemAndTheMeans(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("Tiny"));
        Files.writeString(
                dir.resolve("Tiny_2k.log_structured.csv"),
                "LineId,Content,EventId,EventTemplate\n"
                        + "1,worker 3 started,E1,worker <*> started\n"
                        + "2,worker 4 started,E1,worker <*> started\n"
                        + "3,shutting down now,E2,shutting down now\n");

        int code = run("evaluate", "logs", "--loghub", root.toString());

        assertThat(code).as(err.toString()).isZero();
        String[] lines = out.toString().strip().split("\\R");
        assertThat(lines[0])
                .isEqualTo(
                        "miner: similarity=0.5 depth=0 maxTemplates=1000 forgetAfter=7d halfLife=2h"
                                + " (detectors.errorPatterns defaults); one line a second");
        assertThat(lines[2]).startsWith("system").contains("GA", "PA");
        assertThat(lines[3]).startsWith("Tiny").contains("1.000   1.000");
        assertThat(lines[lines.length - 1]).isEqualTo("LOGHUB systems=1 ga=1.000 pa=1.000");
    }

    @Test
    void aMissingOrWrongFolderIsAMessage(@TempDir Path root) {
        assertThat(run("evaluate", "logs")).isEqualTo(2);
        assertThat(err.toString()).contains("evaluate logs: give --loghub DIR");

        assertThat(run("evaluate", "logs", "--loghub", root.resolve("nope").toString()))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("nope: no such directory; pass the Loghub-2k folder")
                .doesNotContain("\tat ");
    }
}
