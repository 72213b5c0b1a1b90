package io.incidentanalyzer.config;

/** Which way a series must move from its baseline to count: up, down or either. */
public enum Direction {
    UP,
    DOWN,
    BOTH;

    /** Whether a signed deviation points the watched way. */
    public boolean watches(double deviation) {
        return switch (this) {
            case UP -> deviation > 0;
            case DOWN -> deviation < 0;
            case BOTH -> deviation != 0;
        };
    }
}
