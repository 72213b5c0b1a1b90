package io.incidentanalyzer.correlate;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;

/**
 * A list in keyed state as the correlator's parts use it, so that they are plain Java: the function
 * hands them its {@link ListState}, a unit test an {@link #inMemory()} list.
 */
interface StateList<T> {
    /** A copy of the list, in its order. */
    List<T> get() throws Exception;

    void update(List<T> values) throws Exception;

    /** The keyed state of the current key. */
    static <T> StateList<T> of(ListState<T> state) {
        return new StateList<>() {
            @Override
            public List<T> get() throws Exception {
                List<T> list = new ArrayList<>();
                for (T t : state.get()) list.add(t);
                return list;
            }

            @Override
            public void update(List<T> values) throws Exception {
                state.update(values);
            }
        };
    }

    /** A list in memory, for the parts' unit tests (one key's state). */
    static <T> StateList<T> inMemory() {
        List<T> list = new ArrayList<>();
        return new StateList<>() {
            @Override
            public List<T> get() {
                return new ArrayList<>(list);
            }

            @Override
            public void update(List<T> values) {
                list.clear();
                list.addAll(values);
            }
        };
    }
}
