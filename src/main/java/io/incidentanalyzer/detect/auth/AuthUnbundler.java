package io.incidentanalyzer.detect.auth;

import io.incidentanalyzer.model.AuthEvent;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Takes an {@link AuthBundle} apart after the shuffle, in front of the detector (chained): each
 * event with its own event time, in the order the bundle holds them.
 */
public class AuthUnbundler extends AbstractStreamOperator<AuthEvent>
        implements OneInputStreamOperator<AuthBundle, AuthEvent> {
    private static final long serialVersionUID = 1L;

    private transient StreamRecord<AuthEvent> record;

    @Override
    public void open() throws Exception {
        super.open();
        record = new StreamRecord<>(null);
    }

    @Override
    public void processElement(StreamRecord<AuthBundle> element) {
        AuthBundle bundle = element.getValue();
        for (int i = 0; i < bundle.size(); i++) {
            AuthEvent e = bundle.event(i);
            output.collect(record.replace(e, e.ts()));
        }
    }
}
