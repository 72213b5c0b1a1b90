package io.incidentanalyzer.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RealProgramTest {

    @Test
    void aMissingProgramSkipsTheTestSayingHowToInstallIt() {
        assertThatThrownBy(() -> RealProgram.require("no-such-program-here", "some-package"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no-such-program-here is not installed")
                .hasMessageContaining("bin/test installs Debian's some-package when run as root")
                .hasMessageContaining("sudo apt-get install some-package");
    }

    @Test
    void anInstalledProgramIsFoundOnThePath() {
        Path sh = RealProgram.require("sh", "dash");
        assertThat(sh).isExecutable();
        assertThat(sh.getFileName()).hasToString("sh");
    }
}
