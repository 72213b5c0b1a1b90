package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.model.AuthEvent;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Groups an auth detector's events by its key before the shuffle, so that the shuffle carries one
 * {@link AuthBundle} per key and watermark interval instead of every event ({@link AuthUnbundler}
 * takes them apart again in front of the detector). Chained to the filter in each source subtask.
 *
 * <p>The detector sees exactly what it saw without the bundles. An event is held at most until the
 * next watermark, watermark status change, checkpoint barrier or end of input of its subtask, and
 * every bundle is sent before that: so each event still reaches the detector between the same two
 * watermarks of its channel, and the detector, which orders its input by event time and judges
 * lateness against the watermark, handles the same events at the same event times (it never waits
 * longer either: it cannot act on an event before a later watermark). An event that is already
 * behind this subtask's watermark is sent at once, in the position it arrived in. No state: the
 * barrier flushes the buffer, so a checkpoint holds nothing here.
 *
 * <p>Memory: at most {@value #MAX_EVENTS} events per key are held (a full bundle is sent early); a
 * key without events in a whole watermark interval holds nothing.
 */
public class AuthBundler extends AbstractStreamOperator<AuthBundle>
        implements OneInputStreamOperator<AuthEvent, AuthBundle> {
    private static final long serialVersionUID = 1L;

    /** A key's bundle is sent when it holds this many events. */
    static final int MAX_EVENTS = 4096;

    private final KeySelector<AuthEvent, String> key;
    private transient Map<String, AuthBundle.Builder> open;
    private transient StreamRecord<AuthBundle> record;
    private transient long watermark;

    public AuthBundler(KeySelector<AuthEvent, String> key) {
        this.key = key;
    }

    @Override
    public void open() throws Exception {
        super.open();
        open = new LinkedHashMap<>();
        record = new StreamRecord<>(null);
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<AuthEvent> element) throws Exception {
        AuthEvent e = element.getValue();
        String k = key.getKey(e);
        if (e.ts() <= watermark) {
            // Already late here: the detector decides, against its own watermark, as it would.
            AuthBundle.Builder single = new AuthBundle.Builder(k);
            single.add(e);
            send(single);
            return;
        }
        AuthBundle.Builder b = open.get(k);
        if (b == null) {
            b = new AuthBundle.Builder(k);
            open.put(k, b);
        }
        b.add(e);
        if (b.size() >= MAX_EVENTS) {
            send(b);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        // An idle channel's watermark stops holding the detector back: nothing may wait here.
        flush();
        super.processWatermarkStatus(status);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    /**
     * Sends every key's bundle. A builder keeps its arrays for the key's next interval (growing
     * them again was 4% of the source thread); a key without events since the last flush is
     * forgotten, so keys that come and go leave nothing behind.
     */
    private void flush() {
        for (Iterator<AuthBundle.Builder> it = open.values().iterator(); it.hasNext(); ) {
            AuthBundle.Builder b = it.next();
            if (b.size() == 0) {
                it.remove();
            } else {
                send(b);
            }
        }
    }

    private void send(AuthBundle.Builder b) {
        long ts = b.minTs();
        output.collect(record.replace(b.build(), ts));
    }
}
