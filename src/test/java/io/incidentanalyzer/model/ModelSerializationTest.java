package io.incidentanalyzer.model;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.incidentanalyzer.detect.LogTemplate;
import io.incidentanalyzer.detect.TemplateBook;
import org.junit.jupiter.api.Test;

/** Every stream and state type is serialized by Flink's POJO serializer, never by Kryo. */
class ModelSerializationTest {

    @Test
    void inputEventsAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(MetricSample.class);
        assertSerializedAsPojoWithoutKryo(AuthEvent.class);
        assertSerializedAsPojoWithoutKryo(LogEvent.class);
        assertSerializedAsPojoWithoutKryo(ChangeEvent.class);
    }

    @Test
    void pipelineTypesAreFlinkPojos() {
        assertSerializedAsPojoWithoutKryo(Decoded.class);
        assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        assertSerializedAsPojoWithoutKryo(Signal.class);
        assertSerializedAsPojoWithoutKryo(IncidentEvent.class);
        assertSerializedAsPojoWithoutKryo(IncidentAlert.class);
    }

    @Test
    void theTemplateBookIsAFlinkPojo() {
        assertSerializedAsPojoWithoutKryo(TemplateBook.class);
        assertSerializedAsPojoWithoutKryo(LogTemplate.class);
    }
}
