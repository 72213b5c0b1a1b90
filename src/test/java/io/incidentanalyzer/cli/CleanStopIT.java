package io.incidentanalyzer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.incidentanalyzer.config.JobConfig;
import io.incidentanalyzer.config.JobConfigLoader;
import io.incidentanalyzer.testing.KafkaBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long-running commands as a user runs them: each in its own JVM (as bin/analyzer starts it,
 * with a scratch directory as its temp dir), stopped with a real SIGTERM or SIGINT while it works.
 * Each must exit 0 (130 after Ctrl-C) with no exception printed and its scratch directory gone; the
 * demo must listen on loopback only.
 */
class CleanStopIT {
    @RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();

    /** Generous: these JVMs start Flink and Kafka on two busy cores. */
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @TempDir Path dir;

    @Test
    void demoStopsCleanlyOnSigtermMidStreamAndListensOnLoopbackOnly() throws Exception {
        int metricsPort = freePort();
        try (Analyzer demo = startDemo(metricsPort)) {
            demo.awaitOutput("DEAD LETTER"); // the simulator is feeding, the job is reading

            List<InetAddress> listening = demo.listeningAddresses();
            assertThat(demo.listeningPorts()).contains(metricsPort);
            assertThat(listening).hasSizeGreaterThanOrEqualTo(5); // REST, blob, broker x2, review…
            assertThat(listening).allMatch(InetAddress::isLoopbackAddress);

            demo.signal("TERM");
            assertThat(demo.awaitExit()).isZero();
            assertThat(demo.output()).contains("stopping (TERM)").doesNotContain("Exception");
            assertThat(demo.scratch()).doesNotExist();
        }
    }

    @Test
    void demoExits130OnCtrlC() throws Exception {
        try (Analyzer demo = startDemo(freePort())) {
            demo.awaitOutput("DEAD LETTER");
            demo.signal("INT");
            assertThat(demo.awaitExit()).isEqualTo(130);
            assertThat(demo.output()).doesNotContain("Exception");
            assertThat(demo.scratch()).doesNotExist();
        }
    }

    @Test
    void runStopsCleanlyOnSigterm() throws Exception {
        stopsCleanlyOnSigterm("run", "--metrics-port", String.valueOf(freePort()));
    }

    @Test
    void reviewStopsCleanlyOnSigterm() throws Exception {
        // A key file of the test's own: the default one would be made in the user's home.
        stopsCleanlyOnSigterm(
                "review", "--port", "0", "--signing-key", dir.resolve("review.key").toString());
    }

    /** A command on the test broker with the seed's job file, stopped once it is up. */
    private void stopsCleanlyOnSigterm(String command, String... options) throws Exception {
        JobConfig config = JobConfigLoader.load(Path.of("jobs/watermelon.yaml"));
        KAFKA.kafka().createTopics(1, config.topics().names().toArray(String[]::new));
        List<String> args = new ArrayList<>(List.of(command, "--job", "jobs/watermelon.yaml"));
        args.addAll(List.of("--bootstrap", KAFKA.bootstrapServers()));
        args.addAll(List.of(options));
        try (Analyzer analyzer = Analyzer.start(dir, args.toArray(String[]::new))) {
            analyzer.awaitOutput("Ctrl-C stops");
            analyzer.signal("TERM");
            assertThat(analyzer.awaitExit()).isZero();
            assertThat(analyzer.output()).doesNotContain("Exception");
            assertThat(analyzer.scratch()).doesNotExist();
        }
    }

    /** The demo on free ports, the review pages' and the gateway's chosen by the system. */
    private Analyzer startDemo(int metricsPort) throws IOException {
        return startDemo(dir, metricsPort);
    }

    /** The demo in {@code dir}, its metrics on {@code metricsPort} (DemoIngestIT too). */
    static Analyzer startDemo(Path dir, int metricsPort) throws IOException {
        return Analyzer.start(
                dir,
                "demo",
                "--review-port",
                "0",
                "--ingest-port",
                "0",
                "--metrics-port",
                String.valueOf(metricsPort));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** One {@code bin/analyzer} command in its own JVM, its output in a file (DemoIngestIT too). */
    static final class Analyzer implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final Path scratch;

        private Analyzer(Process process, Path log, Path scratch) {
            this.process = process;
            this.log = log;
            this.scratch = scratch;
        }

        static Analyzer start(Path dir, String... args) throws IOException {
            Path scratch = Files.createDirectory(dir.resolve("incident-analyzer.scratch"));
            Path log = dir.resolve("output.txt");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Djava.io.tmpdir=" + scratch);
            command.add("-D" + AnalyzerCli.SCRATCH_PROPERTY + "=" + scratch);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(AnalyzerCli.class.getName());
            command.addAll(List.of(args));
            Process p =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            return new Analyzer(p, log, scratch);
        }

        void awaitOutput(String text) {
            await("output " + text)
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> {
                                if (!process.isAlive()) {
                                    throw new AssertionError("exited early:\n" + output());
                                }
                                return output().contains(text);
                            });
        }

        void signal(String name) throws Exception {
            Process kill =
                    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
                            .inheritIO()
                            .start();
            assertThat(kill.waitFor()).isZero();
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("still running " + DEADLINE + " after the signal");
            }
            return process.exitValue();
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        Path scratch() {
            return scratch;
        }

        /** The ports the process listens on (TCP, IPv4 and IPv6), from /proc. */
        Set<Integer> listeningPorts() throws IOException {
            Set<Integer> ports = new HashSet<>();
            for (String[] socket : listening()) ports.add(Integer.parseInt(socket[1], 16));
            return ports;
        }

        /** The local addresses of the process's listening TCP sockets, from /proc. */
        List<InetAddress> listeningAddresses() throws IOException {
            List<InetAddress> out = new ArrayList<>();
            for (String[] socket : listening()) out.add(address(socket[0]));
            return out;
        }

        /**
         * Each listening socket of this process as {address hex, port hex}: the socket inodes of
         * its open files, matched against the kernel's TCP tables (state 0A is LISTEN).
         */
        private List<String[]> listening() throws IOException {
            Set<String> inodes = new HashSet<>();
            try (var fds = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor was closed while listing
                    }
                }
            }
            List<String[]> out = new ArrayList<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path t = Path.of(table);
                if (!Files.exists(t)) continue;
                for (String line : Files.readAllLines(t)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[3].equals("0A") || !inodes.contains(f[9])) continue;
                    out.add(f[1].split(":"));
                }
            }
            return out;
        }

        /** /proc/net/tcp's address: 32-bit words in host (little-endian) byte order. */
        private static InetAddress address(String hex) throws IOException {
            byte[] b = new byte[hex.length() / 2];
            for (int word = 0; word < b.length / 4; word++) {
                for (int i = 0; i < 4; i++) {
                    int at = word * 8 + (3 - i) * 2;
                    b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
                }
            }
            return InetAddress.getByAddress(b);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
