package dev.payoutcallbacks.publisher;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.payoutcallbacks.core.provider.Json;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The local run's event bus: each event as one JSON line on stdout (the envelope EventBridge would
 * deliver, without id/account/region), and the last {@code keep} events in memory for a read route.
 */
public final class StdoutSink implements PayoutEventSink {
    private final PrintStream out;
    private final int keep;
    private final String busName;
    private final Deque<ObjectNode> recent = new ArrayDeque<>();
    private long published;

    public StdoutSink(PrintStream out, int keep, String busName) {
        this.out = out;
        this.keep = Math.max(1, keep);
        this.busName = busName;
    }

    @Override
    public synchronized Result publish(List<PayoutStatusChanged> events) {
        for (PayoutStatusChanged e : events) {
            ObjectNode envelope = envelope(e, busName);
            out.println(Json.write(envelope));
            recent.addLast(envelope);
            if (recent.size() > keep) {
                recent.removeFirst();
            }
            published++;
        }
        out.flush();
        return Result.ok();
    }

    /** The last events published, oldest first. */
    public synchronized List<ObjectNode> recentEvents() {
        return recent.stream().map(ObjectNode::deepCopy).toList();
    }

    /** Events published since start (the recent list keeps only the last ones). */
    public synchronized long published() {
        return published;
    }

    static ObjectNode envelope(PayoutStatusChanged e, String busName) {
        ObjectNode envelope = Json.newObject();
        envelope.put("source", PayoutStatusChanged.SOURCE);
        envelope.put("detail-type", PayoutStatusChanged.DETAIL_TYPE);
        envelope.put("eventBusName", busName);
        envelope.put("time", e.changedAt());
        envelope.set("detail", e.detail());
        return envelope;
    }
}
