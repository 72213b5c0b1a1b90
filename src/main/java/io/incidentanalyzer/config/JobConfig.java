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
 * @param patterns what the analyzer knows about causes, as data (chains, self-naming signals,
 *     thresholds, advice, metric words); defaults when the file has no {@code patterns:}
 * @param notifications who the review service tells about incidents; the job ignores it
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
        CorrelationSettings correlation,
        PatternsConfig patterns,
        NotificationSettings notifications)
        implements Serializable {

    public static final String DEFAULT_TIME_ZONE = "UTC";

    /** Each service's direct dependencies, in the file's order: the service graph's edges. */
    public Map<String, List<String>> dependsOn() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        services.forEach((name, s) -> out.put(name, s.dependsOn()));
        return out;
    }

    /** The services marked {@code external: true}, sorted. */
    public java.util.SortedSet<String> externalServices() {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        services.forEach(
                (name, s) -> {
                    if (s.external()) out.add(name);
                });
        return out;
    }

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
        patterns = patterns == null ? PatternsConfig.defaults() : patterns;
        notifications = notifications == null ? NotificationSettings.defaults() : notifications;
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
                correlation,
                patterns,
                notifications);
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
                correlation,
                patterns,
                notifications);
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
                correlation,
                patterns,
                notifications);
    }

    /** The display name of a service, or its key when the job file gives none. */
    public String displayName(String service) {
        ServiceConfig s = services.get(service);
        return s == null || s.displayName() == null ? service : s.displayName();
    }
}
