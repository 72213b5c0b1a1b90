package io.incidentanalyzer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.incidentanalyzer.config.AuthFailureSettings;
import io.incidentanalyzer.config.RefreshStormSettings;
import io.incidentanalyzer.detect.auth.AuthFailureDetector;
import io.incidentanalyzer.detect.auth.AuthTraffic;
import io.incidentanalyzer.detect.auth.RefreshStormDetector;
import io.incidentanalyzer.model.AuthEvent;
import io.incidentanalyzer.model.AuthEventType;
import io.incidentanalyzer.model.DeadLetter;
import io.incidentanalyzer.model.Signal;
import io.incidentanalyzer.model.SignalKind;
import io.incidentanalyzer.stream.EventTimeOrderedFunction;
import io.incidentanalyzer.testing.Flink;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The auth detectors behind bundled shuffles ({@link IncidentPipeline#bundledBy}) give exactly the
 * signals they give behind a plain keyBy: two sources at parallelism 2, a watermark after every
 * event (so bundles and watermarks interleave all the time), a refresh storm and a burst of missing
 * tokens. An event the bundler held past its watermark would reach the detector late and change the
 * signals.
 */
class AuthBundlesPipelineTest {

    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static final long LAG_MS = 5_000;
    private static final int WATERMARK_EVERY = 50;

    private static List<AuthEvent> hourWithAStormAndMissingTokens() {
        return AuthTraffic.traffic()
                .sessions(1080, "web", "2024.02.09", 0, 3600)
                .sessions(720, "ios", "3.14.2", 0, 3600)
                .looping(100, "web", "2024.02.16", 40 * 60, 50 * 60, 10)
                .failures(AuthEventType.MISSING_TOKEN, "caller-a", 30, 30 * 60, 35 * 60, null)
                .events();
    }

    private record Result(List<Signal> signals, List<DeadLetter> late) {}

    private static Result run(boolean bundled, List<AuthEvent> events) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        IncidentPipeline.configure(env);
        List<AuthEvent> even = new ArrayList<>();
        List<AuthEvent> odd = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) (i % 2 == 0 ? even : odd).add(events.get(i));
        DataStream<AuthEvent> auth = source(env, even).union(source(env, odd));

        DataStream<AuthEvent> grants = auth.filter(new IncidentPipeline.TokenGrants());
        DataStream<AuthEvent> failures = auth.filter(new IncidentPipeline.AuthFailures());
        SingleOutputStreamOperator<Signal> storms =
                keyed(bundled, grants, new IncidentPipeline.TokenServiceKey(), "refresh-storm")
                        .process(new RefreshStormDetector("test", RefreshStormSettings.defaults()));
        SingleOutputStreamOperator<Signal> missing =
                keyed(bundled, failures, new IncidentPipeline.CallerKey(), "auth-failures")
                        .process(new AuthFailureDetector("test", AuthFailureSettings.defaults()));

        List<Signal> signals = new ArrayList<>();
        List<DeadLetter> late = new ArrayList<>();
        try (CloseableIterator<Signal> s = storms.union(missing).collectAsync();
                CloseableIterator<DeadLetter> d =
                        storms.getSideOutput(EventTimeOrderedFunction.LATE)
                                .union(missing.getSideOutput(EventTimeOrderedFunction.LATE))
                                .collectAsync()) {
            env.execute("auth bundles test");
            s.forEachRemaining(signals::add);
            d.forEachRemaining(late::add);
        }
        return new Result(signals, late);
    }

    private static KeyedStream<AuthEvent, String> keyed(
            boolean bundled,
            DataStream<AuthEvent> events,
            org.apache.flink.api.java.functions.KeySelector<AuthEvent, String> key,
            String name) {
        return bundled ? IncidentPipeline.bundledBy(events, key, name) : events.keyBy(key);
    }

    private static DataStream<AuthEvent> source(
            StreamExecutionEnvironment env, List<AuthEvent> events) {
        return env.fromData(events, TypeInformation.of(AuthEvent.class))
                .setParallelism(1)
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<AuthEvent>forGenerator(c -> new EveryFewEvents())
                                .withTimestampAssigner((e, previous) -> e.ts()));
    }

    /** A watermark {@link #LAG_MS} behind the latest event time every few events. */
    private static final class EveryFewEvents implements WatermarkGenerator<AuthEvent> {
        private long max = Long.MIN_VALUE + LAG_MS + 1;
        private int seen;

        @Override
        public void onEvent(AuthEvent e, long ts, WatermarkOutput out) {
            max = Math.max(max, ts);
            if (++seen % WATERMARK_EVERY == 0) out.emitWatermark(new Watermark(max - LAG_MS - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    @Test
    void bundledShufflesGiveTheSignalsOfAPlainKeyBy() throws Exception {
        List<AuthEvent> events = hourWithAStormAndMissingTokens();
        Result plain = run(false, events);
        Result bundled = run(true, events);

        assertThat(plain.signals())
                .extracting(Signal::kind)
                .contains(SignalKind.REFRESH_STORM, SignalKind.AUTH_FAILURES);
        assertThat(plain.late()).isEmpty();
        assertThat(bundled.late()).isEmpty();
        assertThat(bundled.signals()).containsExactlyInAnyOrderElementsOf(plain.signals());
    }
}
