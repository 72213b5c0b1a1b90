package io.incidentanalyzer.config;

/**
 * A mistake in a job file or on the command line. Its message is meant for the person who made it:
 * it names the file, the field path and the expected form, and the CLI prints it without a stack
 * trace.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
