package io.incidentanalyzer.cli;

import io.incidentanalyzer.embedded.LocalCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.execution.JobClient;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM for the commands that run until stopped. The JVM's own handlers would
 * start every shutdown hook at once — Flink's, Kafka's and log4j's among them — while the job, the
 * broker and their files are still in use, which printed pages of stack traces. These handlers only
 * record the request; the running command sees it, stops its job, then its sources and sinks, then
 * the broker, and returns, and {@link AnalyzerCli#main} removes the scratch directory last and
 * exits 0 (130 after Ctrl-C, as shells report an interrupted command). A second signal, or a stop
 * that takes longer than {@link #FORCE_AFTER}, ends the process at once.
 */
final class StopSignals {
    static final Duration FORCE_AFTER = Duration.ofSeconds(30);

    /** How often a waiting command looks for a stop request. */
    private static final long POLL_MILLIS = 200;

    private static final CountDownLatch REQUESTED = new CountDownLatch(1);
    private static volatile String received;

    private StopSignals() {}

    /** Takes over SIGINT and SIGTERM; call once, before any command runs. */
    static void install() {
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), StopSignals::received);
            } catch (IllegalArgumentException ignoredByParent) {
                // A parent started us with this signal ignored (nohup, a background job): keep it
                // so.
            }
        }
    }

    private static synchronized void received(Signal signal) {
        if (received != null) {
            System.err.println("second " + signal.getName() + ": exiting without cleaning up");
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
        received = signal.getName();
        System.err.println("stopping (" + signal.getName() + "); again to force");
        REQUESTED.countDown();
        Thread force =
                new Thread(
                        () -> {
                            try {
                                TimeUnit.MILLISECONDS.sleep(FORCE_AFTER.toMillis());
                            } catch (InterruptedException e) {
                                return;
                            }
                            System.err.printf(
                                    "stopping took more than %d s: exiting without cleaning up%n",
                                    FORCE_AFTER.toSeconds());
                            Runtime.getRuntime().halt(1);
                        },
                        "stop-deadline");
        force.setDaemon(true);
        force.start();
    }

    /** Whether Ctrl-C or SIGTERM has asked the running command to stop. */
    static boolean requested() {
        return REQUESTED.getCount() == 0;
    }

    /** Waits until stopped; for a command whose work runs on other threads. */
    static void awaitForever() throws InterruptedException {
        REQUESTED.await();
    }

    /**
     * Interrupts {@code thread} when a stop is requested, until closed: for a command blocked in a
     * library call that ends cleanly on interruption.
     */
    static AutoCloseable interruptOnStop(Thread thread) {
        Thread watcher =
                new Thread(
                        () -> {
                            try {
                                awaitForever();
                                thread.interrupt();
                            } catch (InterruptedException closed) {
                                // the command finished first
                            }
                        },
                        "stop-watcher");
        watcher.setDaemon(true);
        watcher.start();
        return watcher::interrupt;
    }

    /**
     * Waits for an unbounded job until it ends by itself (true) or a stop is requested, in which
     * case the job is cancelled and this returns once it has ended (false).
     *
     * @throws ExecutionException the job failed
     */
    static boolean runUntilStopped(JobClient job) throws InterruptedException, ExecutionException {
        while (!requested()) {
            try {
                job.getJobExecutionResult().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException stillRunning) {
                // look again for a stop request
            }
        }
        cancel(job);
        return false;
    }

    /** Cancels a job and waits (bounded) until it has ended; a job already ended is left alone. */
    static void cancel(JobClient job) {
        LocalCluster.cancelAndWait(job, FORCE_AFTER);
    }

    /** The process's exit code: the command's own, or 0 after SIGTERM and 130 after Ctrl-C. */
    static int exitCode(int commandCode) {
        String s = received;
        if (s == null) return commandCode;
        return s.equals("INT") ? 130 : 0;
    }
}
