package io.incidentanalyzer.bench.jmh;

import io.incidentanalyzer.config.ErrorPatternSettings;
import io.incidentanalyzer.detect.LogTemplate;
import io.incidentanalyzer.detect.TemplateBook;
import io.incidentanalyzer.detect.TemplateMiner;
import io.incidentanalyzer.detect.baseline.BaselineState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The template miner alone, as the error-pattern detector configures it by default: ns per line
 * learned into one service's book, and (in {@link #main}) the checkpointed bytes of that book. The
 * lines are {@link ErrorPatternDetectorBenchmark}'s: {@code known}, 20 message shapes with varying
 * numbers, hosts and ids (every line joins a template); {@code novel}, a quarter of them shapes
 * never seen before, so the book fills up to its bound and then drops a template for every new one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TemplateMinerBenchmark {

    @Param({"known", "novel"})
    public String lines;

    private TemplateMiner miner;
    private TemplateBook book;
    private String[] messages;
    private long ts;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        miner = TemplateMiner.of(ErrorPatternSettings.defaults());
        book = new TemplateBook();
        messages = new String[ErrorPatternDetectorBenchmark.MESSAGES];
        for (int n = 0; n < messages.length; n++) {
            messages[n] = ErrorPatternDetectorBenchmark.message(lines, n);
        }
        ts = 1_700_000_000_000L;
    }

    @Benchmark
    public LogTemplate learn() {
        ts += 100;
        String message = messages[next];
        next = next + 1 == messages.length ? 0 : next + 1;
        return miner.learn(book, message, ts).template();
    }

    /**
     * Checkpointed bytes of one service's book after a full cycle of lines of each kind, each
     * template holding what the detector adds (a ring of six buckets, a baseline, the example
     * line).
     */
    public static void main(String[] args) {
        for (String kind : new String[] {"known", "novel"}) {
            TemplateMinerBenchmark b = new TemplateMinerBenchmark();
            b.lines = kind;
            b.setUp();
            for (String message : b.messages) {
                LogTemplate t = b.learn();
                t.example = message;
                if (t.ring == null) {
                    t.ring = new int[6];
                    t.baseline = new BaselineState();
                }
            }
            int bytes = StateBytes.of(TemplateBook.class, b.book);
            System.out.printf(
                    "%s: TemplateBook %d bytes, %d templates, %d per template%n",
                    kind, bytes, b.book.templates.size(), bytes / b.book.templates.size());
        }
    }
}
