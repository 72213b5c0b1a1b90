package io.incidentanalyzer.testing;

import io.incidentanalyzer.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension giving integration tests a real Kafka broker: the project's {@link
 * EmbeddedKafka}, the same one the demo runs on. One broker serves the whole test run (it is stored
 * in the root context and closed when the run ends); each test uses fresh topics.
 */
public final class KafkaBroker implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(KafkaBroker.class);

    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka =
                context.getRoot()
                        .getStore(NS)
                        .getOrComputeIfAbsent("broker", k -> new Running(), Running.class)
                        .kafka;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    /** Closed by JUnit when the root context closes, at the end of the run. */
    private static final class Running implements AutoCloseable {
        final EmbeddedKafka kafka;

        Running() {
            try {
                kafka = EmbeddedKafka.start();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded Kafka broker", e);
            }
        }

        @Override
        public void close() throws Exception {
            kafka.close();
        }
    }
}
