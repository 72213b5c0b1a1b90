package io.incidentanalyzer.review;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread working a queue, in order, for the review service's outgoing calls (the Statuspage
 * push, each notification channel): an item is attempted until it succeeds, an attempt fails
 * without a retry, or it runs out of attempts; the wait between attempts doubles from the first
 * backoff (at most 1s) up to the longest. The thread survives any exception of an attempt: it is a
 * failed attempt like another, and the next item is worked on after the last one.
 *
 * @param <T> what is queued
 */
final class RetryingWorker<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingWorker.class);

    /** An attempt that did not succeed; {@code retry}: whether another attempt may. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;
        final boolean retry;

        /**
         * @param reason the metric label of the failure, e.g. {@code network}
         */
        Failed(String reason, boolean retry, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.retry = retry;
        }
    }

    /** One attempt at an item: returns when it succeeded. */
    interface Attempt<T> {
        void run(T item) throws Failed, InterruptedException;
    }

    /** What the worker reports: to metrics and the log. */
    interface Outcomes<T> {
        /** An attempt failed with this reason ({@link Failed#reason}, or {@code error}). */
        void failed(T item, String reason);

        /** The item is given up after {@code attempts}; {@code why} the last failure. */
        void givenUp(T item, int attempts, String why);

        /** An exception escaped an attempt (a bug, not a remote failure). */
        default void error(T item, RuntimeException e) {}
    }

    /** The label of a failed attempt that threw. */
    static final String ERROR = "error";

    private final Predicate<T> done;
    private final Attempt<T> attempt;
    private final Outcomes<T> outcomes;
    private final long firstBackoffMs;
    private final long maxBackoffMs;
    private final int maxAttempts;
    private final Deque<T> queue = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param done whether an item needs no attempt (already done, before a restart say)
     */
    RetryingWorker(
            String name,
            Predicate<T> done,
            Attempt<T> attempt,
            Outcomes<T> outcomes,
            Duration firstBackoff,
            Duration maxBackoff,
            int maxAttempts) {
        this.done = done;
        this.attempt = attempt;
        this.outcomes = outcomes;
        this.maxBackoffMs = maxBackoff.toMillis();
        this.firstBackoffMs = Math.min(firstBackoff.toMillis(), maxBackoffMs);
        this.maxAttempts = maxAttempts;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    synchronized void submit(T item) {
        queue.add(item);
        notifyAll();
    }

    synchronized int pending() {
        return queue.size();
    }

    private synchronized T next() throws InterruptedException {
        while (running && queue.isEmpty()) wait(500);
        return running ? queue.poll() : null;
    }

    private void run() {
        try {
            T item;
            while ((item = next()) != null) {
                try {
                    if (!done.test(item)) work(item);
                } catch (RuntimeException e) {
                    // One bad item must not end the work on every later one.
                    outcomes.error(item, e);
                    LOG.warn("{}: an item failed and is skipped", thread.getName(), e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work(T item) throws InterruptedException {
        long backoff = firstBackoffMs;
        for (int n = 1; running; n++) {
            Failed failed;
            try {
                attempt.run(item);
                return;
            } catch (Failed f) {
                failed = f;
            } catch (RuntimeException e) {
                outcomes.error(item, e);
                failed = new Failed(ERROR, true, e.toString());
            }
            outcomes.failed(item, failed.reason);
            if (!failed.retry || n >= maxAttempts) {
                outcomes.givenUp(item, n, failed.getMessage());
                return;
            }
            Thread.sleep(backoff); // backoff between attempts, not a test wait
            backoff = Math.min(maxBackoffMs, backoff * 2);
        }
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            running = false;
            notifyAll();
        }
        thread.interrupt();
        if (thread.isAlive()) thread.join(5000);
    }
}
