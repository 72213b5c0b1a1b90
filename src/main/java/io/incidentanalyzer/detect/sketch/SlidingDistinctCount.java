package io.incidentanalyzer.detect.sketch;

import java.time.Duration;
import java.util.Arrays;

/**
 * How many distinct ids were seen in a sliding window of event time, in fixed memory: a HyperLogLog
 * (Flajolet et al., 2007) of {@value #REGISTERS} registers (standard error about 2.3%) per pane,
 * with the window cut into {@code panesPerWindow} panes plus the pane being filled. The estimate is
 * that of the registers' maximum over the panes in the window: HyperLogLogs merge without loss, so
 * the union is as exact as one sketch. The window covered is between {@code window} and {@code
 * window + window / panesPerWindow} long, erring on the side of counting a few ids that left
 * recently.
 *
 * <p>Ids must be added in non-decreasing event time (detectors see their events ordered). Memory is
 * {@code (panesPerWindow + 1) · }{@value #REGISTERS} bytes whatever the number of ids. A Flink
 * POJO.
 */
public class SlidingDistinctCount {
    static final int PRECISION = 11;
    static final int REGISTERS = 1 << PRECISION;

    /** HyperLogLog's bias constant for {@value #REGISTERS} registers. */
    private static final double ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

    public long paneMillis;

    /** Pane slots: {@code panesPerWindow + 1}, used round-robin. */
    public int panes;

    /** Per slot, the event time its pane starts, or -1 when unused. */
    public long[] paneStart;

    /** {@code panes} blocks of {@value #REGISTERS} registers, one block per slot. */
    public byte[] registers;

    /** For Flink; use {@link #SlidingDistinctCount(Duration, int)}. */
    public SlidingDistinctCount() {}

    public SlidingDistinctCount(Duration window, int panesPerWindow) {
        if (panesPerWindow < 1) throw new IllegalArgumentException("need at least one pane");
        this.paneMillis = Math.max(1, window.toMillis() / panesPerWindow);
        this.panes = panesPerWindow + 1;
        this.paneStart = new long[panes];
        Arrays.fill(paneStart, -1);
        this.registers = new byte[panes * REGISTERS];
    }

    /** Records {@code id} as seen at event time {@code ts}; a null id is ignored. */
    public void add(long ts, String id) {
        if (id == null) return;
        long start = Math.floorDiv(ts, paneMillis) * paneMillis;
        int slot = (int) Math.floorMod(Math.floorDiv(ts, paneMillis), (long) panes);
        if (paneStart[slot] != start) {
            Arrays.fill(registers, slot * REGISTERS, (slot + 1) * REGISTERS, (byte) 0);
            paneStart[slot] = start;
        }
        long h = hash(id);
        int register = (int) (h >>> (64 - PRECISION));
        // Rank: position of the first 1-bit in the other 54 bits (1-based); a sentinel bit caps it.
        int rank = Long.numberOfLeadingZeros(h << PRECISION | 1L << (PRECISION - 1)) + 1;
        int at = slot * REGISTERS + register;
        if (rank > registers[at]) registers[at] = (byte) rank;
    }

    /**
     * {@code 2^-rank} for every rank a register can hold, exactly as {@code Math.scalb} gives it.
     */
    private static final double[] INVERSE_POWERS = new double[66];

    static {
        for (int k = 0; k < INVERSE_POWERS.length; k++) INVERSE_POWERS[k] = Math.scalb(1.0, -k);
    }

    /** Distinct ids seen in the window that ends at event time {@code now}. */
    public double estimate(long now) {
        long current = Math.floorDiv(now, paneMillis) * paneMillis;
        long oldest = current - (panes - 1) * paneMillis;
        // The union of the panes in the window, pane by pane (sequential reads), then summed in
        // register order: the same doubles added in the same order as register by register.
        byte[] union = new byte[REGISTERS];
        for (int slot = 0; slot < panes; slot++) {
            long start = paneStart[slot];
            if (start < oldest || start > current) continue;
            int base = slot * REGISTERS;
            for (int r = 0; r < REGISTERS; r++) {
                byte v = registers[base + r];
                if (v > union[r]) union[r] = v;
            }
        }
        double sum = 0;
        int zeros = 0;
        for (int r = 0; r < REGISTERS; r++) {
            int max = union[r];
            if (max == 0) zeros++;
            sum += INVERSE_POWERS[max];
        }
        double raw = ALPHA * REGISTERS * (double) REGISTERS / sum;
        if (raw <= 2.5 * REGISTERS && zeros > 0) {
            return REGISTERS * Math.log((double) REGISTERS / zeros); // linear counting
        }
        return raw;
    }

    /** 64-bit FNV-1a over the characters, then SplitMix64's finalizer to spread the bits. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
