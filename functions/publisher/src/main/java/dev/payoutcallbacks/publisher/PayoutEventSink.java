package dev.payoutcallbacks.publisher;

import java.util.List;

/** Where PayoutStatusChanged events go: EventBridge when deployed, stdout (and memory) in the local run. */
public interface PayoutEventSink {

    /** At most this many events per {@link #publish} call (EventBridge PutEvents takes 10 entries). */
    default int maxBatch() {
        return 10;
    }

    /**
     * Publishes the events, in order, as one request where the sink allows. Entries are independent:
     * some may be accepted while an earlier one is refused.
     *
     * @return which event is the first that was not published; may throw for a failure of the whole call
     */
    Result publish(List<PayoutStatusChanged> events);

    /** @param firstFailed index of the first event not published; -1 when all were */
    record Result(int firstFailed, String error) {
        public static Result ok() {
            return new Result(-1, null);
        }

        public static Result failedAt(int index, String error) {
            return new Result(index, error);
        }

        public boolean allPublished() {
            return firstFailed < 0;
        }
    }
}
