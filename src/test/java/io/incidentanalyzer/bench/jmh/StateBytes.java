package io.incidentanalyzer.bench.jmh;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * The size a piece of keyed state takes in a checkpoint: its bytes under the serializer Flink picks
 * for its type (POJO serializer for the detectors' state classes). docs/benchmarks.md reports this
 * per key, next to the detectors' ns/event.
 */
public final class StateBytes {
    private StateBytes() {}

    public static <T> int of(Class<T> type, T value) {
        TypeSerializer<T> serializer =
                TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        try {
            serializer.serialize(value, out);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot serialize " + type.getName(), e);
        }
        return out.length();
    }
}
