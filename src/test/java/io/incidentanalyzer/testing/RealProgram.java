package io.incidentanalyzer.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real producer program (Prometheus, Alertmanager) run by a test as its own process, from the
 * Debian package that bin/test installs. The test is skipped, saying so, only when the program is
 * not installed: bin/test installs it when it runs as root, and says that the tests will be skipped
 * otherwise. The process's output goes to a file that a failing assertion can show.
 */
public final class RealProgram implements AutoCloseable {
    private final Process process;
    private final Path log;

    private RealProgram(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The program's path; skips the calling test when it is not installed.
     *
     * @param debianPackage the package that installs it, named in the skip message
     */
    public static Path require(String program, String debianPackage) {
        Path found = null;
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin";
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                found = p;
                break;
            }
        }
        assumeTrue(
                found != null,
                program
                        + " is not installed, so this test of the real program is skipped; bin/test"
                        + " installs Debian's "
                        + debianPackage
                        + " when run as root, or: sudo apt-get install "
                        + debianPackage);
        return found;
    }

    /** Starts {@code command} with its output in {@code dir/name.log}. */
    public static RealProgram start(Path dir, String name, List<String> command)
            throws IOException {
        Path log = dir.resolve(name + ".log");
        Process p =
                new ProcessBuilder(new ArrayList<>(command))
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        return new RealProgram(p, log);
    }

    /** A port free on loopback now, for a program that cannot be told to pick its own. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the program has printed so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** Fails with the program's output when it has exited: for use inside a poll. */
    public void assertRunning() {
        if (!process.isAlive()) {
            throw new AssertionError(
                    "the program exited with " + process.exitValue() + ":\n" + output());
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
