package io.incidentanalyzer.correlate;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * The few map operations the correlator's parts use on keyed state, so that they are plain Java:
 * the function hands them its {@link MapState}s, a unit test {@link #inMemory()} maps.
 */
interface StateMap<K, V> {
    V get(K key) throws Exception;

    void put(K key, V value) throws Exception;

    boolean contains(K key) throws Exception;

    void remove(K key) throws Exception;

    /** The values, in the order of the backing map (not an order to rely on). */
    Iterable<V> values() throws Exception;

    Iterable<Map.Entry<K, V>> entries() throws Exception;

    /** The keyed state of the current key. */
    static <K, V> StateMap<K, V> of(MapState<K, V> state) {
        return new StateMap<>() {
            @Override
            public V get(K key) throws Exception {
                return state.get(key);
            }

            @Override
            public void put(K key, V value) throws Exception {
                state.put(key, value);
            }

            @Override
            public boolean contains(K key) throws Exception {
                return state.contains(key);
            }

            @Override
            public void remove(K key) throws Exception {
                state.remove(key);
            }

            @Override
            public Iterable<V> values() throws Exception {
                return state.values();
            }

            @Override
            public Iterable<Map.Entry<K, V>> entries() throws Exception {
                return state.entries();
            }
        };
    }

    /** A map in memory, for the parts' unit tests (one key's state). */
    static <K, V> StateMap<K, V> inMemory() {
        Map<K, V> map = new HashMap<>();
        return new StateMap<>() {
            @Override
            public V get(K key) {
                return map.get(key);
            }

            @Override
            public void put(K key, V value) {
                map.put(key, value);
            }

            @Override
            public boolean contains(K key) {
                return map.containsKey(key);
            }

            @Override
            public void remove(K key) {
                map.remove(key);
            }

            @Override
            public Iterable<V> values() {
                return map.values();
            }

            @Override
            public Iterable<Map.Entry<K, V>> entries() {
                return map.entrySet();
            }
        };
    }
}
