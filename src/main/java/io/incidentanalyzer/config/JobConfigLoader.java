package io.incidentanalyzer.config;

import java.nio.file.Path;

/**
 * Reads a job file into a validated {@link JobConfig}. Every mistake becomes a {@link
 * ConfigException} whose message names the file, the field path (e.g. {@code
 * detectors.saturation[0].sustain}) and the expected form. Unknown keys are errors: a misspelt
 * setting that silently falls back to its default is worse than a refusal to start.
 */
public final class JobConfigLoader {

    private JobConfigLoader() {}

    public static JobConfig load(Path file) {
        return parse(
                YamlFiles.readText(file, "a job file, e.g. jobs/watermelon.yaml"), file.toString());
    }

    /** Parses and validates job-file text; {@code source} names it in error messages. */
    public static JobConfig parse(String yaml, String source) {
        JobConfig config = YamlFiles.parse(yaml, source, JobConfig.class, "jobs/watermelon.yaml");
        JobConfigValidator.validate(config, source);
        return config;
    }
}
