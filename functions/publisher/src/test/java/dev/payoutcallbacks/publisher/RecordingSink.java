package dev.payoutcallbacks.publisher;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An in-memory event bus: keeps every accepted event and every call. A failure plan can refuse one
 * entry of a call (as PutEvents does: the other entries of that call are still accepted) or throw.
 */
final class RecordingSink implements PayoutEventSink {
    final List<PayoutStatusChanged> accepted = new ArrayList<>();
    final List<List<PayoutStatusChanged>> calls = new ArrayList<>();
    private final int maxBatch;
    /** Given the call's events, the index of the entry to refuse (-1: none); may throw. */
    private Function<List<PayoutStatusChanged>, Integer> failurePlan = events -> -1;

    RecordingSink() {
        this(10);
    }

    RecordingSink(int maxBatch) {
        this.maxBatch = maxBatch;
    }

    RecordingSink failWith(Function<List<PayoutStatusChanged>, Integer> plan) {
        this.failurePlan = plan;
        return this;
    }

    RecordingSink healthy() {
        this.failurePlan = events -> -1;
        return this;
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }

    @Override
    public synchronized Result publish(List<PayoutStatusChanged> events) {
        calls.add(List.copyOf(events));
        int refused = failurePlan.apply(events);
        for (int i = 0; i < events.size(); i++) {
            if (i != refused) {
                accepted.add(events.get(i)); // entries are independent, as in PutEvents
            }
        }
        return refused < 0 ? Result.ok() : Result.failedAt(refused, "InternalFailure: injected");
    }
}
