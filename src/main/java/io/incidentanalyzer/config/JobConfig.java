package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One deployment of the analyzer, read from a job file (YAML, see {@code jobs/watermelon.yaml}):
 * the environment watched, its topics, its services and their dependencies, its status-page
 * components and the detector settings. Immutable; built by {@link JobConfigLoader}, which also
 * validates it. Each nested record holds the defaults for its own fields.
 *
 * @param timeZone IANA zone of the drafts (timeline, status updates), e.g. Europe/Amsterdam
 */
public record JobConfig(
        String environment,
        String timeZone,
        ClockStyle clock,
        KafkaSettings kafka,
        Topics topics,
        Watermarks watermarks,
        Limits limits,
        Map<String, ServiceConfig> services,
        List<ComponentConfig> components,
        DetectorSettings detectors,
        CorrelationSettings correlation)
        implements Serializable {

    public static final String DEFAULT_TIME_ZONE = "UTC";

    public JobConfig {
        timeZone = timeZone == null ? DEFAULT_TIME_ZONE : timeZone;
        clock = clock == null ? ClockStyle.TWENTY_FOUR_HOUR : clock;
        kafka = kafka == null ? KafkaSettings.defaults() : kafka;
        if (kafka.groupId() == null && environment != null) {
            kafka =
                    new KafkaSettings(
                            "incident-analyzer-" + environment,
                            kafka.startingOffsets(),
                            kafka.delivery(),
                            kafka.checkpointInterval(),
                            kafka.transactionTimeout(),
                            kafka.properties());
        }
        if (topics != null && environment != null) {
            topics = topics.withDefaults(environment);
        }
        watermarks = watermarks == null ? Watermarks.defaults() : watermarks;
        limits = limits == null ? Limits.defaults() : limits;
        Map<String, ServiceConfig> byName = new LinkedHashMap<>();
        if (services != null) {
            // "database:" with nothing under it is a service without dependencies.
            services.forEach(
                    (name, s) ->
                            byName.put(
                                    name,
                                    s == null ? new ServiceConfig(null, null, null, null) : s));
        }
        services = Collections.unmodifiableMap(byName);
        components = components == null ? List.of() : List.copyOf(components);
        detectors = detectors == null ? DetectorSettings.defaults() : detectors;
        correlation = correlation == null ? CorrelationSettings.defaults() : correlation;
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }

    /**
     * Formats instants in the job's zone with its clock style, e.g. {@code ("h:mm a", "HH:mm")}.
     */
    public DateTimeFormatter clockFormat(String twelveHour, String twentyFourHour) {
        return DateTimeFormatter.ofPattern(
                        clock == ClockStyle.TWELVE_HOUR ? twelveHour : twentyFourHour,
                        Locale.ENGLISH)
                .withZone(zone());
    }

    /** A copy with other Kafka settings (the demo shortens the checkpoint interval). */
    public JobConfig withKafka(KafkaSettings k) {
        return new JobConfig(
                environment,
                timeZone,
                clock,
                k,
                topics,
                watermarks,
                limits,
                services,
                components,
                detectors,
                correlation);
    }

    /** A copy with other topics (the demo adds an externalAlerts topic). */
    public JobConfig withTopics(Topics t) {
        return new JobConfig(
                environment,
                timeZone,
                clock,
                kafka,
                t,
                watermarks,
                limits,
                services,
                components,
                detectors,
                correlation);
    }

    /** A copy with other watermark settings. */
    public JobConfig withWatermarks(Watermarks w) {
        return new JobConfig(
                environment,
                timeZone,
                clock,
                kafka,
                topics,
                w,
                limits,
                services,
                components,
                detectors,
                correlation);
    }

    /** The display name of a service, or its key when the job file gives none. */
    public String displayName(String service) {
        ServiceConfig s = services.get(service);
        return s == null || s.displayName() == null ? service : s.displayName();
    }
}
