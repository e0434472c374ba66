package dev.payoutcallbacks.publisher;

import dev.payoutcallbacks.core.config.FunctionEnvironment;
import dev.payoutcallbacks.core.config.SdkClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * PutEvents to one event bus. PutEvents answers 200 even when entries were refused: each refused entry
 * carries an error code (FailedEntryCount counts them), and the first refused one is reported.
 */
public final class EventBridgeSink implements PayoutEventSink {
    private final EventBridgeClient client;
    private final String busName;

    public EventBridgeSink(EventBridgeClient client, String busName) {
        this.client = client;
        this.busName = busName;
    }

    /** EVENT_BUS_NAME; EVENTBRIDGE_ENDPOINT (tests, LocalStack); AWS_REGION. */
    static EventBridgeSink fromEnvironment(FunctionEnvironment env) {
        return new EventBridgeSink(client(env), env.require("EVENT_BUS_NAME"));
    }

    static EventBridgeClient client(FunctionEnvironment env) {
        return SdkClients.configured(EventBridgeClient.builder(), env, "EVENTBRIDGE_ENDPOINT",
                Duration.ofSeconds(15), Duration.ofSeconds(5)).build();
    }

    public String busName() {
        return busName;
    }

    @Override
    public Result publish(List<PayoutStatusChanged> events) {
        if (events.isEmpty()) {
            return Result.ok();
        }
        List<PutEventsRequestEntry> entries = new ArrayList<>(events.size());
        for (PayoutStatusChanged e : events) {
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(PayoutStatusChanged.SOURCE)
                    .detailType(PayoutStatusChanged.DETAIL_TYPE)
                    .time(e.time())
                    .detail(e.detailJson())
                    .build());
        }
        PutEventsResponse response = client.putEvents(b -> b.entries(entries));
        Integer failed = response.failedEntryCount();
        if (failed == null || failed == 0) {
            return Result.ok();
        }
        List<PutEventsResultEntry> results = response.entries();
        for (int i = 0; i < results.size() && i < events.size(); i++) {
            if (results.get(i).errorCode() != null) {
                return Result.failedAt(i, results.get(i).errorCode() + ": " + results.get(i).errorMessage());
            }
        }
        // FailedEntryCount without a failed entry we can place: treat the whole call as failed.
        return Result.failedAt(0, failed + " entries failed (not identified in the answer)");
    }
}
