package io.incidentanalyzer.simulate;

import java.util.SplittableRandom;

/**
 * The simulation's one source of randomness: a seeded {@link SplittableRandom} plus the few
 * distributions the model needs, written out here so that they do not depend on a JDK's default
 * implementations (the same seed must give the same bytes on every JDK).
 */
final class Rng {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    Rng(long seed) {
        random = new SplittableRandom(seed);
    }

    double nextDouble() {
        return random.nextDouble();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    long nextLong(long bound) {
        return random.nextLong(bound);
    }

    long nextLong() {
        return random.nextLong();
    }

    /** A standard normal value (Marsaglia's polar method). */
    double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * m;
        hasSpare = true;
        return u * m;
    }

    /** An exponentially distributed value with this mean. */
    double exponential(double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }

    /** {@code x} rounded down or up at random so that the mean is {@code x} (x ≥ 0). */
    long stochasticRound(double x) {
        long whole = (long) Math.floor(x);
        return whole + (random.nextDouble() < x - whole ? 1 : 0);
    }
}
