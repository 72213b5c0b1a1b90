package io.incidentanalyzer.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the job talks to Kafka. The bootstrap address is not here: it differs per deployment and
 * comes from the command line.
 *
 * @param properties extra client properties passed to every consumer and producer (security
 *     settings, for example)
 * @param transactionTimeout producer transaction timeout for exactly-once; must not exceed the
 *     broker's {@code transaction.max.timeout.ms} (15 minutes by default)
 */
public record KafkaSettings(
        String groupId,
        StartingOffsets startingOffsets,
        DeliveryMode delivery,
        Duration checkpointInterval,
        Duration transactionTimeout,
        Map<String, String> properties)
        implements Serializable {

    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    public KafkaSettings {
        startingOffsets = startingOffsets == null ? StartingOffsets.COMMITTED : startingOffsets;
        delivery = delivery == null ? DeliveryMode.EXACTLY_ONCE : delivery;
        checkpointInterval =
                checkpointInterval == null ? DEFAULT_CHECKPOINT_INTERVAL : checkpointInterval;
        transactionTimeout =
                transactionTimeout == null ? DEFAULT_TRANSACTION_TIMEOUT : transactionTimeout;
        properties =
                properties == null
                        ? Map.of()
                        : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Settings when the job file has no {@code kafka} section; the group id comes later. */
    static KafkaSettings defaults() {
        return new KafkaSettings(null, null, null, null, null, null);
    }
}
