package io.incidentanalyzer.ingest.trace;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.model.CallEdge;
import io.incidentanalyzer.model.ServiceEdge;
import io.incidentanalyzer.model.Span;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SpanLinkerTest {

    static final long T0 = 1708072380000L;
    static final String TRACE = "5b8efff798038103d269b633813fc60c";

    /** The frontend's call to checkout, as the frontend's SDK records it: 250 ms. */
    static final Span CLIENT =
            new Span(T0 + 250, TRACE, "c1", "r1", "frontend", "CLIENT", 250.0, false, null);

    /** The same call as checkout serves it, under the client span: failed, 230 ms. */
    static final Span SERVER =
            new Span(T0 + 240, TRACE, "s1", "c1", "checkout", "SERVER", 230.0, true, null);

    private static KeyedOneInputStreamOperatorTestHarness<String, Span, CallEdge> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SpanLinker()),
                (KeySelector<Span, String>) Span::traceId,
                Types.STRING);
    }

    private static void push(
            KeyedOneInputStreamOperatorTestHarness<String, Span, CallEdge> h, Span... spans)
            throws Exception {
        for (Span s : spans) h.processElement(new StreamRecord<>(s, s.ts()));
    }

    @Test
    void pairsTheCallersClientSpanWithTheCalleesServerSpanWhicheverArrivesFirst() throws Exception {
        CallEdge expected = new CallEdge(T0 + 250, "frontend", "checkout", 250.0, true);
        for (List<Span> order : List.of(List.of(CLIENT, SERVER), List.of(SERVER, CLIENT))) {
            try (var h = harness()) {
                h.open();
                push(h, order.toArray(Span[]::new));
                assertThat(h.extractOutputValues())
                        .as("the caller's duration, an error on either side, the later end")
                        .containsExactly(expected);
            }
        }
    }

    @Test
    void aParentInTheSameServiceIsNoCallAndAServerUnderAServerTimesTheCallee() throws Exception {
        Span root = new Span(T0 + 300, TRACE, "r1", "", "frontend", "SERVER", 300.0, false, null);
        Span internal =
                new Span(T0 + 280, TRACE, "i1", "r1", "frontend", "INTERNAL", 5.0, false, null);
        Span direct = new Span(T0 + 260, TRACE, "s2", "r1", "cart", "SERVER", 40.0, false, null);
        try (var h = harness()) {
            h.open();
            push(h, root, internal, direct);
            assertThat(h.extractOutputValues())
                    .containsExactly(new CallEdge(T0 + 300, "frontend", "cart", 40.0, false));
        }
    }

    @Test
    void aClientSpanNamingItsPeerIsACallThatThePeersOwnSpanDoesNotCountAgain() throws Exception {
        Span db =
                new Span(
                        T0 + 120,
                        TRACE,
                        "c2",
                        "s1",
                        "checkout",
                        "CLIENT",
                        100.0,
                        false,
                        "orders-db");
        Span dbServer =
                new Span(T0 + 110, TRACE, "d1", "c2", "orders-db", "SERVER", 90.0, false, null);
        try (var h = harness()) {
            h.open();
            push(h, db, dbServer, db);
            assertThat(h.extractOutputValues())
                    .as("counted once, also when the same span is delivered twice")
                    .containsExactly(new CallEdge(T0 + 120, "checkout", "orders-db", 100.0, false));
        }
    }

    @Test
    void aTracesSpansAreClearedWhenTheWatermarkPassesTheLinger() throws Exception {
        try (var h = harness()) {
            h.open();
            push(h, CLIENT);
            h.processWatermark(new Watermark(CLIENT.ts() + SpanLinker.LINGER.toMillis() - 1));
            assertThat(h.numKeyedStateEntries()).isPositive();

            h.processWatermark(new Watermark(CLIENT.ts() + SpanLinker.LINGER.toMillis()));
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            push(h, SERVER);
            assertThat(h.extractOutputValues()).as("its partner is gone: no call").isEmpty();
        }
    }

    @Test
    void aSpanWaitingForItsPartnerSurvivesASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            push(h, CLIENT);
            snapshot = h.snapshot(1, T0);
        }
        try (var h = harness()) {
            h.initializeState(snapshot);
            h.open();
            push(h, SERVER);
            assertThat(h.extractOutputValues())
                    .extracting(CallEdge::edge)
                    .containsExactly("frontend -> checkout");
        }
    }

    @Test
    void traceTypesAreSerializedAsPojos() {
        assertSerializedAsPojoWithoutKryo(Span.class);
        assertSerializedAsPojoWithoutKryo(CallEdge.class);
        assertSerializedAsPojoWithoutKryo(ServiceEdge.class);
        assertSerializedAsPojoWithoutKryo(CallEdgeAggregator.EdgeBucket.class);
    }
}
